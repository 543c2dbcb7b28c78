//! Helpers for the runtime tests: hand-made endpoints, a mock token endpoint that issues
//! a new token each time, a client wired to the mock server, and temporary directories.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use wechat_mp::endpoint::{Auth, Endpoint, Host, Method, ResponseKind};
use wechat_mp::token::{CachedToken, CredentialKey, RefreshLock, RejectionPolicy, StoreFuture, TokenStore};
use wechat_mp::{Client, ClientBuilder, RetryPolicy, Secret};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub use crate::{APP_ID, APP_SECRET};
/// The prefix of every token [`TokenSequence`] issues.
pub const TOKEN_PREFIX: &str = "ACCESSTOKEN-must-not-leak-";

/// An idempotent (GET) endpoint that carries the access token.
pub static GET_EP: Endpoint = Endpoint {
    group: "runtime",
    name: "get_thing",
    method: Method::Get,
    host: Host::Api,
    path: "/cgi-bin/runtime/get",
    auth: Auth::AccessToken,
    response: ResponseKind::Json,
};

/// A non-idempotent (POST) endpoint that carries the access token.
pub static POST_EP: Endpoint = Endpoint {
    group: "runtime",
    name: "create_thing",
    method: Method::Post,
    host: Host::Api,
    path: "/cgi-bin/runtime/create",
    auth: Auth::AccessToken,
    response: ResponseKind::Empty,
};

/// An endpoint answering with raw bytes.
pub static BINARY_EP: Endpoint = Endpoint {
    group: "runtime",
    name: "download",
    method: Method::Get,
    host: Host::Api,
    path: "/cgi-bin/runtime/download",
    auth: Auth::AccessToken,
    response: ResponseKind::Binary,
};

/// The `n`th token (1-based) that [`TokenSequence`] issues.
pub fn token(n: usize) -> String {
    format!("{TOKEN_PREFIX}{n}")
}

/// A `/cgi-bin/token` responder issuing `token(1)`, `token(2)`, ... valid for
/// `expires_in` seconds.
pub struct TokenSequence {
    issued: AtomicUsize,
    expires_in: u64,
    delay: Duration,
}

impl TokenSequence {
    /// Tokens valid for two hours, as WeChat issues them.
    pub fn new() -> Self {
        Self::with_expiry(7200)
    }

    /// Tokens valid for `expires_in` seconds.
    pub fn with_expiry(expires_in: u64) -> Self {
        TokenSequence {
            issued: AtomicUsize::new(0),
            expires_in,
            delay: Duration::ZERO,
        }
    }

    /// Answers each request only after `delay`, like a slow token service.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

impl Default for TokenSequence {
    fn default() -> Self {
        Self::new()
    }
}

impl Respond for TokenSequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({
                "access_token": token(n),
                "expires_in": self.expires_in,
            }))
            .set_delay(self.delay)
    }
}

/// Mounts the `/cgi-bin/token` endpoint, expected to be called `expected` times.
pub async fn mount_token_endpoint(server: &MockServer, expected: u64) {
    Mock::given(method("GET"))
        .and(path("/cgi-bin/token"))
        .respond_with(TokenSequence::new())
        .expect(expected)
        .named("token endpoint")
        .mount(server)
        .await;
}

/// A token issued an hour ago and valid for another: old enough that WeChat rejecting
/// it means it went stale, not that something else is wrong.
pub fn stale_token(value: &str) -> CachedToken {
    let issued = std::time::SystemTime::now() - Duration::from_secs(3600);
    CachedToken::new(value, issued, issued + Duration::from_secs(7200))
}

/// Responds with the given bodies in turn, repeating the last one.
pub struct Sequence {
    served: AtomicUsize,
    responses: Vec<ResponseTemplate>,
}

impl Sequence {
    /// Responds with `responses` in order; the last one answers every later request.
    pub fn new(responses: Vec<ResponseTemplate>) -> Self {
        assert!(!responses.is_empty(), "a sequence needs at least one response");
        Sequence {
            served: AtomicUsize::new(0),
            responses,
        }
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst);
        self.responses[n.min(self.responses.len() - 1)].clone()
    }
}

/// A JSON response with the given `errcode`.
pub fn errcode(code: i64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"errcode": code, "errmsg": format!("code {code}")}))
}

/// A builder for a client of [`APP_ID`] whose API host is `server`, with fast retries
/// so that tests do not wait on production backoff.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .app_id(APP_ID)
        .base_url(Host::Api, server.uri())
        .base_url(Host::Mp, server.uri())
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy::new(2, Duration::from_millis(1)))
        // These tests reject tokens the mock issued moments before, which a real client
        // takes for a fault elsewhere and does not refresh (`it/runtime/rejection_quota`
        // tests that, with the default policy).
        .rejection_policy(RejectionPolicy {
            fresh_for: Duration::ZERO,
            ..RejectionPolicy::default()
        })
}

/// A client that fetches tokens with [`APP_SECRET`] from `server`.
pub fn client(server: &MockServer) -> Client {
    builder(server)
        .app_secret(APP_SECRET)
        .build()
        .expect("test client builds")
}

/// The requests `server` received on `path`.
pub async fn requests_to(server: &MockServer, path: &str) -> Vec<Request> {
    let all = server.received_requests().await.expect("request recording is on");
    all.into_iter().filter(|r| r.url.path() == path).collect()
}

/// The `access_token` query parameter of `request`.
pub fn access_token_of(request: &Request) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == "access_token")
        .map(|(_, v)| v.into_owned())
}

/// A [`TokenStore`] that counts the reads it passes on to `inner`.
pub struct CountingStore<S> {
    inner: S,
    reads: Arc<AtomicUsize>,
}

impl<S> CountingStore<S> {
    /// Wraps `inner`; `reads` counts every `get`.
    pub fn new(inner: S) -> (Self, Arc<AtomicUsize>) {
        let reads = Arc::new(AtomicUsize::new(0));
        (
            CountingStore {
                inner,
                reads: reads.clone(),
            },
            reads,
        )
    }
}

impl<S: TokenStore> TokenStore for CountingStore<S> {
    fn get<'a>(&'a self, key: &'a CredentialKey) -> StoreFuture<'a, Option<CachedToken>> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.inner.get(key)
    }

    fn set<'a>(&'a self, key: &'a CredentialKey, token: &'a CachedToken) -> StoreFuture<'a, ()> {
        self.inner.set(key, token)
    }

    fn invalidate<'a>(&'a self, key: &'a CredentialKey, stale: &'a Secret) -> StoreFuture<'a, bool> {
        self.inner.invalidate(key, stale)
    }

    fn lock<'a>(&'a self, key: &'a CredentialKey, ttl: Duration) -> StoreFuture<'a, Option<RefreshLock>> {
        self.inner.lock(key, ttl)
    }

    fn unlock<'a>(&'a self, key: &'a CredentialKey, lock: RefreshLock) -> StoreFuture<'a, ()> {
        self.inner.unlock(key, lock)
    }
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a directory whose name starts with `tag`.
    pub fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("wechat-mp-{tag}-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir can be created");
        TempDir(dir)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
