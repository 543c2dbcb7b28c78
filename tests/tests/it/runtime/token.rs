//! Access-token acquisition: single-flight on a cold start, refresh ahead of expiry,
//! `stable_token`, static tokens and token providers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{
    CachedToken, CredentialKey, CredentialKind, MemoryStore, StoreFuture, TokenProvider, TokenRequest, TokenStore,
};
use wechat_mp::{Client, Error, Host, Secret};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mount_ok_api(server: &MockServer) {
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "n": 1})))
        .mount(server)
        .await;
}

async fn sent_tokens(server: &MockServer) -> Vec<Option<String>> {
    requests_to(server, GET_EP.path)
        .await
        .iter()
        .map(access_token_of)
        .collect()
}

#[test]
fn client_and_calls_can_cross_threads() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_clone_send_sync<T: Clone + Send + Sync>() {}
    assert_clone_send_sync::<Client>();
    let client = Client::builder().app_id(APP_ID).access_token("T").build().unwrap();
    assert_send(&client.send_json::<Value>(ApiRequest::new(&GET_EP)));
    assert_send(&client.send_empty(ApiRequest::new(&POST_EP)));
    assert_send(&client.send_bytes(ApiRequest::new(&BINARY_EP)));
    assert_send(&client.access_token());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cold_start_with_200_concurrent_calls_fetches_one_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/cgi-bin/token"))
        .and(query_param("grant_type", "client_credential"))
        .and(query_param("appid", APP_ID))
        .and(query_param("secret", APP_SECRET))
        // Slow enough that the calls pile up while the one fetch is in flight.
        .respond_with(TokenSequence::new().delay(Duration::from_millis(300)))
        .expect(1)
        .mount(&server)
        .await;
    mount_ok_api(&server).await;
    let client = client(&server);

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let client = client.clone();
        calls.spawn(async move { client.send_json::<Value>(ApiRequest::new(&GET_EP)).await });
    }
    let mut succeeded = 0;
    while let Some(result) = calls.join_next().await {
        result.expect("task did not panic").expect("call succeeded");
        succeeded += 1;
    }
    assert_eq!(succeeded, 200);
    server.verify().await;
    let sent = sent_tokens(&server).await;
    assert_eq!(sent.len(), 200);
    assert!(sent.iter().all(|t| *t == Some(token(1))));
}

async fn seeded_store(value: &str, remaining: Duration, lifetime: Duration) -> Arc<MemoryStore> {
    let store = Arc::new(MemoryStore::new());
    let expires_at = SystemTime::now() + remaining;
    let seeded = CachedToken::new(value, expires_at - lifetime, expires_at);
    let key = CredentialKey::new(CredentialKind::AccessToken, APP_ID);
    store.set(&key, &seeded).await.unwrap();
    store
}

#[tokio::test]
async fn token_within_the_refresh_margin_is_replaced_before_use() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    mount_ok_api(&server).await;
    // 100 s left of 7200 s: inside the 300 s margin, but still valid.
    let store = seeded_store("SEEDED", Duration::from_secs(100), Duration::from_secs(7200)).await;
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .token_store(store.clone())
        .refresh_margin(Duration::from_secs(300))
        .build()
        .unwrap();

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
    assert_eq!(sent_tokens(&server).await, [Some(token(1)), Some(token(1))]);
    let key = CredentialKey::new(CredentialKind::AccessToken, APP_ID);
    let stored = store.get(&key).await.unwrap().expect("refreshed token is stored");
    assert_eq!(stored.value(), &Secret::new(token(1)));
}

#[tokio::test]
async fn token_outside_the_refresh_margin_is_used_without_fetching() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 0).await;
    mount_ok_api(&server).await;
    let store = seeded_store("SEEDED", Duration::from_secs(3600), Duration::from_secs(7200)).await;
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .token_store(store)
        .refresh_margin(Duration::from_secs(300))
        .build()
        .unwrap();

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
    assert_eq!(sent_tokens(&server).await, [Some("SEEDED".to_owned())]);
}

/// Counts how the client reads it; answers at once only when `immediate`.
struct CountingStore {
    inner: MemoryStore,
    immediate: bool,
    gets: AtomicUsize,
    nows: AtomicUsize,
}

impl TokenStore for CountingStore {
    fn get<'a>(&'a self, key: &'a CredentialKey) -> StoreFuture<'a, Option<CachedToken>> {
        self.gets.fetch_add(1, Ordering::SeqCst);
        self.inner.get(key)
    }

    fn get_now(&self, key: &CredentialKey) -> Option<Option<CachedToken>> {
        self.nows.fetch_add(1, Ordering::SeqCst);
        if self.immediate { self.inner.get_now(key) } else { None }
    }

    fn set<'a>(&'a self, key: &'a CredentialKey, token: &'a CachedToken) -> StoreFuture<'a, ()> {
        self.inner.set(key, token)
    }

    fn invalidate<'a>(&'a self, key: &'a CredentialKey, stale: &'a Secret) -> StoreFuture<'a, bool> {
        self.inner.invalidate(key, stale)
    }
}

#[tokio::test]
async fn a_store_that_answers_at_once_is_not_awaited_and_one_that_cannot_is() {
    for immediate in [true, false] {
        let server = MockServer::start().await;
        mount_token_endpoint(&server, 0).await;
        mount_ok_api(&server).await;
        let seeded = seeded_store("SEEDED", Duration::from_secs(3600), Duration::from_secs(7200)).await;
        let store = Arc::new(CountingStore {
            inner: Arc::try_unwrap(seeded).expect("the only handle"),
            immediate,
            gets: AtomicUsize::new(0),
            nows: AtomicUsize::new(0),
        });
        // Passed as an `Arc`: the store's own answer must come through the `Arc` impl.
        // No local copy, so that every call asks the store.
        let client = builder(&server)
            .app_secret(APP_SECRET)
            .token_store(store.clone())
            .local_token_ttl(Duration::ZERO)
            .build()
            .unwrap();

        client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
        client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

        server.verify().await;
        assert_eq!(
            sent_tokens(&server).await,
            [Some("SEEDED".to_owned()), Some("SEEDED".to_owned())]
        );
        assert_eq!(store.nows.load(Ordering::SeqCst), 2, "immediate: {immediate}");
        let expected_gets = if immediate { 0 } else { 2 };
        assert_eq!(
            store.gets.load(Ordering::SeqCst),
            expected_gets,
            "immediate: {immediate}"
        );
    }
}

#[tokio::test]
async fn failed_early_refresh_keeps_using_the_still_valid_token() {
    let server = MockServer::start().await;
    Mock::given(path("/cgi-bin/token"))
        .respond_with(errcode(40013))
        .expect(1)
        .mount(&server)
        .await;
    mount_ok_api(&server).await;
    let store = seeded_store("SEEDED", Duration::from_secs(100), Duration::from_secs(7200)).await;
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .token_store(store)
        .build()
        .unwrap();

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
    assert_eq!(sent_tokens(&server).await, [Some("SEEDED".to_owned())]);
}

#[tokio::test]
async fn expired_token_is_replaced() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    mount_ok_api(&server).await;
    let store = Arc::new(MemoryStore::new());
    let key = CredentialKey::new(CredentialKind::AccessToken, APP_ID);
    let past = SystemTime::now() - Duration::from_secs(10);
    let expired = CachedToken::new("EXPIRED", past - Duration::from_secs(7200), past);
    store.set(&key, &expired).await.unwrap();
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .token_store(store)
        .build()
        .unwrap();

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
    assert_eq!(sent_tokens(&server).await, [Some(token(1))]);
}

#[tokio::test]
async fn token_endpoint_errors_are_api_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/cgi-bin/token"))
        .respond_with(errcode(40013))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .send_json::<Value>(ApiRequest::new(&GET_EP))
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(40013), "{err:?}");
    assert!(sent_tokens(&server).await.is_empty());
    server.verify().await;
}

#[tokio::test]
async fn busy_token_endpoint_is_retried() {
    let server = MockServer::start().await;
    let token_ok = ResponseTemplate::new(200).set_body_json(json!({"access_token": token(1), "expires_in": 7200}));
    Mock::given(path("/cgi-bin/token"))
        .respond_with(Sequence::new(vec![errcode(-1), token_ok]))
        .expect(2)
        .mount(&server)
        .await;
    mount_ok_api(&server).await;
    client(&server)
        .send_json::<Value>(ApiRequest::new(&GET_EP))
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn token_response_without_a_usable_token_is_a_decode_error() {
    let bodies = [
        json!({"expires_in": 7200}),
        json!({"access_token": "", "expires_in": 7200}),
        json!({"access_token": "T", "expires_in": 0}),
    ];
    for body in bodies {
        let server = MockServer::start().await;
        Mock::given(path("/cgi-bin/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .mount(&server)
            .await;
        let err = client(&server).access_token().await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { endpoint, .. } if endpoint == "token.token"),
            "{body}: {err:?}"
        );
    }
}

#[tokio::test]
async fn stable_token_is_posted_and_forced_only_after_a_rejection_still_yields_the_token() {
    let server = MockServer::start().await;
    let request = |force: bool| {
        json!({"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET,
               "force_refresh": force})
    };
    let issued =
        |value: &str| ResponseTemplate::new(200).set_body_json(json!({"access_token": value, "expires_in": 7200}));
    // The first fetch, and the normal call after the rejection, which still yields
    // STABLE-1: only then is a refresh forced.
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .and(body_json(request(false)))
        .respond_with(issued("STABLE-1"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .and(body_json(request(true)))
        .respond_with(issued("STABLE-2"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(GET_EP.path))
        .and(query_param("access_token", "STABLE-1"))
        .respond_with(errcode(40001))
        .with_priority(1)
        .mount(&server)
        .await;
    mount_ok_api(&server).await;
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .stable_token(true)
        .build()
        .unwrap();

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
    assert_eq!(
        sent_tokens(&server).await,
        [Some("STABLE-1".to_owned()), Some("STABLE-2".to_owned())]
    );
}

#[tokio::test]
async fn static_token_is_used_as_given_and_never_fetched() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 0).await;
    Mock::given(path(GET_EP.path))
        .respond_with(errcode(40001))
        .mount(&server)
        .await;
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .access_token("STATIC")
        .build()
        .unwrap();

    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    assert_eq!(err.errcode(), Some(40001));
    server.verify().await;
    assert_eq!(sent_tokens(&server).await, [Some("STATIC".to_owned())]);
}

#[tokio::test]
async fn missing_or_bad_configuration_is_a_config_error() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());

    let bad_builds = [
        Client::builder().build(),
        Client::builder().app_id(" ").build(),
        Client::builder()
            .app_id(APP_ID)
            .base_url(Host::Api, "not a url")
            .build(),
        Client::builder()
            .app_id(APP_ID)
            .base_url(Host::Mp, "ftp://example.invalid")
            .build(),
        Client::builder().app_id(APP_ID).user_agent("bad\nagent").build(),
        Client::builder()
            .app_id(APP_ID)
            .access_token("T")
            .token_provider(Arc::new(CentralService::default()))
            .build(),
    ];
    for bad in bad_builds {
        assert!(matches!(bad, Err(Error::Config { .. })), "{bad:?}");
    }
}

/// A provider standing in for a central token service.
#[derive(Default)]
struct CentralService {
    calls: AtomicUsize,
    rejected: std::sync::Mutex<Vec<Option<String>>>,
    /// Keeps handing out the same token, like a service that has not noticed yet.
    stuck: bool,
}

impl TokenProvider for CentralService {
    fn fetch<'a>(&'a self, request: TokenRequest<'a>) -> StoreFuture<'a, CachedToken> {
        Box::pin(async move {
            assert_eq!(request.key.app_id(), APP_ID);
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let rejected = request.rejected.map(|s| s.expose().to_owned());
            self.rejected.lock().unwrap().push(rejected);
            let value = if self.stuck { token(1) } else { token(n) };
            Ok(CachedToken::issued_now(value, Duration::from_secs(7200)))
        })
    }
}

#[tokio::test]
async fn provider_supplies_tokens_and_learns_which_one_was_rejected() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 0).await;
    Mock::given(path(GET_EP.path))
        .and(query_param("access_token", token(1)))
        .respond_with(errcode(42001))
        .with_priority(1)
        .mount(&server)
        .await;
    mount_ok_api(&server).await;
    let provider = Arc::new(CentralService::default());
    let client = builder(&server).token_provider(provider.clone()).build().unwrap();

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    assert_eq!(*provider.rejected.lock().unwrap(), [None, Some(token(1))]);
    assert_eq!(
        sent_tokens(&server).await,
        [Some(token(1)), Some(token(2)), Some(token(2))]
    );
}

#[tokio::test]
async fn provider_returning_the_rejected_token_again_ends_without_a_second_call() {
    let server = MockServer::start().await;
    Mock::given(path(GET_EP.path))
        .respond_with(errcode(40014))
        .mount(&server)
        .await;
    let provider = Arc::new(CentralService {
        stuck: true,
        ..CentralService::default()
    });
    let client = builder(&server).token_provider(provider.clone()).build().unwrap();

    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    assert_eq!(err.errcode(), Some(40014));
    assert_eq!(sent_tokens(&server).await.len(), 1);
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
}
