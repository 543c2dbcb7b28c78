//! A storm of rejected tokens never burns WeChat's daily token limits: after a
//! rejection the client looks for a newer token first, refreshes at most once per
//! window per account across every client sharing the store, pauses when a token it
//! just fetched is rejected, and never refreshes for codes that are not about a stale
//! token.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{CredentialKey, CredentialKind, MemoryStore, RejectionPolicy, TokenStore};
use wechat_mp::{Client, Error};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn key() -> CredentialKey {
    CredentialKey::new(CredentialKind::AccessToken, APP_ID)
}

/// Mounts `/cgi-bin/token`, expected to be called from `least` to `most` times.
async fn mount_token_endpoint_between(server: &MockServer, least: u64, most: u64) {
    Mock::given(method("GET"))
        .and(path("/cgi-bin/token"))
        .respond_with(TokenSequence::new())
        .expect(least..=most)
        .named("token endpoint")
        .mount(server)
        .await;
}

/// Mounts an API endpoint answering 40001 to every call, whatever the token.
async fn reject_everything(server: &MockServer) {
    Mock::given(path(GET_EP.path))
        .respond_with(errcode(40001))
        .mount(server)
        .await;
}

/// Every call ended in a typed 40001, and no error text carries a credential.
fn all_rejected(results: &[Result<Value, Error>]) {
    for result in results {
        let error = result.as_ref().expect_err("WeChat rejects every call");
        assert_eq!(error.errcode(), Some(40001), "{error:?}");
        let text = format!("{error} {error:?}");
        assert!(!text.contains(TOKEN_PREFIX) && !text.contains(APP_SECRET), "{text}");
    }
}

/// `clients` clients sharing `store` each make `calls` calls, all at once, within 10 s.
async fn storm(clients: &[Client], calls: usize) -> Vec<Result<Value, Error>> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in clients {
        for _ in 0..calls {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                client.send_json::<Value>(ApiRequest::new(&GET_EP)).await
            }));
        }
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("no call panics"));
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the storm took {:?}",
        started.elapsed()
    );
    results
}

/// Clients of one account sharing `store`, with the default rejection policy.
fn clients_sharing(server: &MockServer, store: Arc<dyn TokenStore>, n: usize) -> Vec<Client> {
    (0..n)
        .map(|_| {
            builder(server)
                .app_secret(APP_SECRET)
                .token_store(store.clone())
                .rejection_policy(RejectionPolicy::default())
                .build()
                .unwrap()
        })
        .collect()
}

// Two workers: a storm of 1600 calls shares two cores with the rest of the suite, and
// wiremock's check on drop needs a worker the failing test does not block.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_storm_fetches_at_most_one_token_more_per_window() {
    let server = MockServer::start().await;
    reject_everything(&server).await;
    // One refresh after the first rejection (the stale token was in the store); the
    // refreshed token, rejected moments after its fetch, pauses refreshing.
    mount_token_endpoint_between(&server, 1, 2).await;
    let store: Arc<dyn TokenStore> = Arc::new(MemoryStore::new());
    store
        .set(&key(), &stale_token("STALE-TOKEN-must-not-leak"))
        .await
        .unwrap();
    let clients = clients_sharing(&server, store, 8);

    let results = storm(&clients, 200).await;

    all_rejected(&results);
    assert_eq!(results.len(), 1600);
    server.verify().await;
}

// Two workers: a storm of 1600 calls shares two cores with the rest of the suite, and
// wiremock's check on drop needs a worker the failing test does not block.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_storm_across_instances_sharing_redis_fetches_at_most_two_tokens() {
    let Some(url) = wechat_mp_tests::redis::url_or_skip("rejection storm over Redis") else {
        return;
    };
    let server = MockServer::start().await;
    reject_everything(&server).await;
    // The first fetch and at most one refresh after a rejection: the fetched token,
    // rejected moments after its fetch, pauses refreshing in every instance.
    mount_token_endpoint_between(&server, 1, 2).await;
    let prefix = wechat_mp_tests::redis::unique_prefix("rejection-storm");
    let mut clients = Vec::new();
    for _ in 0..8 {
        // One connection per client, as separate instances have.
        let store = wechat_mp::token::RedisStore::connect(&url)
            .await
            .unwrap()
            .with_prefix(prefix.clone());
        clients.push(
            builder(&server)
                .app_secret(APP_SECRET)
                .token_store(store)
                .rejection_policy(RejectionPolicy::default())
                .build()
                .unwrap(),
        );
    }

    let results = storm(&clients, 200).await;
    all_rejected(&results);
    server.verify().await;
}

#[tokio::test]
async fn a_token_rejected_moments_after_its_fetch_pauses_refreshing_with_a_hint() {
    let server = MockServer::start().await;
    reject_everything(&server).await;
    mount_token_endpoint(&server, 1).await;
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .rejection_policy(RejectionPolicy::default())
        .build()
        .unwrap();

    for _ in 0..5 {
        let error = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
        let Error::TokenRejected { code, hint, .. } = &error else {
            panic!("expected TokenRejected, got {error:?}")
        };
        assert_eq!(code.as_i64(), 40001);
        assert!(hint.contains("not stale") || hint.contains("paused"), "{hint}");
        assert!(hint.contains("whitelist") || hint.contains("already fetched"), "{hint}");
    }
    server.verify().await;
}

#[tokio::test]
async fn a_token_another_instance_rotated_to_is_taken_without_forcing_stable_token() {
    let server = MockServer::start().await;
    let issued =
        |value: &str| ResponseTemplate::new(200).set_body_json(json!({"access_token": value, "expires_in": 7200}));
    // Another instance has already rotated the account to STABLE-NEW: a normal call
    // returns it.
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .and(body_partial_json(json!({"force_refresh": false})))
        .respond_with(issued("STABLE-NEW"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .and(body_partial_json(json!({"force_refresh": true})))
        .respond_with(issued("STABLE-FORCED"))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(path(GET_EP.path))
        .and(query_param("access_token", "STABLE-OLD"))
        .respond_with(errcode(40001))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(GET_EP.path))
        .and(query_param("access_token", "STABLE-NEW"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0})))
        .mount(&server)
        .await;
    let store = Arc::new(MemoryStore::new());
    store.set(&key(), &stale_token("STABLE-OLD")).await.unwrap();
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .stable_token(true)
        .token_store(store)
        .rejection_policy(RejectionPolicy::default())
        .build()
        .unwrap();

    client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();

    server.verify().await;
}

#[tokio::test]
async fn forced_stable_token_refreshes_stop_at_the_days_budget() {
    let server = MockServer::start().await;
    let issued =
        |value: &str| ResponseTemplate::new(200).set_body_json(json!({"access_token": value, "expires_in": 7200}));
    // WeChat keeps handing out the rejected token in normal mode.
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .and(body_partial_json(json!({"force_refresh": false})))
        .respond_with(issued("STABLE-OLD"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .and(body_partial_json(json!({"force_refresh": true})))
        .respond_with(issued("STABLE-OLD"))
        .expect(1)
        .mount(&server)
        .await;
    reject_everything(&server).await;
    let store = Arc::new(MemoryStore::new());
    store.set(&key(), &stale_token("STABLE-OLD")).await.unwrap();
    let policy = RejectionPolicy {
        window: Duration::ZERO,
        fresh_for: Duration::ZERO,
        forced_per_day: 1,
    };
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .stable_token(true)
        .token_store(store)
        .rejection_policy(policy)
        .build()
        .unwrap();

    let first = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
    assert_eq!(first.errcode(), Some(40001), "{first:?}");
    let second = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
    let Error::TokenRejected { hint, .. } = &second else {
        panic!("expected TokenRejected, got {second:?}")
    };
    assert!(hint.contains("forced stable_token refreshes are spent"), "{hint}");
    server.verify().await;
}

#[tokio::test]
async fn codes_that_are_not_about_a_stale_token_never_refresh_and_45009_is_never_retried() {
    for code in [40164, 40125, 40013, 45009, 48001] {
        let server = MockServer::start().await;
        mount_token_endpoint(&server, 1).await;
        Mock::given(path(GET_EP.path))
            .respond_with(errcode(code))
            .expect(1)
            .mount(&server)
            .await;
        let client = builder(&server)
            .app_secret(APP_SECRET)
            .rejection_policy(RejectionPolicy::default())
            .build()
            .unwrap();
        // GET_EP is idempotent, so a transient failure would be retried.
        let error = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
        assert!(matches!(error, Error::Api { .. }), "{code}: {error:?}");
        assert_eq!(error.errcode(), Some(code));
        server.verify().await;
    }
}
