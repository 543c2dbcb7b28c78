//! Every call runs in a `wechat_mp.call` span with its details, and nothing traced
//! carries a credential.
//!
//! The test runs in a process of its own, a child of the suite's binary: a test running
//! in parallel without a subscriber could make tracing cache the call sites as disabled
//! before this test's subscriber is set.

use std::time::Duration;

use serde_json::{Value, json};
use tracing_subscriber::fmt::format::FmtSpan;

use wechat_mp::request::ApiRequest;
use wechat_mp::{Client, Host, RetryPolicy};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::capture::{Captured, run_alone};

fn echo() -> String {
    let t = token(1);
    format!("<html>access_token={t}&secret={APP_SECRET} token {t} secret {APP_SECRET}</html>")
}

fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// Runs [`traced_alone`] in a child process of this binary, where no other test runs,
/// and fails unless it ran and passed there.
#[test]
fn traces_carry_call_details_but_no_credentials() {
    run_alone("runtime::tracing::traced_alone");
}

#[tokio::test]
#[ignore = "run in a process of its own by traces_carry_call_details_but_no_credentials"]
async fn traced_alone() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    mount_token_endpoint(&server, 2).await;
    Mock::given(path(GET_EP.path))
        .and(query_param("access_token", token(1)))
        .respond_with(errcode(40001))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0})))
        .mount(&server)
        .await;
    Mock::given(path(POST_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_string(echo()))
        .mount(&server)
        .await;
    let client = client(&server);
    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    client.send_empty(ApiRequest::new(&POST_EP)).await.unwrap_err();
    let refused = Client::builder()
        .app_id(APP_ID)
        .app_secret(APP_SECRET)
        .base_url(Host::Api, closed_port_url())
        .retry(RetryPolicy::new(1, Duration::from_millis(1)))
        .build()
        .unwrap();
    refused.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    let text = captured.text();
    assert!(!text.contains(TOKEN_PREFIX), "traces leak an access token:\n{text}");
    assert!(!text.contains(APP_SECRET), "traces leak the app secret:\n{text}");
    for expected in [
        "wechat_mp.call",
        "group=\"runtime\"",
        "endpoint=\"get_thing\"",
        "endpoint=\"token\"",
        "http.status=200",
        "errcode=40001",
        "attempt=2",
        "latency_ms=",
    ] {
        assert!(text.contains(expected), "trace output lacks {expected}:\n{text}");
    }
}
