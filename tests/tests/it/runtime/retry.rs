//! Transient failures (errcode -1, 5xx gateways, connection errors) are retried a
//! bounded number of times, only for idempotent calls, and not at all when turned off.

use std::time::Duration;

use serde_json::{Value, json};
use wechat_mp::request::ApiRequest;
use wechat_mp::{Client, Error, ErrorCode, Host, RetryPolicy};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast(retries: u32) -> RetryPolicy {
    RetryPolicy::new(retries, Duration::from_millis(1))
}

#[tokio::test]
async fn system_busy_is_retried_until_the_policy_runs_out() {
    for retries in [0, 1, 3] {
        let server = MockServer::start().await;
        Mock::given(path(GET_EP.path))
            .respond_with(errcode(-1))
            .expect(u64::from(retries) + 1)
            .mount(&server)
            .await;
        let client = builder(&server)
            .access_token("T0KEN")
            .retry(fast(retries))
            .build()
            .unwrap();

        let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

        assert_eq!(err.code(), Some(ErrorCode::SystemBusy), "{err:?}");
        server.verify().await;
    }
}

#[tokio::test]
async fn system_busy_then_success_succeeds() {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "value": 7}));
    Mock::given(path(GET_EP.path))
        .respond_with(Sequence::new(vec![errcode(-1), errcode(-1), ok]))
        .expect(3)
        .mount(&server)
        .await;
    let client = builder(&server).access_token("T0KEN").retry(fast(2)).build().unwrap();

    let value: Value = client.send_json(ApiRequest::new(&GET_EP)).await.unwrap();

    assert_eq!(value["value"], 7);
    server.verify().await;
}

#[tokio::test]
async fn non_idempotent_calls_are_not_repeated() {
    let server = MockServer::start().await;
    Mock::given(path(POST_EP.path))
        .respond_with(errcode(-1))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).access_token("T0KEN").retry(fast(3)).build().unwrap();

    let err = client.send_empty(ApiRequest::new(&POST_EP)).await.unwrap_err();
    assert_eq!(err.errcode(), Some(-1));

    let off = builder(&server)
        .access_token("T0KEN")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = off.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    server.verify().await;
}

#[tokio::test]
async fn gateway_errors_are_retried_for_idempotent_calls() {
    let server = MockServer::start().await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .expect(3)
        .mount(&server)
        .await;
    let client = builder(&server).access_token("T0KEN").retry(fast(2)).build().unwrap();

    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    assert!(matches!(err, Error::Http { status: 502, .. }), "{err:?}");
    server.verify().await;
}

#[tokio::test]
async fn permanent_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path(GET_EP.path))
        .respond_with(errcode(45009))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).access_token("T0KEN").retry(fast(3)).build().unwrap();

    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    assert_eq!(err.code(), Some(ErrorCode::ApiFreqLimit));
    server.verify().await;
}

#[tokio::test]
async fn connection_errors_end_in_a_transport_error() {
    // Bind then drop a listener: its port is closed, so every connect is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .app_id(APP_ID)
        .access_token("T0KEN")
        .base_url(Host::Api, format!("http://127.0.0.1:{port}"))
        .retry(fast(2))
        .build()
        .unwrap();

    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    assert!(
        matches!(&err, Error::Transport { endpoint, .. } if endpoint == "runtime.get_thing"),
        "{err:?}"
    );
    assert!(err.is_transient());
}
