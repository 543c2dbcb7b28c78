//! The latency a call gains when its warm token lives in Redis instead of memory.

use std::time::{Duration, Instant};

use wechat_mp::token::RedisStore;
use wechat_mp::{Client, Host};
use wechat_mp_tests::redis::OwnRedis;

use crate::report::Section;
use crate::server;

const CALLS: usize = 5_000;
const BUDGET: Duration = Duration::from_secs(10);

/// Mean latency of sequential warm calls.
async fn mean_latency(client: &Client) -> Duration {
    client.user().info("o1").await.expect("warm-up call");
    let start = Instant::now();
    let mut calls = 0u32;
    while (calls as usize) < CALLS && start.elapsed() < BUDGET {
        client.user().info("o1").await.expect("user.info succeeds");
        calls += 1;
    }
    start.elapsed() / calls.max(1)
}

pub async fn run() -> Section {
    let mut section = Section {
        title: "Token store latency: Redis against memory".into(),
        method: format!(
            "Sequential `user().info()` calls with a warm access token, against the in-process mock server; mean of \
             up to {CALLS} calls. With the Redis store every call reads the token from a local `redis-server` \
             (127.0.0.1) before the HTTP request."
        ),
        header: vec![
            "store".into(),
            "mean latency per call".into(),
            "added by the store".into(),
        ],
        rows: Vec::new(),
        notes: Vec::new(),
    };
    let Some(redis) = OwnRedis::start_or_skip("the Redis latency benchmark") else {
        section.notes.push("Skipped: `redis-server` is not on PATH.".into());
        return section;
    };
    let server = server::start(Duration::ZERO).await;
    let build = |store: Option<RedisStore>| {
        let builder = Client::builder()
            .app_id("wxbench")
            .app_secret("bench-secret")
            .base_url(Host::Api, &server.base_url);
        match store {
            Some(store) => builder.token_store(store).build(),
            None => builder.build(),
        }
        .expect("a client")
    };
    let memory = mean_latency(&build(None)).await;
    let store = RedisStore::connect(&redis.url()).await.expect("redis connects");
    let with_redis = mean_latency(&build(Some(store))).await;
    let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
    section
        .rows
        .push(vec!["memory (default)".into(), us(memory), "—".into()]);
    section.rows.push(vec![
        "Redis".into(),
        us(with_redis),
        us(with_redis.saturating_sub(memory)),
    ]);
    section
}
