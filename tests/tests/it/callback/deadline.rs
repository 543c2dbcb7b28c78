//! WeChat's 5-second deadline, over real loopback HTTP: a slow async handler's push is
//! answered `success` within the budget, its reply arrives through the customer-service
//! API of the mock, and WeChat's retries meanwhile do not run it again.
#![cfg(feature = "axum")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use wechat_mp::callback::{CallbackServer, DEFAULT_DEADLINE, Incoming, Reply, async_handler};
use wechat_mp_mock::{CALLBACK_TOKEN, ENCODING_AES_KEY, MockWechat, Push, PushReply};

use crate::capture::{Captured, run_alone};

async fn serve(server: CallbackServer) -> String {
    let app = wechat_mp::callback::axum::router(Arc::new(server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/")
}

#[tokio::test]
async fn a_six_second_handler_answers_through_customer_service_and_retries_do_not_rerun_it() {
    let wx = MockWechat::start().await;
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let server = CallbackServer::builder(CALLBACK_TOKEN)
        .encoding_aes_key(ENCODING_AES_KEY)
        .app_id(wx.app_id())
        .late_delivery(wx.client())
        .handler(async_handler(move |incoming: Incoming| {
            counted.fetch_add(1, Ordering::SeqCst);
            async move {
                tokio::time::sleep(Duration::from_secs(6)).await;
                Some(Reply::text(format!("late hello, {}", incoming.from_user_name)))
            }
        }))
        .build()
        .unwrap();
    let url = serve(server).await;
    let push = Push::text("o_slow", "anyone there?");

    let started = Instant::now();
    let first = {
        let (wx_url, push) = (url.clone(), push.clone());
        let wx = &wx;
        async move { wx.push_to(&wx_url, push).await }
    };
    let retries = async {
        let mut answers = Vec::new();
        for _ in 0..3 {
            tokio::time::sleep(Duration::from_millis(1200)).await;
            let sent = Instant::now();
            answers.push((wx.push_to(&url, push.clone()).await.unwrap(), sent.elapsed()));
        }
        answers
    };
    let (first, retries) = tokio::join!(first, retries);
    let answered_after = started.elapsed();
    assert_eq!(first.unwrap(), PushReply::Nothing);
    assert!(
        answered_after >= DEFAULT_DEADLINE && answered_after < Duration::from_secs(5),
        "answered after {answered_after:?}"
    );
    for (answer, took) in retries {
        assert_eq!(answer, PushReply::Nothing);
        assert!(took < Duration::from_secs(1), "a retry waited {took:?}");
    }
    assert!(
        wx.calls("custom_message.send").unwrap().is_empty(),
        "the reply went out early"
    );

    // The handler finishes at about 6 s; give its delivery a bounded moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    let sends = loop {
        let sends = wx.calls("custom_message.send").unwrap();
        if !sends.is_empty() || Instant::now() > deadline {
            break sends;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(sends.len(), 1, "{sends:#?}");
    assert_eq!(
        sends[0].body,
        Some(json!({"touser": "o_slow", "msgtype": "text", "text": {"content": "late hello, o_slow"}}))
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1, "a retry ran the handler again");
    wx.assert_no_mismatches();
}

#[tokio::test]
async fn a_handler_in_time_answers_passively_and_a_finished_push_may_run_again() {
    let wx = MockWechat::start().await;
    let server = CallbackServer::builder(CALLBACK_TOKEN)
        .encoding_aes_key(ENCODING_AES_KEY)
        .app_id(wx.app_id())
        .deadline(Duration::from_secs(2))
        .late_delivery(wx.client())
        .handler(async_handler(|_: Incoming| async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Some(Reply::text("in time"))
        }))
        .build()
        .unwrap();
    let url = serve(server).await;
    let push = Push::text("o_quick", "hi");
    for _ in 0..2 {
        let reply = wx.push_to(&url, push.clone()).await.unwrap();
        assert_eq!(reply.field("Content").as_deref(), Some("in time"));
    }
    assert!(wx.calls("custom_message.send").unwrap().is_empty());
}

#[test]
fn a_late_reply_that_wechat_refuses_is_logged_not_lost_silently() {
    run_alone("callback::deadline::late_refusal_alone");
}

#[tokio::test]
#[ignore = "run in a process of its own by a_late_reply_that_wechat_refuses_is_logged_not_lost_silently"]
async fn late_refusal_alone() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let wx = MockWechat::start().await;
    wx.fail_next("custom_message.send", 1, wechat_mp_mock::Fault::Errcode(45015))
        .unwrap();
    let server = CallbackServer::builder(CALLBACK_TOKEN)
        .encoding_aes_key(ENCODING_AES_KEY)
        .app_id(wx.app_id())
        .deadline(Duration::from_millis(100))
        .late_delivery(wx.client())
        .handler(async_handler(|_: Incoming| async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            Some(Reply::text("too late"))
        }))
        .build()
        .unwrap();
    let url = serve(server).await;
    assert_eq!(
        wx.push_to(&url, Push::text("o_x", "hi")).await.unwrap(),
        PushReply::Nothing
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while wx.calls("custom_message.send").unwrap().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let sends = wx.calls("custom_message.send").unwrap();
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0].errcode, Some(45015));
    // The warning follows the answer: wait for it, within bounds.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !captured.text().contains("could not be delivered") && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let log = captured.text();
    assert!(log.contains("WARN") && log.contains("could not be delivered"), "{log}");
    assert!(log.contains("errcode=45015") && log.contains("openid=o_x"), "{log}");
    assert!(
        !log.contains("MOCK_TOKEN_") && !log.contains(wechat_mp_mock::APP_SECRET),
        "{log}"
    );
}
