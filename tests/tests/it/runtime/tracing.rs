//! Every call runs in a `wechat_mp.call` span with its details, and nothing traced
//! carries a credential.
//!
//! The test runs in a process of its own, a child of the suite's binary: a test running
//! in parallel without a subscriber could make tracing cache the call sites as disabled
//! before this test's subscriber is set.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use wechat_mp::request::ApiRequest;
use wechat_mp::{Client, Host, RetryPolicy};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn echo() -> String {
    let t = token(1);
    format!("<html>access_token={t}&secret={APP_SECRET} token {t} secret {APP_SECRET}</html>")
}

fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Runs [`traced_alone`] in a child process of this binary, where no other test runs,
/// and fails unless it ran and passed there.
#[test]
fn traces_carry_call_details_but_no_credentials() {
    let exe = std::env::current_exe().expect("the test binary");
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "runtime::tracing::traced_alone",
            "--ignored",
            "--test-threads=1",
        ])
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the traced test did not run: {stdout}");
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

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
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
