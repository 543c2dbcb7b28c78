//! Tokens as WeChat issues and checks them.

use std::time::Duration;

use serde_json::{Value, json};
use wechat_mp::Error;
use wechat_mp::endpoint::Host;
use wechat_mp::token::RejectionPolicy;
use wechat_mp_mock::{APP_SECRET, MockWechat};

/// A client that refreshes a rejected token however new it is and however recent the
/// last refresh.
fn refreshing(wx: &MockWechat) -> wechat_mp::Client {
    wx.client_builder()
        .retry(wechat_mp::RetryPolicy::none())
        .rejection_policy(RejectionPolicy {
            fresh_for: Duration::ZERO,
            window: Duration::ZERO,
            ..RejectionPolicy::default()
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_expired_or_replaced_token_is_refused_and_the_client_fetches_another() {
    let wx = MockWechat::start().await;
    let client = refreshing(&wx);
    client.menu().get().await.unwrap();
    client.menu().get().await.unwrap();
    assert_eq!(wx.calls("token.token").unwrap().len(), 1);

    wx.expire_tokens();
    client.menu().get().await.unwrap();
    let gets = wx.calls("menu.get").unwrap();
    assert_eq!(
        gets.iter().map(|c| c.errcode).collect::<Vec<_>>()[2..],
        [Some(42001), Some(0)]
    );
    assert_eq!(wx.calls("token.token").unwrap().len(), 2);

    wx.revoke_tokens();
    client.menu().get().await.unwrap();
    let gets = wx.calls("menu.get").unwrap();
    assert_eq!(gets[4].errcode, Some(40001));
    assert_eq!(wx.calls("token.token").unwrap().len(), 3);
    // Refused tokens are WeChat's answer, not a bug in the caller.
    wx.assert_no_mismatches();
}

#[tokio::test]
async fn a_token_just_issued_and_refused_is_not_refreshed_by_default() {
    let wx = MockWechat::start().await;
    let client = wx.client();
    client.menu().get().await.unwrap();
    wx.revoke_tokens();
    let err = client.menu().get().await.unwrap_err();
    assert!(matches!(err, Error::TokenRejected { .. }), "{err:?}");
    assert_eq!(wx.calls("token.token").unwrap().len(), 1);
}

#[tokio::test]
async fn a_missing_token_gets_41001_and_wrong_credentials_get_no_token() {
    let wx = MockWechat::start().await;
    let http = reqwest::Client::new();
    let api = wx.base_url(Host::Api);
    let answer: Value = http
        .get(format!("{api}/cgi-bin/menu/get"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["errcode"], 41001);

    let wrong_secret = format!(
        "{api}/cgi-bin/token?grant_type=client_credential&appid={}&secret=nope",
        wx.app_id()
    );
    let answer: Value = http.get(wrong_secret).send().await.unwrap().json().await.unwrap();
    assert_eq!(answer["errcode"], 40001);
    let wrong_app = format!("{api}/cgi-bin/token?grant_type=client_credential&appid=wx_other&secret={APP_SECRET}");
    let answer: Value = http.get(wrong_app).send().await.unwrap().json().await.unwrap();
    assert_eq!(answer["errcode"], 40013);

    let client = wx.client_builder().app_secret("not-the-secret").build().unwrap();
    let err = client.menu().get().await.unwrap_err();
    assert_eq!(err.errcode(), Some(40001), "{err:?}");
    assert!(!format!("{err:?} {err}").contains("not-the-secret"));
}

#[tokio::test]
async fn a_stable_token_is_handed_back_until_forced() {
    let wx = MockWechat::start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/cgi-bin/stable_token", wx.base_url(Host::Api));
    let ask = |force: bool| {
        let body = json!({"grant_type": "client_credential", "appid": wx.app_id(), "secret": APP_SECRET, "force_refresh": force});
        let request = http.post(&url).json(&body);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap()["access_token"].clone() }
    };
    let first = ask(false).await;
    assert!(first.is_string());
    assert_eq!(ask(false).await, first);
    assert_ne!(ask(true).await, first);

    let client = wx.client_builder().stable_token(true).build().unwrap();
    client.menu().get().await.unwrap();
    assert_eq!(wx.calls("token.stable_token").unwrap().len(), 4);
    assert!(wx.calls("token.token").unwrap().is_empty());
}

#[tokio::test]
async fn tickets_are_issued_for_a_valid_token() {
    let wx = MockWechat::start().await;
    let client = wx.client();
    let ticket = client.jsapi_ticket().await.unwrap();
    assert!(ticket.expose().starts_with("MOCK_TICKET_"));
    assert_eq!(wx.calls("ticket.getticket").unwrap()[0].query("type"), Some("jsapi"));
}
