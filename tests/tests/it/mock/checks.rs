//! What the mock refuses, with the errcode WeChat gives, and records as a mismatch.

use serde_json::{Value, json};
use wechat_mp::Error;
use wechat_mp::api::menu::{Button, ButtonType};
use wechat_mp::endpoint::{Endpoint, Host, Method};
use wechat_mp::request::ApiRequest;
use wechat_mp_mock::MockWechat;

use super::raw;

static MENU_CREATE_BY_GET: Endpoint = raw("menu", "create", Method::Get, Host::Api, "/cgi-bin/menu/create");
static QRCODE_CREATE: Endpoint = raw("qrcode", "create", Method::Post, Host::Api, "/cgi-bin/qrcode/create");
static USER_INFO: Endpoint = raw("user", "info", Method::Get, Host::Api, "/cgi-bin/user/info");
static SHOWQRCODE_ON_API: Endpoint = raw("qrcode", "show", Method::Get, Host::Api, "/cgi-bin/showqrcode");
static NO_SUCH: Endpoint = raw("nope", "nope", Method::Get, Host::Api, "/cgi-bin/no/such/thing");
static CARD_CREATE: Endpoint = raw("card", "create", Method::Post, Host::Api, "/card/create");

async fn refused(wx: &MockWechat, request: ApiRequest) -> (Option<i64>, String) {
    let err = wx.client().send_json::<Value>(request).await.unwrap_err();
    let mismatches = wx.mismatches();
    let last = mismatches
        .last()
        .unwrap_or_else(|| panic!("no mismatch recorded for {err:?}"));
    (err.errcode(), last.problem.clone())
}

fn post(endpoint: &'static Endpoint, body: Value) -> ApiRequest {
    ApiRequest::new(endpoint).json(&body).unwrap()
}

#[tokio::test]
async fn the_wrong_method_gets_43002() {
    let wx = MockWechat::start().await;
    let (code, problem) = refused(&wx, ApiRequest::new(&MENU_CREATE_BY_GET)).await;
    assert_eq!(code, Some(43002));
    assert!(problem.contains("POST"), "{problem}");
}

#[tokio::test]
async fn a_missing_query_parameter_gets_its_own_code() {
    let wx = MockWechat::start().await;
    let (code, problem) = refused(&wx, ApiRequest::new(&USER_INFO)).await;
    assert_eq!(code, Some(41009));
    assert!(problem.contains("openid"), "{problem}");
    // Sent properly, the same call passes.
    let ok = wx
        .client()
        .send_json::<Value>(ApiRequest::new(&USER_INFO).query("openid", "o1"))
        .await;
    assert!(ok.is_ok(), "{ok:?}");
}

#[tokio::test]
async fn a_wrong_type_or_a_missing_member_is_a_data_format_error() {
    let wx = MockWechat::start().await;
    let body = json!({"expire_seconds": "soon", "action_name": "QR_SCENE", "action_info": {"scene": {"scene_id": 1}}});
    let (code, problem) = refused(&wx, post(&QRCODE_CREATE, body)).await;
    assert_eq!(code, Some(47001));
    assert!(problem.contains("$.expire_seconds"), "{problem}");

    let body = json!({"expire_seconds": 60, "action_name": "QR_SCENE", "action_info": {"scene": {}}});
    let (code, problem) = refused(&wx, post(&QRCODE_CREATE, body)).await;
    assert_eq!(code, Some(47001));
    assert!(problem.contains("$.action_info.scene.scene_id"), "{problem}");
}

#[tokio::test]
async fn endpoints_sharing_a_path_are_told_apart_by_their_fixed_members() {
    let wx = MockWechat::start().await;
    let client = wx.client();
    client.qrcode().create_limit_str("promo").await.unwrap();
    client.qrcode().create(60, 7).await.unwrap();
    assert_eq!(wx.calls("qrcode.create_limit_str").unwrap().len(), 1);
    assert_eq!(wx.calls("qrcode.create").unwrap().len(), 1);
    assert!(wx.calls("qrcode.create_str").unwrap().is_empty());
    // A kind no endpoint has is refused.
    let body = json!({"expire_seconds": 60, "action_name": "QR_FOREVER", "action_info": {"scene": {"scene_id": 1}}});
    let (code, _) = refused(&wx, post(&QRCODE_CREATE, body)).await;
    assert_eq!(code, Some(40097));
}

#[tokio::test]
async fn an_enum_value_the_spec_lacks_is_invalid_args() {
    let wx = MockWechat::start().await;
    let button = Button::new("x")
        .with_type(ButtonType::Other("tap".into()))
        .with_key("K");
    let err = wx.client().menu().create(vec![button]).await.unwrap_err();
    assert_eq!(err.errcode(), Some(40097), "{err:?}");
    let problem = &wx.mismatches()[0].problem;
    assert!(
        problem.contains("$.button[0].type") && problem.contains("tap"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_one_of_must_hold_exactly_one_variant_with_its_tag() {
    let wx = MockWechat::start().await;
    let base = json!({"logo_url": "u", "brand_name": "b", "code_type": "CODE_TYPE_TEXT", "title": "t",
        "color": "Color010", "notice": "n", "description": "d", "sku": {"quantity": 1},
        "date_info": {"type": "DATE_TYPE_FIX_TERM", "fixed_term": 1, "fixed_begin_term": 0}});
    let body = json!({"card": {"card_type": "CASH", "groupon": {"base_info": base, "deal_detail": "d"}}});
    let (code, problem) = refused(&wx, post(&CARD_CREATE, body)).await;
    assert_eq!(code, Some(40097));
    assert!(
        problem.contains("card_type") && problem.contains("GROUPON"),
        "{problem}"
    );
}

#[tokio::test]
async fn the_wrong_host_or_an_unknown_path_is_a_404() {
    let wx = MockWechat::start().await;
    let err = wx
        .client()
        .send_bytes(ApiRequest::new(&SHOWQRCODE_ON_API).query("ticket", "T"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 404, .. }), "{err:?}");
    let problem = &wx.mismatches()[0].problem;
    assert!(problem.contains("mp.weixin.qq.com"), "{problem}");

    let err = wx
        .client()
        .send_json::<Value>(ApiRequest::new(&NO_SUCH))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 404, .. }), "{err:?}");
    assert_eq!(wx.mismatches().len(), 2);
    assert_eq!(wx.mismatches()[1].endpoint, None);
}

#[tokio::test]
async fn garbage_bodies_are_refused_without_harm() {
    let wx = MockWechat::start().await;
    let http = reqwest::Client::new();
    let token_url = format!(
        "{}/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
        wx.base_url(Host::Api),
        wx.app_id(),
        wechat_mp_mock::APP_SECRET
    );
    let token: Value = http.get(token_url).send().await.unwrap().json().await.unwrap();
    let token = token["access_token"].as_str().unwrap();
    let url = format!("{}/cgi-bin/menu/create?access_token={token}", wx.base_url(Host::Api));
    for (body, code) in [
        ("", 44002),
        ("{not json", 47001),
        ("[1,2]", 47001),
        ("{\"button\": 3}", 47001),
    ] {
        let answer: Value = http.post(&url).body(body).send().await.unwrap().json().await.unwrap();
        assert_eq!(answer["errcode"], code, "{body:?}: {answer}");
    }
    assert_eq!(wx.mismatches().len(), 4);
}

#[tokio::test]
async fn an_unknown_endpoint_name_is_a_typed_error_naming_near_ones() {
    let wx = MockWechat::start().await;
    let err = wx.calls("menu.crate").unwrap_err();
    assert!(err.near.contains(&"menu.create"), "{err}");
    assert!(wx.fail_next("nope.nope", 1, wechat_mp_mock::Fault::Html).is_err());
    assert!(wx.respond("menu", json!({})).is_err());
}

#[tokio::test]
async fn the_appsecret_of_clear_quota_v2_goes_in_the_query_and_never_in_debug() {
    let wx = MockWechat::start().await;
    let client = wx.client();
    let builder = client.basic().clear_quota_v2(wx.app_id(), wechat_mp_mock::APP_SECRET);
    let shown = format!("{builder:?} {:?}", builder.to_request().unwrap());
    assert!(!shown.contains(wechat_mp_mock::APP_SECRET), "{shown}");
    builder.await.unwrap();
    let calls = wx.calls("basic.clear_quota_v2").unwrap();
    assert_eq!(calls[0].query("appsecret"), Some(wechat_mp_mock::APP_SECRET));
    assert!(calls[0].query("access_token").is_none());
}
