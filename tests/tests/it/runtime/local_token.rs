//! The client's local copy of a fresh token: calls stop reading the store until the copy
//! ages out, a token another instance stored is picked up then, and a zero lifetime
//! reads the store on every call.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{Value, json};
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{CachedToken, CredentialKey, CredentialKind, MemoryStore, TokenStore};
use wechat_mp::{Client, Secret};
use wechat_mp_tests::runtime::{
    APP_ID, APP_SECRET, CountingStore, GET_EP, access_token_of, builder, mount_token_endpoint, requests_to, token,
};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mount_get(server: &MockServer) {
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(server)
        .await;
}

fn client_with(server: &MockServer, store: impl TokenStore + 'static, local_ttl: Duration) -> Client {
    builder(server)
        .app_secret(APP_SECRET)
        .token_store(store)
        .local_token_ttl(local_ttl)
        .build()
        .expect("test client builds")
}

async fn call(client: &Client) {
    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
}

#[tokio::test]
async fn a_fresh_token_is_read_from_the_store_once_per_local_lifetime() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    mount_get(&server).await;
    let (store, reads) = CountingStore::new(MemoryStore::new());
    let ttl = Duration::from_millis(300);
    let client = client_with(&server, store, ttl);

    call(&client).await;
    let after_fetch = reads.load(Ordering::SeqCst);
    for _ in 0..20 {
        call(&client).await;
    }
    assert_eq!(
        reads.load(Ordering::SeqCst),
        after_fetch,
        "calls within the local lifetime do not read the store"
    );

    tokio::time::sleep(ttl + Duration::from_millis(100)).await;
    call(&client).await;
    call(&client).await;
    assert_eq!(
        reads.load(Ordering::SeqCst),
        after_fetch + 1,
        "an aged copy is read again once, then kept"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_zero_local_lifetime_reads_the_store_on_every_call() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    mount_get(&server).await;
    let (store, reads) = CountingStore::new(MemoryStore::new());
    let client = client_with(&server, store, Duration::ZERO);

    call(&client).await;
    let after_fetch = reads.load(Ordering::SeqCst);
    for _ in 0..5 {
        call(&client).await;
    }
    assert_eq!(reads.load(Ordering::SeqCst), after_fetch + 5);
}

#[tokio::test]
async fn a_token_another_instance_stored_is_sent_once_the_copy_ages_out() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    mount_get(&server).await;
    let store = Arc::new(MemoryStore::new());
    let ttl = Duration::from_millis(300);
    let client = client_with(&server, store.clone(), ttl);
    call(&client).await;

    // Another instance sharing the store refreshed the token.
    let key = CredentialKey::new(CredentialKind::AccessToken, APP_ID);
    let replaced = CachedToken::issued_now("TOKEN-FROM-ANOTHER-INSTANCE", Duration::from_secs(7200));
    store.set(&key, &replaced).await.unwrap();
    call(&client).await;
    tokio::time::sleep(ttl + Duration::from_millis(100)).await;
    call(&client).await;

    let sent: Vec<Option<String>> = requests_to(&server, GET_EP.path)
        .await
        .iter()
        .map(access_token_of)
        .collect();
    assert_eq!(
        sent,
        [
            Some(token(1)),
            Some(token(1)),
            Some("TOKEN-FROM-ANOTHER-INSTANCE".to_owned())
        ]
    );
    assert_eq!(
        client.access_token().await.unwrap(),
        Secret::new("TOKEN-FROM-ANOTHER-INSTANCE")
    );
}

#[tokio::test]
async fn a_copy_never_outlives_the_refresh_margin() {
    let server = MockServer::start().await;
    // Tokens live 4 s and are due for refresh 1.5 s ahead of expiry (the margin is
    // capped at half the lifetime): the copy must go at 2.5 s although its own
    // lifetime is a minute.
    Mock::given(path("/cgi-bin/token"))
        .respond_with(wechat_mp_tests::runtime::TokenSequence::with_expiry(4))
        .expect(2)
        .mount(&server)
        .await;
    mount_get(&server).await;
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .refresh_margin(Duration::from_millis(1500))
        .local_token_ttl(Duration::from_secs(60))
        .build()
        .unwrap();
    call(&client).await;
    tokio::time::sleep(Duration::from_millis(2700)).await;
    call(&client).await;

    server.verify().await;
    let sent: Vec<Option<String>> = requests_to(&server, GET_EP.path)
        .await
        .iter()
        .map(access_token_of)
        .collect();
    assert_eq!(sent, [Some(token(1)), Some(token(2))]);
}
