//! The `callback_echo` example, served on loopback and pushed to by `wechat-mp-mock`
//! as WeChat would: signed, and encrypted with the account's key.
#![cfg(feature = "axum")]

use std::time::{Duration, Instant};

use serde_json::json;
use wechat_mp_mock::{CALLBACK_TOKEN, ENCODING_AES_KEY, MockWechat, Push, PushReply};

#[allow(dead_code, reason = "the example's `main` is not run here")]
#[path = "../../../../wechat-mp/examples/callback_echo.rs"]
mod callback_echo;

#[allow(dead_code, reason = "the example's `main` is not run here")]
#[path = "../../../../wechat-mp/examples/callback_greet.rs"]
mod callback_greet;

#[allow(dead_code, reason = "the example's `main` is not run here")]
#[path = "../../../../wechat-mp/examples/callback_slow.rs"]
mod callback_slow;

async fn serve(settings: callback_echo::Settings) -> String {
    listen(callback_echo::app(settings).expect("the example's settings are valid")).await
}

async fn listen(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/")
}

#[tokio::test]
async fn the_echo_example_answers_an_encrypted_push_with_an_encrypted_echo() {
    let wx = MockWechat::start().await;
    let url = serve(callback_echo::Settings {
        token: CALLBACK_TOKEN.into(),
        safe_mode: Some((ENCODING_AES_KEY.into(), wx.app_id().into())),
    })
    .await;
    assert!(wx.verify_url(&url).await.unwrap(), "URL verification failed");

    let reply = wx.push_to(&url, Push::text("o_user", "你好 <mock>")).await.unwrap();
    assert_eq!(reply.field("MsgType").as_deref(), Some("text"));
    assert_eq!(reply.field("Content").as_deref(), Some("你好 <mock>"));
    // The reply goes back to the sender, from the account.
    assert_eq!(reply.field("ToUserName").as_deref(), Some("o_user"));
    assert_eq!(reply.field("FromUserName").as_deref(), Some("gh_0000mock0000"));

    // An event gets the empty answer, unencrypted as WeChat expects.
    let reply = wx.push_to(&url, Push::event("o_user", "subscribe")).await.unwrap();
    assert_eq!(reply, PushReply::Nothing);
}

#[tokio::test]
async fn a_server_with_another_key_or_app_id_fails_the_push() {
    let wx = MockWechat::start().await;
    let other_key = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg";
    let url = serve(callback_echo::Settings {
        token: CALLBACK_TOKEN.into(),
        safe_mode: Some((other_key.into(), wx.app_id().into())),
    })
    .await;
    let err = wx.push_to(&url, Push::text("o_user", "hi")).await.unwrap_err();
    assert!(
        matches!(err, wechat_mp_mock::PushError::Status { status: 400..=499, .. }),
        "{err:?}"
    );

    let url = serve(callback_echo::Settings {
        token: "another-token".into(),
        safe_mode: Some((ENCODING_AES_KEY.into(), wx.app_id().into())),
    })
    .await;
    assert!(!wx.verify_url(&url).await.unwrap(), "a wrong token passed verification");
}

#[tokio::test]
async fn plain_mode_pushes_arrive_and_replies_come_back_as_sent() {
    let wx = MockWechat::builder().plain_pushes().start().await.unwrap();
    let url = serve(callback_echo::Settings {
        token: CALLBACK_TOKEN.into(),
        safe_mode: None,
    })
    .await;
    let reply = wx.push_to(&url, Push::text("o_user", "plain")).await.unwrap();
    assert_eq!(reply.field("Content").as_deref(), Some("plain"));
    assert!(matches!(reply, PushReply::Xml(xml) if !xml.contains("<Encrypt>")));
}

#[tokio::test]
async fn the_greet_example_looks_the_follower_up_then_greets_them_by_name() {
    let wx = MockWechat::start().await;
    wx.respond(
        "user.info",
        json!({"subscribe": 1, "openid": "o_new", "nickname": "小明"}),
    )
    .unwrap();
    let settings = callback_greet::Settings {
        token: CALLBACK_TOKEN.into(),
        safe_mode: Some((ENCODING_AES_KEY.into(), wx.app_id().into())),
    };
    let url = listen(callback_greet::app(settings, wx.client()).unwrap()).await;
    let reply = wx.push_to(&url, Push::event("o_new", "subscribe")).await.unwrap();
    assert_eq!(reply.field("Content").as_deref(), Some("欢迎, 小明!"));
    let lookups = wx.calls("user.info").unwrap();
    assert_eq!(lookups.len(), 1);
    assert_eq!(lookups[0].query("openid"), Some("o_new"));
    // Text still echoes, through the router's synchronous route.
    let reply = wx.push_to(&url, Push::text("o_new", "ping")).await.unwrap();
    assert_eq!(reply.field("Content").as_deref(), Some("ping"));
    wx.assert_no_mismatches();
}

#[tokio::test]
async fn the_slow_example_answers_success_then_sends_its_report_as_a_customer_service_message() {
    let wx = MockWechat::start().await;
    let settings = callback_slow::Settings {
        token: CALLBACK_TOKEN.into(),
        safe_mode: Some((ENCODING_AES_KEY.into(), wx.app_id().into())),
        work: Duration::from_millis(600),
        deadline: Duration::from_millis(200),
    };
    let url = listen(callback_slow::app(settings, wx.client()).unwrap()).await;
    let started = Instant::now();
    let reply = wx.push_to(&url, Push::text("o_boss", "Q3")).await.unwrap();
    assert_eq!(reply, PushReply::Nothing);
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "answered after {:?}",
        started.elapsed()
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while wx.calls("custom_message.send").unwrap().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let sends = wx.calls("custom_message.send").unwrap();
    assert_eq!(sends.len(), 1);
    assert_eq!(
        sends[0].body,
        Some(json!({"touser": "o_boss", "msgtype": "text", "text": {"content": "报告已生成：Q3"}}))
    );
}
