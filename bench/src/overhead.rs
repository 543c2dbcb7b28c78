//! SDK overhead: `user().info()` through wechat-mp against the same requests made with a
//! bare reqwest loop, sequentially and 64-way concurrently.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use wechat_mp::{Client, Host};

use crate::report::Section;
use crate::server::{self, TOKEN};

/// Calls per loop and round, sequential and concurrent: short rounds, so that a change
/// of the host's load falls on few of them.
const CALLS: [usize; 2] = [1_500, 5_000];
/// Time per loop and round, at most.
const BUDGET: Duration = Duration::from_secs(4);
const CONCURRENCY: usize = 64;
const ROUNDS: usize = 80;
/// The share of the bare loop's rate wechat-mp is to reach.
const TARGET: f64 = 0.9;

/// The loops, by their index in a round's rates.
const BARE: usize = 0;
const TYPED: usize = 1;
const SDK: usize = 2;
const RAW: usize = 3;
const LOOPS: usize = 4;

/// The median of a set of figures, with the ranks around it that hold the true median
/// 95% of the time, whatever the figures' distribution.
struct Spread {
    low: f64,
    median: f64,
    high: f64,
}

impl Spread {
    fn of(values: impl Iterator<Item = f64>) -> Spread {
        let mut v: Vec<f64> = values.collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        // How many figures fall below the true median is Binomial(n, 1/2): the 95%
        // interval runs from rank n/2 - 1.96·√n/2 to rank n/2 + 1 + 1.96·√n/2 (1-based).
        let half = n as f64 / 2.0;
        let reach = 1.96 * (n as f64).sqrt() / 2.0;
        let rank = |r: f64| (r.round() as usize).clamp(1, n) - 1;
        let mid = (n - 1) / 2;
        Spread {
            low: v[rank(half - reach)],
            median: if n % 2 == 1 {
                v[mid]
            } else {
                (v[mid] + v[mid + 1]) / 2.0
            },
            high: v[rank(half + 1.0 + reach)],
        }
    }

    /// As a ratio: "91.2% [89.9-92.0]".
    fn percent(&self) -> String {
        format!(
            "{:.1}% [{:.1}-{:.1}]",
            100.0 * self.median,
            100.0 * self.low,
            100.0 * self.high
        )
    }
}

/// Calls/s of `call` run `calls` times (or for `BUDGET`) by `workers` tasks.
async fn rate<F, Fut>(workers: usize, calls: usize, call: F) -> f64
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let call = Arc::new(call);
    let done = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|_| {
            let call = call.clone();
            let done = done.clone();
            tokio::spawn(async move {
                while done.fetch_add(1, Ordering::Relaxed) < calls && start.elapsed() < BUDGET {
                    call().await;
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    let finished = done.load(Ordering::Relaxed).min(calls);
    finished as f64 / start.elapsed().as_secs_f64()
}

/// The bare side uses the settings the SDK's default client has (pool, 15 s request and
/// 5 s connect timeouts), so that it is the limit for a production client.
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .connect_timeout(Duration::from_secs(5))
        .user_agent("wechat-mp-bench")
        .build()
        .expect("a reqwest client")
}

/// The bare loop's request: one GET, the body read whole.
async fn fetch(http: &reqwest::Client, url: &str) -> bytes::Bytes {
    http.get(url)
        .send()
        .await
        .expect("a response")
        .bytes()
        .await
        .expect("a body")
}

/// Configured as in production: the app secret, the default in-memory token store.
fn sdk_client(base: &str) -> Client {
    Client::builder()
        .app_id("wxbench")
        .app_secret("BENCH-APP-SECRET")
        .base_url(Host::Api, base)
        .build()
        .expect("a client")
}

pub async fn run() -> Section {
    let server = server::start(Duration::ZERO).await;
    let base = server.base_url.clone();
    let sdk = sdk_client(&base);
    let http = http_client();
    let url = format!("{base}/cgi-bin/user/info?access_token={TOKEN}&openid=odkJ9uE2f1BTY2rBKpFKvCcVoMvM");

    let sdk_call = {
        let sdk = sdk.clone();
        move || {
            let sdk = sdk.clone();
            async move {
                let info = sdk
                    .user()
                    .info("odkJ9uE2f1BTY2rBKpFKvCcVoMvM")
                    .await
                    .expect("user.info succeeds");
                std::hint::black_box(info);
            }
        }
    };
    // The same call through the runtime without decoding a typed response: shows how
    // much of the overhead is JSON decoding.
    let raw_call = {
        let sdk = sdk.clone();
        move || {
            let sdk = sdk.clone();
            async move {
                let request = wechat_mp::request::ApiRequest::new(&server::USER_INFO_BYTES)
                    .query("openid", "odkJ9uE2f1BTY2rBKpFKvCcVoMvM");
                let body = sdk.send_bytes(request).await.expect("user.info succeeds");
                std::hint::black_box(body);
            }
        }
    };
    let bare_call = {
        let http = http.clone();
        let url = url.clone();
        move || {
            let (http, url) = (http.clone(), url.clone());
            async move {
                std::hint::black_box(fetch(&http, &url).await);
            }
        }
    };
    // What a hand-written client pays for the same typed result: the bare loop plus
    // serde_json into the same struct.
    let typed_call = {
        let http = http.clone();
        let url = url.clone();
        move || {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let body = fetch(&http, &url).await;
                let info: wechat_mp::api::user::UserInfo = serde_json::from_slice(&body).expect("a profile");
                std::hint::black_box(info);
            }
        }
    };

    let mut rows = Vec::new();
    let mut verdicts = Vec::new();
    for (workers, calls) in [1, CONCURRENCY].into_iter().zip(CALLS) {
        let run = async |which: usize| match which {
            BARE => rate(workers, calls, bare_call.clone()).await,
            TYPED => rate(workers, calls, typed_call.clone()).await,
            SDK => rate(workers, calls, sdk_call.clone()).await,
            _ => rate(workers, calls, raw_call.clone()).await,
        };
        // Warm the pools; then each round runs every loop once, starting with a
        // different one each time, and each ratio is taken within a round, between
        // loops that ran within a second of each other.
        for which in 0..LOOPS {
            run(which).await;
        }
        let mut rounds = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            let mut rates = [0f64; LOOPS];
            for k in 0..LOOPS {
                let which = (round + k) % LOOPS;
                rates[which] = run(which).await;
            }
            rounds.push(rates);
        }
        let best = |which: usize| rounds.iter().map(|r| r[which]).fold(0f64, f64::max);
        let ratio = |a: usize, b: usize| Spread::of(rounds.iter().map(|r| r[a] / r[b]));
        let sdk = ratio(SDK, BARE);
        let label = if workers == 1 {
            "sequential".to_owned()
        } else {
            format!("{workers}-way concurrent")
        };
        verdicts.push(format!(
            "{label} {:.1}% ({})",
            100.0 * sdk.median,
            if sdk.median >= TARGET { "met" } else { "not met" }
        ));
        rows.push(vec![
            label,
            format!("{:.0}", best(BARE)),
            format!("{:.0}", best(SDK)),
            format!("**{}**", sdk.percent()),
            format!("{:.0} ({})", best(RAW), ratio(RAW, BARE).percent()),
            format!("{:.0} ({})", best(TYPED), ratio(TYPED, BARE).percent()),
            ratio(SDK, TYPED).percent(),
        ]);
    }
    Section {
        title: "SDK overhead: `user().info()` against a bare reqwest loop".into(),
        method: format!(
            "An in-process axum server on 127.0.0.1 answers `GET /cgi-bin/user/info` with a typical profile. \
             The bare loop makes the same GET (same URL and query, and the same reqwest client settings: \
             connection pool, 15 s request and 5 s connect timeouts) and reads the body; wechat-mp (configured \
             with an app secret and the default in-memory token store, the token fetched during the warm-up) \
             takes the token from its local copy of the store's, builds the request, checks `errcode` and decodes `UserInfo`. \
             Two more loops show where the difference goes: wechat-mp's runtime without typed decoding (the same \
             call through `send_bytes`, which still checks the body for an `errcode`), and a hand-written client: \
             the bare loop plus `serde_json::from_slice` into the same `UserInfo`. \
             After a warm-up, {ROUNDS} rounds each run every loop once, for {} calls sequentially and {} calls \
             64-way (or {}s), starting with a different loop each round. A loop's calls/s is its best round: \
             other work on a shared virtual machine only ever slows a round down. A ratio is the median of the \
             rounds' own ratios, each taken between loops that ran within a second of each other, with the 95% \
             confidence interval of that median in brackets (from the ranks of the rounds' ratios, which assumes \
             nothing about their distribution): the host's load moves rates by up to a third from one run to the \
             next, and single rounds' ratios by a quarter.",
            CALLS[0],
            CALLS[1],
            BUDGET.as_secs()
        ),
        header: vec![
            "mode".into(),
            "bare reqwest calls/s".into(),
            "wechat-mp calls/s".into(),
            "wechat-mp / bare".into(),
            "runtime without typed decoding, calls/s (/ bare)".into(),
            "bare + serde_json into `UserInfo`, calls/s (/ bare)".into(),
            "wechat-mp / (bare + serde_json)".into(),
        ],
        rows,
        notes: vec![format!(
            "Target: wechat-mp within 10% of the bare loop (at least {:.0}%): {}.",
            100.0 * TARGET,
            verdicts.join("; ")
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::Spread;

    #[test]
    fn the_interval_of_a_median_narrows_with_more_figures() {
        // The ranks that tables of the median's interval give for 9 and 100 figures.
        let few = Spread::of((1..=9).map(f64::from));
        assert_eq!(few.median, 5.0);
        assert_eq!((few.low, few.high), (2.0, 8.0));
        let many = Spread::of((1..=100).map(f64::from));
        assert_eq!(many.median, 50.5);
        assert_eq!((many.low, many.high), (40.0, 61.0));
        assert_eq!(many.percent(), "5050.0% [4000.0-6100.0]");
        let one = Spread::of([0.9].into_iter());
        assert_eq!((one.low, one.median, one.high), (0.9, 0.9, 0.9));
    }
}
