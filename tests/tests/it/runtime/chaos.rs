//! A chaotic WeChat, bounded in count and time: a loopback server answers each API call
//! with one of 40001, -1, an HTML page echoing the request, truncated JSON, a reset
//! connection, a delay past the timeout, a 502, an oversized declared length or a good
//! answer. No call panics or outlives its timeout and retries, no error text carries a
//! credential, and the token requests stay within the rejection gate's bound.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{CredentialKey, CredentialKind, MemoryStore, TokenStore};
use wechat_mp::{Client, Host, RetryPolicy};
use wechat_mp_tests::runtime::*;

const TIMEOUT: Duration = Duration::from_millis(800);
const TASKS: usize = 32;
const CALLS: usize = 12;

/// A small deterministic generator: the same chaos on every run.
struct XorShift(AtomicU64);

impl XorShift {
    fn next(&self) -> u64 {
        let mut x = self.0.load(Ordering::Relaxed);
        loop {
            let mut y = x;
            y ^= y << 13;
            y ^= y >> 7;
            y ^= y << 17;
            match self.0.compare_exchange(x, y, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return y,
                Err(current) => x = current,
            }
        }
    }
}

async fn write(socket: &mut TcpStream, status: &str, content_type: &str, body: &str) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(body.as_bytes()).await;
    let _ = socket.flush().await;
}

/// Answers one connection's request: tokens honestly, API calls by chance.
async fn answer(mut socket: TcpStream, chaos: Arc<XorShift>, token_requests: Arc<AtomicUsize>) {
    let mut buf = vec![0u8; 8192];
    let n = socket.read(&mut buf).await.unwrap_or(0);
    let request = String::from_utf8_lossy(&buf[..n]).to_string();
    let line = request.lines().next().unwrap_or_default().to_owned();
    if line.contains("/cgi-bin/token") {
        let n = token_requests.fetch_add(1, Ordering::SeqCst) + 1;
        let body = format!(r#"{{"access_token":"{}","expires_in":7200}}"#, token(n));
        write(&mut socket, "200 OK", "application/json", &body).await;
        return;
    }
    match chaos.next() % 9 {
        0 => {
            let body = r#"{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest"}"#;
            write(&mut socket, "200 OK", "application/json", body).await;
        }
        1 => {
            write(
                &mut socket,
                "200 OK",
                "application/json",
                r#"{"errcode":-1,"errmsg":"system error"}"#,
            )
            .await
        }
        // A proxy's page that echoes the request line, access token and all.
        2 => {
            write(
                &mut socket,
                "200 OK",
                "text/html",
                &format!("<html>bad gateway for {line}</html>"),
            )
            .await
        }
        3 => write(&mut socket, "200 OK", "application/json", r#"{"openid":"o1","nick"#).await,
        4 => drop(socket),
        5 => {
            tokio::time::sleep(TIMEOUT * 3).await;
            write(&mut socket, "200 OK", "application/json", r#"{"openid":"late"}"#).await;
        }
        6 => {
            write(
                &mut socket,
                "502 Bad Gateway",
                "text/html",
                &format!("<h1>502</h1>{line}"),
            )
            .await
        }
        7 => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{\"a\":";
            let _ = socket.write_all(head.as_bytes()).await;
            tokio::time::sleep(TIMEOUT * 3).await;
        }
        _ => write(&mut socket, "200 OK", "application/json", r#"{"openid":"o1"}"#).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chaotic_wechat_gets_typed_errors_within_timeouts_and_few_token_requests() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let chaos = Arc::new(XorShift(AtomicU64::new(0x2545_f491_4f6c_dd1d)));
    let token_requests = Arc::new(AtomicUsize::new(0));
    let server = {
        let (chaos, token_requests) = (chaos.clone(), token_requests.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(answer(socket, chaos.clone(), token_requests.clone()));
            }
        })
    };
    // A token an hour old, so that the first rejection refreshes once.
    let store = Arc::new(MemoryStore::new());
    store
        .set(
            &CredentialKey::new(CredentialKind::AccessToken, APP_ID),
            &stale_token(&token(0)),
        )
        .await
        .unwrap();
    let client = Client::builder()
        .app_id(APP_ID)
        .app_secret(APP_SECRET)
        .base_url(Host::Api, base)
        .token_store(store)
        .timeout(TIMEOUT)
        .retry(RetryPolicy::new(2, Duration::from_millis(1)))
        .build()
        .unwrap();
    // Three attempts, each within the timeout, and time to schedule them.
    let bound = TIMEOUT * 3 + Duration::from_secs(2);

    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for _ in 0..CALLS {
                let call = Instant::now();
                let result = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await;
                outcomes.push((call.elapsed(), result));
            }
            outcomes
        }));
    }
    let mut oks = 0;
    let mut errors = 0;
    for task in tasks {
        for (took, result) in task.await.expect("no call panics") {
            assert!(took <= bound, "a call took {took:?}, over {bound:?}");
            match result {
                Ok(_) => oks += 1,
                Err(error) => {
                    errors += 1;
                    let text = format!("{error} {error:?}");
                    assert!(
                        !text.contains(TOKEN_PREFIX) && !text.contains(APP_SECRET),
                        "a credential in: {text}"
                    );
                }
            }
        }
    }
    server.abort();

    assert_eq!(oks + errors, TASKS * CALLS);
    assert!(
        oks > 0 && errors > 0,
        "{oks} ok, {errors} errors: the chaos should give both"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    // The stale token's one refresh, and at most one more within the window.
    let fetched = token_requests.load(Ordering::SeqCst);
    assert!(fetched <= 2, "{fetched} token requests");
}
