//! Finding a real Redis for the Redis store tests.
//!
//! `WECHAT_MP_TEST_REDIS_URL` names a running server (`.ci/run` starts one on
//! 127.0.0.1); the restart test starts its own `redis-server` from `PATH`. Without
//! them the tests say that they were skipped, and pass.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The environment variable naming the shared test server.
pub const URL_VAR: &str = "WECHAT_MP_TEST_REDIS_URL";

/// The shared server's URL, or `None` after printing why the test is skipped.
pub fn url_or_skip(test: &str) -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("SKIPPED {test}: set {URL_VAR} to a Redis URL (as .ci/run does) to run it");
            None
        }
    }
}

/// A key prefix no other test (or earlier run) uses.
pub fn unique_prefix(test: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "wechat-mp-test:{test}:{}:{nanos}:{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A `redis-server` this test owns, on a free loopback port, without persistence.
pub struct OwnRedis {
    child: Option<Child>,
    port: u16,
}

impl OwnRedis {
    /// Starts one, or `None` (after saying the test is skipped) if `redis-server` is
    /// not installed.
    pub fn start_or_skip(test: &str) -> Option<Self> {
        let port = TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let mut redis = OwnRedis { child: None, port };
        if redis.spawn().is_err() {
            eprintln!("SKIPPED {test}: redis-server is not on PATH (.ci/run installs it)");
            return None;
        }
        Some(redis)
    }

    fn spawn(&mut self) -> std::io::Result<()> {
        let child = Command::new("redis-server")
            .args([
                "--bind",
                "127.0.0.1",
                "--port",
                &self.port.to_string(),
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        self.child = Some(child);
        // Bounded wait for it to accept connections.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(std::io::Error::other("redis-server did not start"))
    }

    /// Its URL.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kills it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, empty.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn().expect("redis-server restarts");
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
