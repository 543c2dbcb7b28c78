//! Hand-written calls of the generated menu, user, qrcode and card groups, each checked
//! against what WeChat documents rather than against the spec that generated it.

use serde_json::json;
use wechat_mp::Host;
use wechat_mp::api::menu::{Button, ButtonType};
use wechat_mp::api::user::{Lang, UserSex};
use wechat_mp_tests::scripted::{ACCESS_TOKEN, Scripted};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn menu_create_posts_the_nested_buttons() {
    let mock = Scripted::start().await;
    Mock::given(method("POST"))
        .and(path("/api-host/cgi-bin/menu/create"))
        .and(query_param("access_token", ACCESS_TOKEN))
        .and(body_json(json!({"button": [
            {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
            {"name": "菜单", "sub_button": [{"type": "view", "name": "搜索", "url": "http://www.soso.com/"}]}
        ]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})))
        .expect(1)
        .mount(mock.server())
        .await;
    let buttons = vec![
        Button::new("今日歌曲")
            .with_type(ButtonType::Click)
            .with_key("V1001_TODAY_MUSIC"),
        Button::new("菜单").with_sub_button(vec![
            Button::new("搜索")
                .with_type(ButtonType::View)
                .with_url("http://www.soso.com/"),
        ]),
    ];
    mock.client().menu().create(buttons).await.unwrap();
}

#[tokio::test]
async fn menu_errors_come_back_typed() {
    let mock = Scripted::start().await;
    Mock::given(path("/api-host/cgi-bin/menu/get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 46003, "errmsg": "menu no exist"})))
        .mount(mock.server())
        .await;
    let err = mock.client().menu().get().await.unwrap_err();
    assert_eq!(err.errcode(), Some(46003), "{err:?}");
}

#[tokio::test]
async fn user_info_sends_openid_and_lang_and_decodes_the_profile() {
    let mock = Scripted::start().await;
    Mock::given(method("GET"))
        .and(path("/api-host/cgi-bin/user/info"))
        .and(query_param("openid", "o-1"))
        .and(query_param("lang", "zh_TW"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "subscribe": 1, "openid": "o-1", "sex": "2", "tagid_list": [128, 2], "a_field_wechat_added": true
        })))
        .expect(1)
        .mount(mock.server())
        .await;
    let info = mock.client().user().info("o-1").lang(Lang::ZhTw).await.unwrap();
    assert_eq!(info.openid.as_deref(), Some("o-1"));
    assert_eq!(
        info.sex,
        Some(UserSex::Female),
        "sex arrives as a string in some responses"
    );
    assert_eq!(info.tagid_list, Some(vec![128, 2]));
}

#[tokio::test]
async fn qrcode_create_limit_str_nests_the_scene_under_a_fixed_action() {
    let mock = Scripted::start().await;
    Mock::given(method("POST"))
        .and(path("/api-host/cgi-bin/qrcode/create"))
        .and(body_json(
            json!({"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": "promo"}}}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"ticket": "T1", "url": "http://weixin.qq.com/q/x"})),
        )
        .expect(1)
        .mount(mock.server())
        .await;
    let ticket = mock.client().qrcode().create_limit_str("promo").await.unwrap();
    assert_eq!(ticket.ticket.as_deref(), Some("T1"));
    assert_eq!(ticket.expire_seconds, None);
}

#[tokio::test]
async fn qrcode_show_goes_to_mp_host_with_an_encoded_ticket_and_no_token() {
    let mock = Scripted::start().await;
    Mock::given(method("GET"))
        .and(path("/mp-host/cgi-bin/showqrcode"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"\x89PNG\r\n"[..], "image/jpeg"))
        .expect(1)
        .mount(mock.server())
        .await;
    let png = mock.client().qrcode().show("gQ+a/b==").await.unwrap();
    assert_eq!(&png[..], b"\x89PNG\r\n");
    let requests = mock.server().received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("ticket=gQ%2Ba%2Fb%3D%3D"));
    assert!(!mock.base_url(Host::Mp).contains("api-host"));
}

#[tokio::test]
async fn an_html_error_page_is_a_decode_error_naming_the_endpoint() {
    let mock = Scripted::start().await;
    Mock::given(path("/api-host/cgi-bin/user/get"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>502 Bad Gateway</html>", "text/html"))
        .mount(mock.server())
        .await;
    match mock.client().user().get().await.unwrap_err() {
        wechat_mp::Error::Decode { endpoint, .. } => assert_eq!(endpoint, "user.get"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn a_type_two_groups_declare_alike_is_one_type() {
    // Compiles only while `user::Lang` and `auth::Lang` are the same type.
    let lang: wechat_mp::api::auth::Lang = wechat_mp::api::user::Lang::ZhTw;
    assert_eq!(lang.as_str(), "zh_TW");
}

#[test]
fn a_bus_ticket_decodes_to_its_own_card_variant() {
    // The seed's card/get table lists card_type BUS_TICKET (汽车票) under `bus_ticket`.
    use wechat_mp::api::card::Card;
    let value = json!({"card_type": "BUS_TICKET", "bus_ticket": {"base_info": {
        "logo_url": "http://mmbiz.qpic.cn/",
        "brand_name": "客运公司",
        "code_type": "CODE_TYPE_QRCODE",
        "title": "广州-深圳",
        "color": "#63b359",
        "notice": "请出示二维码",
        "description": "限本人乘车",
        "date_info": {"type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": 1397577600, "end_timestamp": 1422724261},
        "sku": {"quantity": 100}
    }}});
    let card: Card = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(card.tag(), Some("BUS_TICKET"));
    match &card {
        Card::BusTicket(ticket) => assert_eq!(ticket.base_info.title, "广州-深圳"),
        other => panic!("expected Card::BusTicket, got {other:?}"),
    }
    assert_eq!(serde_json::to_value(&card).unwrap()["card_type"], "BUS_TICKET");
}

/// A `user/get` page: `openids` and the cursor WeChat answers with.
fn follower_page(openids: &[&str], next: &str) -> ResponseTemplate {
    let data = if openids.is_empty() {
        json!({})
    } else {
        json!({"data": {"openid": openids}})
    };
    let mut body = json!({"total": 5, "count": openids.len(), "next_openid": next});
    body.as_object_mut().unwrap().extend(data.as_object().unwrap().clone());
    ResponseTemplate::new(200).set_body_json(body)
}

async fn mount_follower_page(mock: &Scripted, cursor: Option<&str>, page: ResponseTemplate) {
    let mut m = Mock::given(method("GET")).and(path("/api-host/cgi-bin/user/get"));
    m = match cursor {
        Some(c) => m.and(query_param("next_openid", c)),
        None => m.and(wiremock::matchers::query_param_is_missing("next_openid")),
    };
    m.respond_with(page).expect(1).mount(mock.server()).await;
}

#[tokio::test]
async fn user_get_items_streams_every_openid_across_three_pages() {
    use futures_util::StreamExt;

    let mock = Scripted::start().await;
    mount_follower_page(&mock, None, follower_page(&["o1", "o2"], "o2")).await;
    mount_follower_page(&mock, Some("o2"), follower_page(&["o3", "o4"], "o4")).await;
    mount_follower_page(&mock, Some("o4"), follower_page(&["o5"], "o5")).await;
    // WeChat's answer after the last follower: no data, an empty cursor.
    mount_follower_page(&mock, Some("o5"), follower_page(&[], "")).await;
    let client = mock.client();
    let openids: Vec<String> = client
        .user()
        .get()
        .items()
        .map(|item| item.expect("every page decodes"))
        .collect()
        .await;
    assert_eq!(openids, ["o1", "o2", "o3", "o4", "o5"]);
    // `expect(1)` on each page: four requests, no more.
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_instead_of_looping() {
    use futures_util::StreamExt;

    let mock = Scripted::start().await;
    mount_follower_page(&mock, None, follower_page(&["o1"], "o1")).await;
    // A misbehaving answer that points at itself.
    mount_follower_page(&mock, Some("o1"), follower_page(&["o1"], "o1")).await;
    let pages: Vec<_> = mock.client().user().get().pages().collect().await;
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(Result::is_ok));
}

#[tokio::test]
async fn an_error_ends_the_stream_after_being_yielded() {
    use futures_util::StreamExt;

    let mock = Scripted::start().await;
    mount_follower_page(&mock, None, follower_page(&["o1", "o2"], "o2")).await;
    mount_follower_page(
        &mock,
        Some("o2"),
        ResponseTemplate::new(200).set_body_json(json!({"errcode": 45009, "errmsg": "api freq out of limit"})),
    )
    .await;
    let items: Vec<_> = mock.client().user().get().items().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[..2].iter().all(Result::is_ok));
    assert_eq!(items[2].as_ref().unwrap_err().errcode(), Some(45009));
}

#[tokio::test]
async fn material_batch_get_pages_by_offset_up_to_the_total() {
    use futures_util::StreamExt;
    use wechat_mp::api::material::MaterialType;

    let mock = Scripted::start().await;
    for (offset, ids) in [(0, vec!["m1", "m2"]), (2, vec!["m3"])] {
        let item: Vec<_> = ids.iter().map(|id| json!({"media_id": id})).collect();
        Mock::given(method("POST"))
            .and(path("/api-host/cgi-bin/material/batchget_material"))
            .and(body_json(json!({"type": "image", "offset": offset, "count": 2})))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"total_count": 3, "item_count": ids.len(), "item": item})),
            )
            .expect(1)
            .mount(mock.server())
            .await;
    }
    let items: Vec<_> = mock
        .client()
        .material()
        .batch_get(MaterialType::Image, 0, 2)
        .items()
        .map(|item| item.expect("decodes").media_id)
        .collect()
        .await;
    let ids: Vec<String> = items.into_iter().flatten().collect();
    assert_eq!(ids, ["m1", "m2", "m3"], "three of three: no third request");
}
