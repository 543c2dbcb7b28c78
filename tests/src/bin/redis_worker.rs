//! One "instance" of a service for the multi-process Redis tests: a client with a
//! Redis token store makes `CALLS` concurrent calls, then reports and exits.
//!
//! Usage: `redis_worker REDIS_URL PREFIX API_BASE_URL CALLS [LOCK_TTL_MS]`

use std::time::Duration;

use serde_json::Value;
use wechat_mp::endpoint::{Auth, Endpoint, Host, Method, ResponseKind};
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{RedisStore, RefreshLockPolicy};

static PING: Endpoint = Endpoint {
    group: "test",
    name: "ping",
    method: Method::Get,
    host: Host::Api,
    path: "/cgi-bin/ping",
    auth: Auth::AccessToken,
    response: ResponseKind::Json,
};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, redis_url, prefix, api, calls, rest @ ..] = args.as_slice() else {
        eprintln!("usage: redis_worker REDIS_URL PREFIX API_BASE_URL CALLS [LOCK_TTL_MS]");
        std::process::exit(2);
    };
    let calls: usize = calls.parse().expect("CALLS is a number");
    let ttl = rest.first().map_or(Duration::from_secs(20), |ms| {
        Duration::from_millis(ms.parse().expect("a number"))
    });
    let store = RedisStore::connect(redis_url)
        .await
        .expect("redis connects")
        .with_prefix(prefix.clone());
    let client = wechat_mp::Client::builder()
        .app_id("wx00000000mocktest")
        .app_secret("MOCK-APP-SECRET-0123456789")
        .base_url(Host::Api, api.clone())
        .token_store(store)
        .refresh_lock(RefreshLockPolicy {
            ttl,
            wait: Duration::from_secs(30),
        })
        .build()
        .expect("a client");
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send_json::<Value>(ApiRequest::new(&PING)).await })
        })
        .collect();
    let mut failed = 0;
    for task in tasks {
        if !matches!(task.await, Ok(Ok(_))) {
            failed += 1;
        }
    }
    println!("calls={calls} failed={failed}");
    std::process::exit(i32::from(failed > 0));
}
