//! Cold-start storm: many concurrent calls on an empty token store, with a slow token
//! endpoint. Exactly one token request should reach WeChat.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use wechat_mp::{Client, Host};

use crate::report::Section;
use crate::server;

const CALLS: usize = 1_000;
const TOKEN_DELAY: Duration = Duration::from_millis(50);
/// Upper bound on the whole storm, so a regression cannot hang the harness.
const DEADLINE: Duration = Duration::from_secs(60);

pub async fn run() -> Section {
    let server = server::start(TOKEN_DELAY).await;
    let client = Client::builder()
        .app_id("wxbench")
        .app_secret("bench-secret")
        .base_url(Host::Api, &server.base_url)
        .build()
        .expect("a client");
    let start = Instant::now();
    let tasks: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.user().info("odkJ9uE2f1BTY2rBKpFKvCcVoMvM").await.is_ok() })
        })
        .collect();
    let all = tokio::time::timeout(DEADLINE, async {
        let mut ok = 0;
        for t in tasks {
            if t.await.unwrap_or(false) {
                ok += 1;
            }
        }
        ok
    })
    .await;
    let elapsed = start.elapsed();
    let succeeded = all.map_or_else(|_| "timed out".to_owned(), |ok: usize| ok.to_string());
    let token_requests = server.token_requests.load(Ordering::SeqCst);
    Section {
        title: "Cold-start storm".into(),
        method: format!(
            "{CALLS} concurrent `user().info()` calls on a new client with an empty in-memory token store; the \
             mock `/cgi-bin/token` takes {} ms to answer. Time runs from spawning the calls to the last completion.",
            TOKEN_DELAY.as_millis()
        ),
        header: vec![
            "calls".into(),
            "succeeded".into(),
            "token requests".into(),
            "time to complete all".into(),
        ],
        rows: vec![vec![
            CALLS.to_string(),
            succeeded,
            token_requests.to_string(),
            format!("{:.1} ms", elapsed.as_secs_f64() * 1e3),
        ]],
        notes: vec![format!(
            "Target: exactly one token request: {}.",
            if token_requests == 1 { "met" } else { "not met" }
        )],
    }
}
