//! The `wechat-mp-mock` binary, as a test in another language or a curl session uses it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_wechat-mp-mock");

/// Kills the server however the test ends.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_tokens_and_endpoints_on_the_port_it_prints() {
    let mut child = Running(
        Command::new(BIN)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary starts"),
    );
    let stdout = child.0.stdout.take().expect("piped stdout");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut lines = BufReader::new(stdout).lines();
    let api = loop {
        assert!(Instant::now() < deadline, "no base URL printed within 10 s");
        let line = lines.next().expect("the binary exited early").unwrap();
        if let Some(url) = line.trim().strip_prefix("Api: ") {
            break url.to_owned();
        }
    };
    assert!(api.starts_with("http://127.0.0.1:"), "{api}");

    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let token_url = format!(
        "{api}/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
        wechat_mp_mock::APP_ID,
        wechat_mp_mock::APP_SECRET
    );
    let answer: serde_json::Value =
        serde_json::from_str(&http.get(token_url).send().await.unwrap().text().await.unwrap()).unwrap();
    let token = answer["access_token"].as_str().expect("a token");
    assert_eq!(answer["expires_in"], 7200);

    let menu = format!("{api}/cgi-bin/menu/create?access_token={token}");
    let answer = http
        .post(&menu)
        .body(r#"{"button":[]}"#)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(answer.contains(r#""errcode":0"#), "{answer}");
    let answer = http.post(&menu).body("{}").send().await.unwrap().text().await.unwrap();
    assert!(answer.contains(r#""errcode":47001"#), "{answer}");
}

#[test]
fn bad_arguments_print_the_usage_and_exit_2() {
    let out = Command::new(BIN).args(["--port", "eighty"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: wechat-mp-mock"));
}
