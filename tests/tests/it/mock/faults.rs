//! Scripted faults: each is a typed error at the client, never a panic or a hang.

use std::time::Duration;

use serde_json::json;
use wechat_mp::{Error, RetryPolicy};
use wechat_mp_mock::{FILE_BYTES, Fault, MockWechat};

#[tokio::test]
async fn errcodes_answer_the_next_calls_then_the_endpoint_recovers() {
    let wx = MockWechat::start().await;
    let client = wx.client();
    wx.fail_next("menu.get", 2, Fault::Errcode(45009)).unwrap();
    for _ in 0..2 {
        let err = client.menu().get().await.unwrap_err();
        assert_eq!(err.errcode(), Some(45009), "{err:?}");
    }
    client.menu().get().await.unwrap();
    let codes: Vec<_> = wx.calls("menu.get").unwrap().iter().map(|c| c.errcode).collect();
    assert_eq!(codes, [Some(45009), Some(45009), Some(0)]);
}

#[tokio::test]
async fn a_retrying_client_rides_out_a_busy_answer_on_a_read() {
    let wx = MockWechat::start().await;
    let client = wx
        .client_builder()
        .retry(RetryPolicy::new(2, Duration::from_millis(5)))
        .build()
        .unwrap();
    wx.fail_next("menu.get", 1, Fault::Errcode(-1)).unwrap();
    client.menu().get().await.unwrap();
    assert_eq!(wx.calls("menu.get").unwrap().len(), 2);
}

#[tokio::test]
async fn html_a_broken_connection_and_a_delay_are_typed_errors() {
    let wx = MockWechat::start().await;
    let client = wx
        .client_builder()
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    wx.fail_next("menu.get", 1, Fault::Html).unwrap();
    wx.fail_next("menu.get", 1, Fault::Disconnect).unwrap();
    wx.fail_next("menu.get", 1, Fault::Delay(Duration::from_secs(2)))
        .unwrap();
    let html = client.menu().get().await.unwrap_err();
    assert!(matches!(html, Error::Http { status: 502, .. }), "{html:?}");
    let broken = client.menu().get().await.unwrap_err();
    assert!(
        matches!(broken, Error::Transport { .. } | Error::Decode { .. }),
        "{broken:?}"
    );
    let slow = client.menu().get().await.unwrap_err();
    assert!(matches!(slow, Error::Timeout { .. }), "{slow:?}");
    client.menu().get().await.unwrap();
    // A fault replaces the answer, not the checks: none of these was a caller's bug.
    wx.assert_no_mismatches();
}

#[tokio::test]
async fn answers_can_be_replaced_for_json_and_for_downloads() {
    let wx = MockWechat::start().await;
    let client = wx.client();
    wx.respond(
        "user.info",
        json!({"subscribe": 1, "openid": "o-replaced", "nickname": "Mock"}),
    )
    .unwrap();
    let user = client.user().info("o-replaced").await.unwrap();
    assert_eq!(user.openid.as_deref(), Some("o-replaced"));

    assert_eq!(&client.qrcode().show("T").await.unwrap()[..], FILE_BYTES);
    wx.respond_bytes("qrcode.show", &b"GIF89a"[..], "image/gif").unwrap();
    assert_eq!(&client.qrcode().show("T").await.unwrap()[..], b"GIF89a");
}

#[tokio::test]
async fn queued_answers_page_a_list_in_order_then_the_example_answers_again() {
    use futures_util::StreamExt;

    let wx = MockWechat::start().await;
    let page = |ids: &[&str], next: &str| json!({"total": 3, "count": ids.len(), "data": {"openid": ids}, "next_openid": next});
    wx.respond_next(
        "user.get",
        [
            page(&["o1", "o2"], "o2"),
            page(&["o3"], "o3"),
            json!({"total": 3, "count": 0, "next_openid": ""}),
        ],
    )
    .unwrap();
    let openids: Vec<String> = wx.client().user().get().items().map(|i| i.unwrap()).collect().await;
    assert_eq!(openids, ["o1", "o2", "o3"]);
    let calls = wx.calls("user.get").unwrap();
    let sent: Vec<Option<&str>> = calls.iter().map(|c| c.query("next_openid")).collect();
    assert_eq!(sent, [None, Some("o2"), Some("o3")]);
    // The queue is used up: the spec's example answers.
    let again = wx.client().user().get().await.unwrap();
    assert!(again.total.is_some());
}
