//! The `callback_echo` example, served on loopback and pushed to by `wechat-mp-mock`
//! as WeChat would: signed, and encrypted with the account's key.
#![cfg(feature = "axum")]

use wechat_mp_mock::{CALLBACK_TOKEN, ENCODING_AES_KEY, MockWechat, Push, PushReply};

#[allow(dead_code, reason = "the example's `main` is not run here")]
#[path = "../../../../wechat-mp/examples/callback_echo.rs"]
mod callback_echo;

async fn serve(settings: callback_echo::Settings) -> String {
    let app = callback_echo::app(settings).expect("the example's settings are valid");
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
