//! The latency a call gains when its warm token lives in Redis instead of memory, with
//! the client's local copy of the token (the default) and without it.

use std::time::{Duration, Instant};

use wechat_mp::token::RedisStore;
use wechat_mp::{Client, ClientBuilder, Host};
use wechat_mp_tests::redis::OwnRedis;

use crate::report::Section;
use crate::server;

const ROUNDS: usize = 5;
const CALLS_PER_ROUND: usize = 1_000;
const BUDGET_PER_ROUND: Duration = Duration::from_secs(2);

/// Mean latency of one round of sequential warm calls.
async fn round_latency(client: &Client) -> Duration {
    let start = Instant::now();
    let mut calls = 0u32;
    while (calls as usize) < CALLS_PER_ROUND && start.elapsed() < BUDGET_PER_ROUND {
        client.user().info("o1").await.expect("user.info succeeds");
        calls += 1;
    }
    start.elapsed() / calls.max(1)
}

pub async fn run() -> Section {
    let mut section = Section {
        title: "Token store latency: Redis against memory".into(),
        method: format!(
            "Sequential `user().info()` calls with a warm access token, against the in-process mock server. \
             {ROUNDS} rounds each run every store for up to {CALLS_PER_ROUND} calls, one after another; a store's \
             figure is the mean latency of its best round. By default a client keeps a fresh token it read from \
             the store for up to a minute, so warm calls do not read Redis; with `local_token_ttl(Duration::ZERO)` \
             every call reads the token from a local `redis-server` (127.0.0.1) before the HTTP request."
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
    let builder = || -> ClientBuilder {
        Client::builder()
            .app_id("wxbench")
            .app_secret("bench-secret")
            .base_url(Host::Api, &server.base_url)
    };
    let redis_store = async || RedisStore::connect(&redis.url()).await.expect("redis connects");
    let clients = [
        ("memory (default)", builder().build()),
        (
            "Redis, local copy (default)",
            builder().token_store(redis_store().await).build(),
        ),
        (
            "Redis, read on every call",
            builder()
                .token_store(redis_store().await)
                .local_token_ttl(Duration::ZERO)
                .build(),
        ),
    ]
    .map(|(label, client)| (label, client.expect("a client")));
    for (_, client) in &clients {
        client.user().info("o1").await.expect("warm-up call");
    }
    let mut best = [Duration::MAX; 3];
    for _ in 0..ROUNDS {
        for (slot, (_, client)) in best.iter_mut().zip(&clients) {
            *slot = (*slot).min(round_latency(client).await);
        }
    }
    let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
    let memory = best[0];
    for ((label, _), latency) in clients.iter().zip(best) {
        let added = if *label == clients[0].0 {
            "—".to_owned()
        } else {
            us(latency.saturating_sub(memory))
        };
        section.rows.push(vec![(*label).into(), us(latency), added]);
    }
    section
}
