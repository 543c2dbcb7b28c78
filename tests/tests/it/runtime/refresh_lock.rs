//! A shared store's refresh lock: the holder fetches and releases it; a caller that
//! finds it taken waits for the holder's token instead of fetching its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use wechat_mp::Secret;
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{CachedToken, CredentialKey, MemoryStore, RefreshLock, StoreFuture, TokenStore};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A store shared with another instance, which holds the refresh lock for the first
/// `held_for` attempts and then stores the token it fetched.
struct SharedStore {
    inner: MemoryStore,
    held_for: usize,
    lock_attempts: AtomicUsize,
    unlocks: AtomicUsize,
}

impl SharedStore {
    fn new(held_for: usize) -> Self {
        SharedStore {
            inner: MemoryStore::new(),
            held_for,
            lock_attempts: AtomicUsize::new(0),
            unlocks: AtomicUsize::new(0),
        }
    }
}

impl TokenStore for SharedStore {
    fn get<'a>(&'a self, key: &'a CredentialKey) -> StoreFuture<'a, Option<CachedToken>> {
        self.inner.get(key)
    }

    fn set<'a>(&'a self, key: &'a CredentialKey, token: &'a CachedToken) -> StoreFuture<'a, ()> {
        self.inner.set(key, token)
    }

    fn invalidate<'a>(&'a self, key: &'a CredentialKey, stale: &'a Secret) -> StoreFuture<'a, bool> {
        self.inner.invalidate(key, stale)
    }

    fn lock<'a>(&'a self, key: &'a CredentialKey, ttl: Duration) -> StoreFuture<'a, Option<RefreshLock>> {
        Box::pin(async move {
            assert!(ttl > Duration::ZERO);
            let n = self.lock_attempts.fetch_add(1, Ordering::SeqCst) + 1;
            if n <= self.held_for {
                if n == self.held_for {
                    let theirs = CachedToken::issued_now("OTHER-INSTANCE", Duration::from_secs(7200));
                    self.inner.set(key, &theirs).await?;
                }
                return Ok(None);
            }
            Ok(Some(RefreshLock::new(format!("me-{n}"))))
        })
    }

    fn unlock<'a>(&'a self, _: &'a CredentialKey, lock: RefreshLock) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            assert!(lock.owner().starts_with("me-"), "released a lock it did not take");
            self.unlocks.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
    }
}

async fn ok_api(server: &MockServer) {
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_lock_holder_fetches_and_releases_the_lock() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    ok_api(&server).await;
    let store = Arc::new(SharedStore::new(0));
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .token_store(store.clone())
        .build()
        .unwrap();

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
    assert_eq!(store.lock_attempts.load(Ordering::SeqCst), 1);
    assert_eq!(store.unlocks.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_caller_that_finds_the_lock_taken_uses_the_holders_token() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 0).await;
    ok_api(&server).await;
    let store = Arc::new(SharedStore::new(2));
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .token_store(store.clone())
        .build()
        .unwrap();

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
    let sent: Vec<_> = requests_to(&server, GET_EP.path)
        .await
        .iter()
        .map(access_token_of)
        .collect();
    assert_eq!(sent, [Some("OTHER-INSTANCE".to_owned())]);
    assert_eq!(store.unlocks.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn accounts_sharing_one_store_keep_their_own_tokens() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 2).await;
    ok_api(&server).await;
    let store = Arc::new(MemoryStore::new());
    let mut clients = Vec::new();
    for app_id in ["wxaaaaaaaaaaaaaaaa", "wxbbbbbbbbbbbbbbbb"] {
        let client = builder(&server)
            .app_id(app_id)
            .app_secret(APP_SECRET)
            .token_store(store.clone())
            .build()
            .unwrap();
        clients.push(client);
    }
    for client in clients.iter().chain(&clients) {
        client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    }

    server.verify().await;
    let sent: Vec<_> = requests_to(&server, GET_EP.path)
        .await
        .iter()
        .map(access_token_of)
        .collect();
    assert_eq!(sent, [Some(token(1)), Some(token(2)), Some(token(1)), Some(token(2))]);
}

#[tokio::test]
async fn a_lock_never_released_gives_a_store_error_not_an_independent_fetch() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 0).await;
    ok_api(&server).await;
    let store = Arc::new(SharedStore::new(usize::MAX));
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .token_store(store.clone())
        .refresh_lock(wechat_mp::token::RefreshLockPolicy {
            ttl: Duration::from_secs(5),
            wait: Duration::from_millis(300),
        })
        .build()
        .unwrap();

    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    assert!(matches!(err, wechat_mp::Error::Store { .. }), "{err:?}");
    assert!(err.to_string().contains("another instance"), "{err}");
    server.verify().await;
    assert!(
        store.lock_attempts.load(Ordering::SeqCst) >= 2,
        "it kept trying to take the lock"
    );
}
