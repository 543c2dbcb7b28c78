//! A sustained storm of rejected tokens: every API call answered 40001 for a minute,
//! by 1 instance and by 8 instances sharing Redis. WeChat allows 2,000 token requests a
//! day; the client should make at most 2 per 30 s window per account.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use wechat_mp::token::RedisStore;
use wechat_mp::{Client, ClientBuilder, Host};
use wechat_mp_tests::redis::OwnRedis;

use crate::report::Section;

/// How long each storm lasts.
const STORM: Duration = Duration::from_secs(61);
/// Tasks per instance, each calling one call after another.
const TASKS: usize = 8;
/// The rejection policy's window, the default.
const WINDOW: Duration = Duration::from_secs(30);

/// A server answering 40001 to every API call; it records when tokens were asked for.
async fn rejecting_server() -> (String, Arc<Mutex<Vec<Instant>>>) {
    let fetches = Arc::new(Mutex::new(Vec::new()));
    let recorded = fetches.clone();
    let app = Router::new()
        .route(
            "/cgi-bin/user/info",
            get(|| async {
                (
                    [(CONTENT_TYPE, "application/json")],
                    r#"{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest"}"#,
                )
            }),
        )
        .route(
            "/cgi-bin/token",
            get(move || {
                let recorded = recorded.clone();
                async move {
                    let n = {
                        let mut fetches = recorded.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        fetches.push(Instant::now());
                        fetches.len()
                    };
                    (
                        [(CONTENT_TYPE, "application/json")],
                        format!(r#"{{"access_token":"REJECTED-TOKEN-{n}","expires_in":7200}}"#),
                    )
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("a local address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), fetches)
}

/// The most fetches within any `window` of the `fetches` instants.
fn most_in_a_window(fetches: &[Instant], window: Duration) -> usize {
    (0..fetches.len())
        .map(|i| {
            fetches[i..]
                .iter()
                .take_while(|t| t.duration_since(fetches[i]) < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// Runs `clients` for [`STORM`], [`TASKS`] tasks each; returns the calls made.
async fn storm(clients: Vec<Client>) -> usize {
    let deadline = Instant::now() + STORM;
    let mut tasks = Vec::new();
    for client in clients {
        for _ in 0..TASKS {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                let mut calls = 0usize;
                while Instant::now() < deadline {
                    let _ = client.user().info("odkJ9uE2f1BTY2rBKpFKvCcVoMvM").await;
                    calls += 1;
                }
                calls
            }));
        }
    }
    let mut calls = 0;
    for task in tasks {
        calls += task.await.unwrap_or(0);
    }
    calls
}

pub async fn run() -> Section {
    let mut section = Section {
        title: "Rejected-token storm: token requests".into(),
        method: format!(
            "Every `user().info()` call answered 40001 for {} s, by {TASKS} tasks per instance calling one call after \
             another, on a server on 127.0.0.1 that counts `/cgi-bin/token` requests and when they came. One instance \
             with its in-memory store, then 8 instances each with its own connection to one local `redis-server`. \
             The client's default rejection policy: at most one refresh per {} s window per account, none while a \
             token fetched moments ago is being rejected.",
            STORM.as_secs(),
            WINDOW.as_secs()
        ),
        header: vec![
            "instances".into(),
            "calls".into(),
            "token requests".into(),
            "per minute".into(),
            "most in one 30 s window".into(),
        ],
        rows: Vec::new(),
        notes: Vec::new(),
    };
    let redis = OwnRedis::start_or_skip("the rejected-token storm benchmark");
    for instances in [1usize, 8] {
        let (base_url, fetches) = rejecting_server().await;
        let builder = || -> ClientBuilder {
            Client::builder()
                .app_id("wxbench")
                .app_secret("bench-secret")
                .base_url(Host::Api, &base_url)
        };
        let clients: Vec<Client> = if instances == 1 {
            vec![builder().build().expect("a client")]
        } else {
            let Some(redis) = &redis else {
                section
                    .notes
                    .push("8 instances skipped: `redis-server` is not on PATH.".into());
                continue;
            };
            let mut clients = Vec::new();
            for _ in 0..instances {
                let store = RedisStore::connect(&redis.url()).await.expect("redis connects");
                clients.push(builder().token_store(store).build().expect("a client"));
            }
            clients
        };
        let calls = storm(clients).await;
        let fetches = fetches
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let per_minute = fetches.len() as f64 * 60.0 / STORM.as_secs_f64();
        let most = most_in_a_window(&fetches, WINDOW);
        section.rows.push(vec![
            instances.to_string(),
            calls.to_string(),
            fetches.len().to_string(),
            format!("{per_minute:.1}"),
            most.to_string(),
        ]);
        let verdict = if most <= 2 { "met" } else { "NOT met" };
        section.notes.push(format!(
            "{instances} instance(s): at most 2 token requests per 30 s window: {verdict} ({most})."
        ));
    }
    section
}
