//! Every customer-service and mass message type, built with the typed API and sent to the
//! mock, against the JSON of WeChat's official examples, field for field.

use serde_json::{Value, json};
use wechat_mp::api::custom_message::{
    CustomMessage, CustomMsgMenu, CustomMsgMenuItem, CustomMusic, CustomNewsArticle, CustomVideo,
};
use wechat_mp::api::mass::{MassImages, MassMessage, MassPreviewMessage, PreviewTo};
use wechat_mp_mock::MockWechat;
use wechat_mp_tests::examples::sent_body;

#[tokio::test]
async fn each_custom_message_type_sends_wechats_json() {
    let cases: Vec<(CustomMessage, Value)> = vec![
        (
            CustomMessage::text("Hello World"),
            json!({"msgtype": "text", "text": {"content": "Hello World"}}),
        ),
        (
            CustomMessage::image("MEDIA_ID"),
            json!({"msgtype": "image", "image": {"media_id": "MEDIA_ID"}}),
        ),
        (
            CustomMessage::voice("MEDIA_ID"),
            json!({"msgtype": "voice", "voice": {"media_id": "MEDIA_ID"}}),
        ),
        (
            CustomMessage::Video(
                CustomVideo::new("MEDIA_ID", "MEDIA_ID")
                    .with_title("TITLE")
                    .with_description("DESCRIPTION"),
            ),
            json!({"msgtype": "video", "video": {"media_id": "MEDIA_ID", "thumb_media_id": "MEDIA_ID", "title": "TITLE", "description": "DESCRIPTION"}}),
        ),
        (
            CustomMessage::Music(
                CustomMusic::new("MUSIC_TITLE", "MUSIC_DESCRIPTION", "MUSIC_URL", "THUMB_MEDIA_ID")
                    .with_hqmusicurl("HQ_MUSIC_URL"),
            ),
            json!({"msgtype": "music", "music": {"title": "MUSIC_TITLE", "description": "MUSIC_DESCRIPTION",
                "musicurl": "MUSIC_URL", "hqmusicurl": "HQ_MUSIC_URL", "thumb_media_id": "THUMB_MEDIA_ID"}}),
        ),
        (
            CustomMessage::news(vec![CustomNewsArticle::new(
                "Happy Day",
                "Is Really A Happy Day",
                "URL",
                "PIC_URL",
            )]),
            json!({"msgtype": "news", "news": {"articles": [
                {"title": "Happy Day", "description": "Is Really A Happy Day", "url": "URL", "picurl": "PIC_URL"}]}}),
        ),
        (
            CustomMessage::mpnews("MEDIA_ID"),
            json!({"msgtype": "mpnews", "mpnews": {"media_id": "MEDIA_ID"}}),
        ),
        (
            CustomMessage::mpnewsarticle("ARTICLE_ID"),
            json!({"msgtype": "mpnewsarticle", "mpnewsarticle": {"article_id": "ARTICLE_ID"}}),
        ),
        (
            CustomMessage::MsgMenu(
                CustomMsgMenu::new(vec![
                    CustomMsgMenuItem::new("101", "满意"),
                    CustomMsgMenuItem::new("102", "不满意"),
                ])
                .with_head_content("您对本次服务是否满意呢? ")
                .with_tail_content("欢迎再次光临"),
            ),
            json!({"msgtype": "msgmenu", "msgmenu": {"head_content": "您对本次服务是否满意呢? ",
                "list": [{"id": "101", "content": "满意"}, {"id": "102", "content": "不满意"}], "tail_content": "欢迎再次光临"}}),
        ),
        (
            CustomMessage::wxcard("123dsdajkasd231jhksad"),
            json!({"msgtype": "wxcard", "wxcard": {"card_id": "123dsdajkasd231jhksad"}}),
        ),
        (
            CustomMessage::miniprogrampage("title", "appid", "pagepath", "thumb_media_id"),
            json!({"msgtype": "miniprogrampage", "miniprogrampage":
                {"title": "title", "appid": "appid", "pagepath": "pagepath", "thumb_media_id": "thumb_media_id"}}),
        ),
    ];
    for (message, mut expected) in cases {
        let wx = MockWechat::start().await;
        wx.client().custom_message().send("OPENID", message).await.unwrap();
        expected["touser"] = json!("OPENID");
        assert_eq!(sent_body(&wx, "custom_message.send"), expected);
    }
}

#[tokio::test]
async fn a_custom_message_as_a_staff_account_nests_it_under_customservice() {
    let wx = MockWechat::start().await;
    wx.client()
        .custom_message()
        .send("OPENID", CustomMessage::text("hi"))
        .kf_account("test1@kftest")
        .await
        .unwrap();
    assert_eq!(
        sent_body(&wx, "custom_message.send"),
        json!({"touser": "OPENID", "msgtype": "text", "text": {"content": "hi"}, "customservice": {"kf_account": "test1@kftest"}})
    );
}

#[tokio::test]
async fn each_mass_message_type_sends_wechats_json() {
    let cases: Vec<(MassMessage, Value)> = vec![
        (
            MassMessage::mpnews("123dsdajkasd231jhksad"),
            json!({"msgtype": "mpnews", "mpnews": {"media_id": "123dsdajkasd231jhksad"}}),
        ),
        (
            MassMessage::text("CONTENT"),
            json!({"msgtype": "text", "text": {"content": "CONTENT"}}),
        ),
        (
            MassMessage::voice("123dsdajkasd231jhksad"),
            json!({"msgtype": "voice", "voice": {"media_id": "123dsdajkasd231jhksad"}}),
        ),
        (
            MassMessage::Images(
                MassImages::new(vec!["aaa".to_owned(), "bbb".to_owned(), "ccc".to_owned()])
                    .with_recommend("xxx")
                    .with_need_open_comment(1)
                    .with_only_fans_can_comment(0),
            ),
            json!({"msgtype": "image", "images": {"media_ids": ["aaa", "bbb", "ccc"], "recommend": "xxx",
                "need_open_comment": 1, "only_fans_can_comment": 0}}),
        ),
        (
            MassMessage::mpvideo("IhdaAQXuvJtGzwwc0abfXnzeezfO0NgPK6AQYShD8RQYMTtfzbLdBIQkQziv2XJc"),
            json!({"msgtype": "mpvideo", "mpvideo": {"media_id": "IhdaAQXuvJtGzwwc0abfXnzeezfO0NgPK6AQYShD8RQYMTtfzbLdBIQkQziv2XJc"}}),
        ),
    ];
    for (message, mut expected) in cases {
        let wx = MockWechat::start().await;
        let sent_all = wx
            .client()
            .mass()
            .send_all(false, message.clone())
            .tag_id(2)
            .send_ignore_reprint(0)
            .await;
        sent_all.unwrap();
        let mut by_tag = expected.clone();
        by_tag["filter"] = json!({"is_to_all": false, "tag_id": 2});
        by_tag["send_ignore_reprint"] = json!(0);
        assert_eq!(sent_body(&wx, "mass.send_all"), by_tag);

        let wx = MockWechat::start().await;
        wx.client()
            .mass()
            .send(vec!["OPENID1".to_owned(), "OPENID2".to_owned()], message)
            .await
            .unwrap();
        expected["touser"] = json!(["OPENID1", "OPENID2"]);
        assert_eq!(sent_body(&wx, "mass.send"), expected);
    }
}

#[tokio::test]
async fn a_mass_message_to_everyone_has_no_tag() {
    let wx = MockWechat::start().await;
    let result = wx
        .client()
        .mass()
        .send_all(true, MassMessage::text("CONTENT"))
        .await
        .unwrap();
    assert!(result.msg_id.is_some());
    assert_eq!(
        sent_body(&wx, "mass.send_all"),
        json!({"filter": {"is_to_all": true}, "msgtype": "text", "text": {"content": "CONTENT"}})
    );
}

#[tokio::test]
async fn a_preview_goes_to_an_openid_or_a_wechat_id_by_the_wire_key() {
    for (to, key) in [
        (PreviewTo::touser("OPENID"), "touser"),
        (PreviewTo::towxname("WXNAME"), "towxname"),
    ] {
        let wx = MockWechat::start().await;
        wx.client()
            .mass()
            .preview(to, MassPreviewMessage::mpnews("MEDIA_ID"))
            .await
            .unwrap();
        let body = sent_body(&wx, "mass.preview");
        let value = if key == "touser" { "OPENID" } else { "WXNAME" };
        assert_eq!(
            body,
            json!({key: value, "msgtype": "mpnews", "mpnews": {"media_id": "MEDIA_ID"}})
        );
    }
}
