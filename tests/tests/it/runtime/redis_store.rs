//! The Redis token store against a real redis-server: many clients and many processes
//! share one token request, a killed lock holder is taken over, a Redis restart gives
//! typed errors and then recovers, and a warm client's local copy spares it the reads.
//! Skipped, saying so, without a Redis.
#![cfg(feature = "redis")]

use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wechat_mp::endpoint::{Auth, Endpoint, Host, Method, ResponseKind};
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{CachedToken, CredentialKey, CredentialKind, RedisStore, RefreshLockPolicy, TokenStore};
use wechat_mp::{Client, ClientBuilder, Error, Secret};
use wechat_mp_tests::redis::{OwnRedis, unique_prefix, url_or_skip};
use wechat_mp_tests::runtime::CountingStore;
use wechat_mp_tests::{APP_ID, APP_SECRET};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

static PING: Endpoint = Endpoint {
    group: "test",
    name: "ping",
    method: Method::Get,
    host: Host::Api,
    path: "/cgi-bin/ping",
    auth: Auth::AccessToken,
    response: ResponseKind::Json,
};

fn token_reply(token: &str, delay: Duration) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"access_token": token, "expires_in": 7200}))
        .set_delay(delay)
}

async fn mount_ping(server: &MockServer) {
    Mock::given(path("/cgi-bin/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"pong": true})))
        .mount(server)
        .await;
}

/// A mock WeChat that answers pings and expects exactly one token request.
async fn server_issuing_one_token() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/cgi-bin/token"))
        .respond_with(token_reply("T", Duration::ZERO))
        .expect(1)
        .mount(&server)
        .await;
    mount_ping(&server).await;
    server
}

fn builder(server: &MockServer, store: impl TokenStore + 'static, lock: RefreshLockPolicy) -> ClientBuilder {
    Client::builder()
        .app_id(APP_ID)
        .app_secret(APP_SECRET)
        .base_url(Host::Api, server.uri())
        .token_store(store)
        .refresh_lock(lock)
}

async fn client(server: &MockServer, store: RedisStore, lock: RefreshLockPolicy) -> Client {
    builder(server, store, lock).build().unwrap()
}

/// A client that reads Redis on every call, as the tests of Redis failures need.
fn client_without_local_copy(server: &MockServer, store: RedisStore) -> Client {
    builder(server, store, RefreshLockPolicy::default())
        .local_token_ttl(Duration::ZERO)
        .build()
        .unwrap()
}

async fn token_requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/cgi-bin/token")
        .count()
}

#[tokio::test]
async fn eight_clients_on_a_cold_cache_make_one_token_request() {
    let Some(url) = url_or_skip("eight_clients_on_a_cold_cache_make_one_token_request") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(path("/cgi-bin/token"))
        .respond_with(token_reply("SHARED-TOKEN", Duration::from_millis(50)))
        .expect(1)
        .mount(&server)
        .await;
    mount_ping(&server).await;
    let prefix = unique_prefix("eight_clients");
    let mut instances = Vec::new();
    for _ in 0..8 {
        let store = RedisStore::connect(&url).await.unwrap().with_prefix(prefix.clone());
        instances.push(client(&server, store, RefreshLockPolicy::default()).await);
    }
    // Every instance in its own task, each making 25 concurrent calls.
    let tasks: Vec<_> = instances
        .into_iter()
        .map(|client| {
            tokio::spawn(async move {
                let calls: Vec<_> = (0..25)
                    .map(|_| {
                        let client = client.clone();
                        tokio::spawn(async move { client.send_json::<Value>(ApiRequest::new(&PING)).await })
                    })
                    .collect();
                for call in calls {
                    call.await.expect("the call completes").expect("the call succeeds");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    server.verify().await;
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/cgi-bin/ping")
        .filter_map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "access_token")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(sent.len(), 200);
    assert!(sent.iter().all(|t| t == "SHARED-TOKEN"));
}

fn worker(url: &str, prefix: &str, api: &str, calls: usize, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_redis_worker"));
    cmd.args([url, prefix, api, &calls.to_string()])
        .args(extra)
        .stdout(std::process::Stdio::null());
    cmd
}

#[tokio::test]
async fn four_processes_on_a_cold_cache_make_one_token_request() {
    let Some(url) = url_or_skip("four_processes_on_a_cold_cache_make_one_token_request") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(path("/cgi-bin/token"))
        .respond_with(token_reply("PROCESS-SHARED-TOKEN", Duration::from_millis(100)))
        .expect(1)
        .mount(&server)
        .await;
    mount_ping(&server).await;
    let prefix = unique_prefix("four_processes");
    let mut children: Vec<_> = (0..4)
        .map(|_| {
            worker(&url, &prefix, &server.uri(), 30, &[])
                .spawn()
                .expect("the worker starts")
        })
        .collect();
    // The mock server lives in this runtime, so wait without blocking it.
    let deadline = Instant::now() + Duration::from_secs(60);
    for child in &mut children {
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "a worker process hung");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert!(status.success(), "a worker process failed: {status}");
    }
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_lock_holder_is_taken_over_once_its_lock_expires() {
    let Some(url) = url_or_skip("a_killed_lock_holder_is_taken_over_once_its_lock_expires") else {
        return;
    };
    let server = MockServer::start().await;
    // The first token request hangs: its sender is killed before the answer.
    Mock::given(path("/cgi-bin/token"))
        .respond_with(token_reply("NEVER-DELIVERED", Duration::from_secs(30)))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/cgi-bin/token"))
        .respond_with(token_reply("AFTER-TAKEOVER", Duration::ZERO))
        .mount(&server)
        .await;
    mount_ping(&server).await;
    let prefix = unique_prefix("killed_holder");

    let mut holder = worker(&url, &prefix, &server.uri(), 1, &["1000"]).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while token_requests(&server).await == 0 {
        assert!(Instant::now() < deadline, "the holder never asked for a token");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    holder.kill().unwrap();
    let _ = holder.wait();

    let store = RedisStore::connect(&url).await.unwrap().with_prefix(prefix);
    let lock = RefreshLockPolicy {
        ttl: Duration::from_secs(5),
        wait: Duration::from_secs(15),
    };
    let survivor = client(&server, store, lock).await;
    let answer = survivor.send_json::<Value>(ApiRequest::new(&PING)).await;

    assert_eq!(answer.unwrap(), json!({"pong": true}));
    assert_eq!(
        token_requests(&server).await,
        2,
        "one from the killed holder, one from the survivor"
    );
    assert_eq!(survivor.access_token().await.unwrap(), Secret::new("AFTER-TAKEOVER"));
}

#[tokio::test]
async fn invalidation_spares_a_token_another_instance_already_replaced() {
    let Some(url) = url_or_skip("invalidation_spares_a_token_another_instance_already_replaced") else {
        return;
    };
    let store = RedisStore::connect(&url)
        .await
        .unwrap()
        .with_prefix(unique_prefix("invalidate"));
    let key = CredentialKey::new(CredentialKind::AccessToken, APP_ID);
    store
        .set(&key, &CachedToken::issued_now("NEW", Duration::from_secs(7200)))
        .await
        .unwrap();
    assert!(
        !store.invalidate(&key, &Secret::new("OLD")).await.unwrap(),
        "the newer token survives"
    );
    assert_eq!(store.get(&key).await.unwrap().unwrap().value(), &Secret::new("NEW"));
    assert!(store.invalidate(&key, &Secret::new("NEW")).await.unwrap());
    assert!(store.get(&key).await.unwrap().is_none());
}

#[tokio::test]
async fn a_redis_restart_gives_store_errors_then_calls_recover() {
    let Some(mut redis) = OwnRedis::start_or_skip("a_redis_restart_gives_store_errors_then_calls_recover") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(path("/cgi-bin/token"))
        .respond_with(token_reply("T", Duration::ZERO))
        .mount(&server)
        .await;
    mount_ping(&server).await;
    let store = RedisStore::connect_with(&redis.url(), Duration::from_secs(2))
        .await
        .unwrap()
        .with_local_fallback(false);
    let client = client_without_local_copy(&server, store);
    client.send_json::<Value>(ApiRequest::new(&PING)).await.unwrap();

    redis.stop();
    let err = client.send_json::<Value>(ApiRequest::new(&PING)).await.unwrap_err();
    assert!(matches!(err, Error::Store { .. }), "{err:?}");

    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match client.send_json::<Value>(ApiRequest::new(&PING)).await {
            Ok(_) => break,
            Err(Error::Store { .. }) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(other) => panic!("no recovery after the restart: {other:?}"),
        }
    }
    assert_eq!(
        token_requests(&server).await,
        2,
        "the restarted Redis was empty, so one more fetch"
    );
}

#[tokio::test]
async fn with_redis_down_the_last_valid_token_keeps_calls_going() {
    let Some(mut redis) = OwnRedis::start_or_skip("with_redis_down_the_last_valid_token_keeps_calls_going") else {
        return;
    };
    let server = server_issuing_one_token().await;
    let store = RedisStore::connect_with(&redis.url(), Duration::from_secs(2))
        .await
        .unwrap();
    let client = client_without_local_copy(&server, store);
    client.send_json::<Value>(ApiRequest::new(&PING)).await.unwrap();
    redis.stop();
    client
        .send_json::<Value>(ApiRequest::new(&PING))
        .await
        .expect("the last valid token is used");
    server.verify().await;
}

#[tokio::test]
async fn a_warm_client_reads_redis_once_and_rides_out_an_outage_on_its_copy() {
    let Some(mut redis) = OwnRedis::start_or_skip("a_warm_client_reads_redis_once_and_rides_out_an_outage_on_its_copy")
    else {
        return;
    };
    let server = server_issuing_one_token().await;
    let store = RedisStore::connect_with(&redis.url(), Duration::from_secs(2))
        .await
        .unwrap()
        .with_local_fallback(false);
    let (store, reads) = CountingStore::new(store);
    let client = builder(&server, store, RefreshLockPolicy::default()).build().unwrap();
    client.send_json::<Value>(ApiRequest::new(&PING)).await.unwrap();
    let after_fetch = reads.load(Ordering::SeqCst);
    for _ in 0..50 {
        client.send_json::<Value>(ApiRequest::new(&PING)).await.unwrap();
    }
    assert_eq!(
        reads.load(Ordering::SeqCst),
        after_fetch,
        "50 warm calls read Redis no more"
    );

    redis.stop();
    client
        .send_json::<Value>(ApiRequest::new(&PING))
        .await
        .expect("the local copy carries the call without Redis");
    server.verify().await;
}

#[tokio::test]
async fn an_unreachable_redis_is_a_typed_error_at_connect() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = RedisStore::connect_with(&format!("redis://127.0.0.1:{port}/"), Duration::from_millis(500))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Store { .. }), "{err:?}");
}
