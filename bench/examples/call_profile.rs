//! `valgrind --tool=callgrind target/release/examples/call_profile MODE N`: N calls of one
//! kind (sdk, secret, send, nodecode, raw, typed, bare; `size` prints future sizes)
//! against the in-process server, for instruction counts per call. The bench's
//! `profile` section runs it under cachegrind.

#[path = "../src/server.rs"]
#[allow(dead_code)]
mod server;

use std::time::Duration;

use wechat_mp::{Client, Host};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).cloned().unwrap_or_else(|| "sdk".into());
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let srv = server::start(Duration::ZERO).await;
        let sdk = Client::builder()
            .app_id("wxbench")
            .access_token(server::TOKEN)
            .base_url(Host::Api, &srv.base_url)
            .build()
            .unwrap();
        let sdk_secret = Client::builder()
            .app_id("wxbench")
            .app_secret("BENCH-SECRET")
            .base_url(Host::Api, &srv.base_url)
            .build()
            .unwrap();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .user_agent("wechat-mp-bench")
            .build()
            .unwrap();
        let url = format!(
            "{}/cgi-bin/user/info?access_token={}&openid=odkJ9uE2f1BTY2rBKpFKvCcVoMvM",
            srv.base_url,
            server::TOKEN
        );
        if mode == "size" {
            let request = sdk.user().info("o");
            println!(
                "InfoRequest::send future: {} bytes",
                std::mem::size_of_val(&request.send())
            );
            let r = wechat_mp::request::ApiRequest::new(&server::USER_INFO_BYTES);
            println!(
                "send_json future: {} bytes",
                std::mem::size_of_val(&sdk.send_json::<serde_json::Value>(r))
            );
            println!(
                "access_token future: {} bytes",
                std::mem::size_of_val(&sdk.access_token())
            );
            println!(
                "bare send future: {} bytes",
                std::mem::size_of_val(&http.get(&url).send())
            );
            return;
        }
        for _ in 0..n {
            match mode.as_str() {
                "sdk" => {
                    std::hint::black_box(sdk.user().info("odkJ9uE2f1BTY2rBKpFKvCcVoMvM").await.unwrap());
                }
                "secret" => {
                    std::hint::black_box(sdk_secret.user().info("odkJ9uE2f1BTY2rBKpFKvCcVoMvM").await.unwrap());
                }
                "send" => {
                    std::hint::black_box(
                        sdk_secret
                            .user()
                            .info("odkJ9uE2f1BTY2rBKpFKvCcVoMvM")
                            .send()
                            .await
                            .unwrap(),
                    );
                }
                "nodecode" => {
                    let request = wechat_mp::request::ApiRequest::new(&server::USER_INFO_BYTES)
                        .query("openid", "odkJ9uE2f1BTY2rBKpFKvCcVoMvM");
                    std::hint::black_box(sdk.send_json::<serde::de::IgnoredAny>(request).await.unwrap());
                }
                "raw" => {
                    let request = wechat_mp::request::ApiRequest::new(&server::USER_INFO_BYTES)
                        .query("openid", "odkJ9uE2f1BTY2rBKpFKvCcVoMvM");
                    std::hint::black_box(sdk.send_bytes(request).await.unwrap());
                }
                "typed" => {
                    let body = http.get(&url).send().await.unwrap().bytes().await.unwrap();
                    let info: wechat_mp::api::user::UserInfo = serde_json::from_slice(&body).unwrap();
                    std::hint::black_box(info);
                }
                _ => {
                    let body = http.get(&url).send().await.unwrap().bytes().await.unwrap();
                    std::hint::black_box(body);
                }
            }
        }
    });
}
