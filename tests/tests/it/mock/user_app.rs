//! A test as a user writes one: their app code, run against the mock, with assertions
//! on what reached "WeChat".

use std::collections::BTreeMap;

use serde_json::json;
use wechat_mp::api::menu::{Button, ButtonType};
use wechat_mp::api::template::TemplateData;
use wechat_mp::endpoint::{Host, Method};
use wechat_mp::request::ApiRequest;
use wechat_mp::{Client, Error};
use wechat_mp_mock::MockWechat;

/// The user's code: set up the menu of a campaign and tell one follower about it.
async fn launch_campaign(client: &Client, openid: &str) -> Result<i64, Error> {
    let buttons = vec![
        Button::new("活动")
            .with_type(ButtonType::View)
            .with_url("https://example.com/campaign"),
        Button::new("签到").with_type(ButtonType::Click).with_key("CHECK_IN"),
    ];
    client.menu().create(buttons).await?;
    let data = BTreeMap::from([
        ("first".to_owned(), TemplateData::new("活动开始了")),
        ("remark".to_owned(), TemplateData::new("点击查看")),
    ]);
    let sent = client
        .template()
        .send(openid, "TEMPLATE_ID", data)
        .url("https://example.com/campaign")
        .await?;
    Ok(sent.msgid.unwrap_or_default())
}

#[tokio::test]
async fn the_campaign_creates_the_menu_then_sends_one_template_message() {
    let wx = MockWechat::start().await;
    let msgid = launch_campaign(&wx.client(), "o_follower").await.unwrap();
    // The spec's example answer.
    assert_eq!(msgid, 407741624);

    let menus = wx.calls("menu.create").unwrap();
    assert_eq!(menus.len(), 1);
    assert_eq!(
        menus[0].body.as_ref().unwrap()["button"][1],
        json!({"type": "click", "name": "签到", "key": "CHECK_IN"})
    );
    let sends = wx.calls("template.send").unwrap();
    assert_eq!(sends.len(), 1);
    let body = sends[0].body.as_ref().unwrap();
    assert_eq!(body["touser"], "o_follower");
    assert_eq!(body["data"]["first"]["value"], "活动开始了");
    // One token for both calls, carried by each.
    let tokens = wx.calls("token.token").unwrap();
    assert_eq!(tokens.len(), 1);
    assert!(
        sends[0]
            .query("access_token")
            .is_some_and(|t| t.starts_with("MOCK_TOKEN_"))
    );
    wx.assert_no_mismatches();
}

/// The same message sent by hand, forgetting `template_id`: WeChat would refuse it, so
/// the mock does, and says why.
#[tokio::test]
async fn a_hand_built_message_without_its_template_fails_with_the_mocks_errcode() {
    static SEND: wechat_mp::endpoint::Endpoint = super::raw(
        "template",
        "send",
        Method::Post,
        Host::Api,
        "/cgi-bin/message/template/send",
    );
    let wx = MockWechat::start().await;
    let request = ApiRequest::new(&SEND)
        .json(&json!({"touser": "o_follower", "data": {"first": {"value": "x"}}}))
        .unwrap();
    let err = wx.client().send_json::<serde_json::Value>(request).await.unwrap_err();
    assert_eq!(err.errcode(), Some(47001), "{err:?}");
    let mismatches = wx.mismatches();
    assert_eq!(mismatches.len(), 1);
    assert_eq!(mismatches[0].endpoint, Some("template.send"));
    assert!(mismatches[0].problem.contains("$.template_id"), "{}", mismatches[0]);
    let caught = std::panic::catch_unwind(|| wx.assert_no_mismatches());
    assert!(caught.is_err(), "a recorded mismatch did not fail the assertion");
}
