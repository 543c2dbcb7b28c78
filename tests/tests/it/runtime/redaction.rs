//! The app secret and access tokens never appear in errors or `Debug` output, even when
//! WeChat or a proxy echoes them back. (Traces: `runtime_tracing.rs`.)

use std::time::Duration;

use serde_json::{Value, json};
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{CachedToken, CredentialKey, CredentialKind, FileStore, TokenStore};
use wechat_mp::{Client, Error, Host, RetryPolicy};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What an echoing server sends back: every credential the client knows, raw and in
/// URL form (a client that has not fetched a token yet only knows the secret).
fn echo() -> String {
    let t = token(1);
    format!(
        "<html>request /cgi-bin/x?access_token={t}&appid={APP_ID}&secret={APP_SECRET} \
         token {t} secret {APP_SECRET}</html>"
    )
}

fn echo_secret() -> String {
    format!("<html>request /cgi-bin/token?appid={APP_ID}&secret={APP_SECRET} secret {APP_SECRET}</html>")
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(TOKEN_PREFIX), "{what} leaks an access token: {text}");
    assert!(!text.contains(APP_SECRET), "{what} leaks the app secret: {text}");
    assert!(
        !text.contains("APPSECRET"),
        "{what} leaks part of the app secret: {text}"
    );
}

fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// One error of every variant, each produced the way a real call would produce it.
async fn every_error() -> Vec<Error> {
    let mut errors = Vec::new();
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let call = || client.send_json::<Value>(ApiRequest::new(&GET_EP));

    // Api, with an errmsg echoing the credentials.
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 40003, "errmsg": echo()})))
        .mount(&server)
        .await;
    errors.push(call().await.unwrap_err());
    // Decode: an HTML page echoing the request.
    server.reset().await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_string(echo()))
        .mount(&server)
        .await;
    errors.push(call().await.unwrap_err());
    // Http: an error page echoing the request.
    server.reset().await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(500).set_body_string(echo()))
        .mount(&server)
        .await;
    errors.push(call().await.unwrap_err());
    // Timeout.
    server.reset().await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let slow = builder(&server)
        .access_token(token(9))
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(slow.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err());

    // Transport: the URL carries the token, or the app id and secret.
    let refused = closed_port_url();
    let with_token = Client::builder()
        .app_id(APP_ID)
        .access_token(token(7))
        .base_url(Host::Api, &refused)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(
        with_token
            .send_json::<Value>(ApiRequest::new(&GET_EP))
            .await
            .unwrap_err(),
    );
    let with_secret = Client::builder()
        .app_id(APP_ID)
        .app_secret(APP_SECRET)
        .base_url(Host::Api, &refused)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(with_secret.access_token().await.unwrap_err());

    // The token endpoint itself echoing the secret, as JSON error and as HTML.
    for stable in [false, true] {
        let token_server = MockServer::start().await;
        Mock::given(path("/cgi-bin/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 40125, "errmsg": echo_secret()})))
            .mount(&token_server)
            .await;
        Mock::given(path("/cgi-bin/stable_token"))
            .respond_with(ResponseTemplate::new(200).set_body_string(echo_secret()))
            .mount(&token_server)
            .await;
        let client = builder(&token_server)
            .app_secret(APP_SECRET)
            .stable_token(stable)
            .build()
            .unwrap();
        errors.push(client.access_token().await.unwrap_err());
    }

    // Config, Encode and Store.
    errors.push(
        Client::builder()
            .app_id(APP_ID)
            .app_secret(APP_SECRET)
            .base_url(Host::Api, "nope")
            .build()
            .unwrap_err(),
    );
    errors.push(
        ApiRequest::new(&POST_EP)
            // JSON object keys must be strings.
            .json(&std::collections::BTreeMap::from([(vec![1u8], 1)]))
            .unwrap_err(),
    );
    let dir = TempDir::new("redaction");
    std::fs::write(dir.path().join("blocker"), "x").unwrap();
    let store = FileStore::new(dir.path().join("blocker"));
    let key = CredentialKey::new(CredentialKind::AccessToken, APP_ID);
    let cached = CachedToken::issued_now(token(3), Duration::from_secs(60));
    errors.push(store.set(&key, &cached).await.unwrap_err());

    // Io: a download written to a writer that fails.
    Mock::given(path(BINARY_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0xFF; 64], "image/jpeg"))
        .mount(&server)
        .await;
    let stream = client.send_stream(ApiRequest::new(&BINARY_EP)).await.unwrap();
    errors.push(stream.write_to(&mut FailingWriter).await.unwrap_err());
    errors
}

/// A writer whose disk is always full.
struct FailingWriter;

impl tokio::io::AsyncWrite for FailingWriter {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        _: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(Err(std::io::Error::other("no space left on device")))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn no_error_variant_prints_a_credential() {
    let errors = every_error().await;
    let mut seen = std::collections::BTreeSet::new();
    for error in &errors {
        let variant = format!("{error:?}").split([' ', '{', '(']).next().unwrap().to_owned();
        seen.insert(variant);
        assert_clean("Display", &error.to_string());
        assert_clean("Debug", &format!("{error:?}"));
        assert_clean("alternate Debug", &format!("{error:#?}"));
    }
    let all = [
        "Api",
        "Config",
        "Decode",
        "Encode",
        "Http",
        "Io",
        "Store",
        "Timeout",
        "Transport",
    ];
    assert_eq!(seen.iter().map(String::as_str).collect::<Vec<_>>(), all, "{errors:#?}");
}

#[tokio::test]
async fn debug_output_of_clients_and_tokens_hides_credentials() {
    let builder = Client::builder()
        .app_id(APP_ID)
        .app_secret(APP_SECRET)
        .access_token(token(1));
    assert_clean("ClientBuilder", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_clean("Client", &format!("{client:?} {client:#?}"));
    let cached = CachedToken::issued_now(token(2), Duration::from_secs(60));
    assert_clean("CachedToken", &format!("{cached:?}"));
    assert_clean("Secret", &format!("{} {:?}", cached.value(), cached.value()));
}
