//! A token WeChat rejects (40001, 40014, 42001) is invalidated and the call repeated
//! exactly once, with a new token; it never loops.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{CachedToken, CredentialKey, CredentialKind, MemoryStore, TokenStore};
use wechat_mp::{ErrorCode, Secret};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn sent_tokens(server: &MockServer, path: &str) -> Vec<Option<String>> {
    requests_to(server, path).await.iter().map(access_token_of).collect()
}

#[tokio::test]
async fn each_rejection_code_gives_one_retry_with_a_new_token() {
    for code in [40001, 40014, 42001] {
        let server = MockServer::start().await;
        mount_token_endpoint(&server, 2).await;
        Mock::given(path(POST_EP.path))
            .and(query_param("access_token", token(1)))
            .respond_with(errcode(code))
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(path(POST_EP.path))
            .respond_with(errcode(0))
            .mount(&server)
            .await;
        let client = client(&server);

        // A POST: the rejection happened before WeChat acted, so even it is repeated.
        client
            .send_empty(ApiRequest::new(&POST_EP))
            .await
            .unwrap_or_else(|e| panic!("{code}: {e}"));

        server.verify().await;
        assert_eq!(
            sent_tokens(&server, POST_EP.path).await,
            [Some(token(1)), Some(token(2))],
            "{code}"
        );
    }
}

#[tokio::test]
async fn a_token_that_keeps_failing_ends_in_an_error_after_one_retry() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 2).await;
    Mock::given(path(GET_EP.path))
        .respond_with(errcode(40001))
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    assert_eq!(err.code(), Some(ErrorCode::InvalidCredential));
    server.verify().await;
    assert_eq!(
        sent_tokens(&server, GET_EP.path).await,
        [Some(token(1)), Some(token(2))]
    );
}

#[tokio::test]
async fn the_next_call_after_a_rejection_uses_the_new_token_without_fetching_again() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 2).await;
    Mock::given(path(GET_EP.path))
        .and(query_param("access_token", token(1)))
        .respond_with(errcode(42001))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let client = client(&server);

    for _ in 0..3 {
        client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    }

    server.verify().await;
    let expected = [Some(token(1)), Some(token(2)), Some(token(2)), Some(token(2))];
    assert_eq!(sent_tokens(&server, GET_EP.path).await, expected);
}

#[tokio::test]
async fn a_warm_token_rejected_mid_run_is_replaced_and_the_call_sent_again() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 2).await;
    // token(1) works once, then WeChat rejects it: the second call finds it in the
    // client's local copy, sends it, and must recover from there.
    Mock::given(path(GET_EP.path))
        .and(query_param("access_token", token(1)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(GET_EP.path))
        .and(query_param("access_token", token(1)))
        .respond_with(errcode(40001))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .with_priority(3)
        .mount(&server)
        .await;
    let client = client(&server);

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
    let expected = [Some(token(1)), Some(token(1)), Some(token(2)), Some(token(2))];
    assert_eq!(sent_tokens(&server, GET_EP.path).await, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_rejections_of_one_token_fetch_one_replacement() {
    let server = MockServer::start().await;
    // The store starts with SEEDED; all twenty calls see it rejected at about the
    // same time, and only the first invalidation may lead to a fetch.
    mount_token_endpoint(&server, 1).await;
    Mock::given(path(GET_EP.path))
        .and(query_param("access_token", "SEEDED"))
        .respond_with(errcode(40001).set_delay(Duration::from_millis(100)))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let store = Arc::new(MemoryStore::new());
    let key = CredentialKey::new(CredentialKind::AccessToken, APP_ID);
    store
        .set(&key, &CachedToken::issued_now("SEEDED", Duration::from_secs(7200)))
        .await
        .unwrap();
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .token_store(store)
        .build()
        .unwrap();

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        calls.spawn(async move { client.send_json::<Value>(ApiRequest::new(&GET_EP)).await });
    }
    while let Some(result) = calls.join_next().await {
        result
            .expect("task did not panic")
            .expect("call succeeded after one retry");
    }

    server.verify().await;
    let sent = sent_tokens(&server, GET_EP.path).await;
    let seeded = sent.iter().filter(|t| t.as_deref() == Some("SEEDED")).count();
    let fresh = sent.iter().filter(|t| **t == Some(token(1))).count();
    assert_eq!((seeded, fresh), (20, 20), "{sent:?}");
}

#[tokio::test]
async fn stores_invalidate_only_the_token_that_failed() {
    let dir = TempDir::new("invalidate");
    let stores: Vec<Box<dyn TokenStore>> = vec![
        Box::new(MemoryStore::new()),
        Box::new(wechat_mp::token::FileStore::new(dir.path())),
    ];
    for store in stores {
        let key = CredentialKey::new(CredentialKind::AccessToken, APP_ID);
        let newer = CachedToken::issued_now("NEWER", Duration::from_secs(7200));
        store.set(&key, &newer).await.unwrap();

        assert!(!store.invalidate(&key, &Secret::new("OLDER")).await.unwrap());
        assert_eq!(
            store.get(&key).await.unwrap().as_ref().map(CachedToken::value),
            Some(&Secret::new("NEWER"))
        );

        assert!(store.invalidate(&key, &Secret::new("NEWER")).await.unwrap());
        assert_eq!(store.get(&key).await.unwrap(), None);
        assert!(!store.invalidate(&key, &Secret::new("NEWER")).await.unwrap());
    }
}
