//! [`MockWechat`]: the server a test starts, and what the test asks of it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use tokio::task::JoinHandle;
use wechat_mp::endpoint::Host;
use wechat_mp::{Client, ClientBuilder, RetryPolicy};

use crate::catalog::catalog;
use crate::error::UnknownEndpoint;
use crate::fault::Fault;
use crate::record::{Call, Mismatch};
use crate::server::{prefix, router};
use crate::state::{Account, Answer, Shared, State};

/// The app id of a mock started without [`MockBuilder::app_id`].
pub const APP_ID: &str = "wx0000000000mock0";
/// Its app secret.
pub const APP_SECRET: &str = "mock-app-secret-0123456789abcdef";
/// Its callback token, for [`push_to`](MockWechat::push_to).
pub const CALLBACK_TOKEN: &str = "mock-callback-token";
/// Its `EncodingAESKey`: pushes are encrypted (safe mode) unless
/// [`MockBuilder::plain_pushes`] says otherwise.
pub const ENCODING_AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

/// A mock WeChat on 127.0.0.1: every endpoint of the specs, checked against them.
///
/// The server stops when this is dropped.
pub struct MockWechat {
    pub(crate) shared: Arc<Shared>,
    addr: SocketAddr,
    server: JoinHandle<()>,
}

impl std::fmt::Debug for MockWechat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockWechat")
            .field("addr", &self.addr)
            .field("app_id", &self.shared.account.app_id)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`MockWechat`] before it starts.
#[derive(Debug, Clone)]
pub struct MockBuilder {
    port: u16,
    account: Account,
}

impl Default for MockBuilder {
    fn default() -> Self {
        MockBuilder {
            port: 0,
            account: Account {
                app_id: APP_ID.into(),
                app_secret: APP_SECRET.into(),
                callback_token: CALLBACK_TOKEN.into(),
                encoding_aes_key: Some(ENCODING_AES_KEY.into()),
                original_id: "gh_0000mock0000".into(),
                token_lifetime: Duration::from_secs(7200),
            },
        }
    }
}

impl MockBuilder {
    /// The port on 127.0.0.1; 0, the default, takes a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The account's app id, which token requests must carry.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.account.app_id = app_id.into();
        self
    }

    /// The account's app secret, which token requests must carry.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.account.app_secret = secret.into();
        self
    }

    /// The token pushes are signed with, as set on WeChat's console.
    pub fn callback_token(mut self, token: impl Into<String>) -> Self {
        self.account.callback_token = token.into();
        self
    }

    /// The `EncodingAESKey` pushes are encrypted with (safe mode).
    pub fn encoding_aes_key(mut self, key: impl Into<String>) -> Self {
        self.account.encoding_aes_key = Some(key.into());
        self
    }

    /// Pushes in plain mode, unencrypted.
    pub fn plain_pushes(mut self) -> Self {
        self.account.encoding_aes_key = None;
        self
    }

    /// The account's original id (`gh_…`), the `ToUserName` of pushes.
    pub fn original_id(mut self, id: impl Into<String>) -> Self {
        self.account.original_id = id.into();
        self
    }

    /// How long an issued access token lives; WeChat's is 7200 s.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.account.token_lifetime = lifetime;
        self
    }

    /// Binds 127.0.0.1 and starts serving.
    ///
    /// # Errors
    /// When the port cannot be bound.
    pub async fn start(self) -> std::io::Result<MockWechat> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            account: self.account,
            state: Mutex::new(State::default()),
        });
        let app = router(shared.clone());
        let server = tokio::spawn(async move {
            // Serving ends only with an accept error, after which there is nothing to do.
            let _ = axum::serve(listener, app).await;
        });
        Ok(MockWechat { shared, addr, server })
    }
}

impl Drop for MockWechat {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl MockWechat {
    /// Starts a mock with the default account on a free port of 127.0.0.1.
    ///
    /// # Panics
    /// When no loopback port can be bound; [`MockBuilder::start`] returns the error.
    pub async fn start() -> MockWechat {
        MockWechat::builder()
            .start()
            .await
            .unwrap_or_else(|e| panic!("the mock cannot bind 127.0.0.1: {e}"))
    }

    /// A builder, to set the account or the port.
    pub fn builder() -> MockBuilder {
        MockBuilder::default()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give a client for `host`.
    pub fn base_url(&self, host: Host) -> String {
        format!("http://{}{}", self.addr, prefix(host))
    }

    /// The base URL of each host.
    pub fn base_urls(&self) -> [(Host, String); 3] {
        [Host::Api, Host::Mp, Host::Open].map(|h| (h, self.base_url(h)))
    }

    /// The account's app id.
    pub fn app_id(&self) -> &str {
        &self.shared.account.app_id
    }

    /// A client builder with the account's credentials and every host pointed here:
    /// add what the code under test configures, then `build`.
    pub fn client_builder(&self) -> ClientBuilder {
        self.base_urls().into_iter().fold(
            Client::builder()
                .app_id(self.shared.account.app_id.clone())
                .app_secret(self.shared.account.app_secret.clone()),
            |builder, (host, url)| builder.base_url(host, url),
        )
    }

    /// A client that fetches its token from the mock and does not retry, so that each
    /// call is exactly one request.
    pub fn client(&self) -> Client {
        self.client_builder()
            .retry(RetryPolicy::none())
            .build()
            // Every setting above is one the builder accepts.
            .unwrap_or_else(|e| panic!("the mock's client settings are refused: {e}"))
    }

    fn id(&self, endpoint: &str) -> Result<&'static str, UnknownEndpoint> {
        let catalog = catalog();
        catalog.id(endpoint).ok_or_else(|| UnknownEndpoint {
            name: endpoint.to_owned(),
            near: catalog.near(endpoint),
        })
    }

    /// The requests received for `endpoint` (`menu.create`), oldest first.
    ///
    /// # Errors
    /// When no endpoint has that name.
    pub fn calls(&self, endpoint: &str) -> Result<Vec<Call>, UnknownEndpoint> {
        let id = self.id(endpoint)?;
        Ok(self
            .shared
            .lock()
            .calls
            .iter()
            .filter(|c| c.is_for(id))
            .cloned()
            .collect())
    }

    /// Every request received for a known endpoint, oldest first.
    pub fn all_calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// The requests that did not fit the specs, oldest first.
    pub fn mismatches(&self) -> Vec<Mismatch> {
        self.shared.lock().mismatches.clone()
    }

    /// Panics, listing them, if any request did not fit the specs.
    pub fn assert_no_mismatches(&self) {
        let mismatches = self.mismatches();
        assert!(
            mismatches.is_empty(),
            "requests that WeChat would refuse:\n{}",
            mismatches
                .iter()
                .map(|m| format!("  {m}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// The next `times` calls of `endpoint` answer `fault` instead.
    ///
    /// # Errors
    /// When no endpoint has that name.
    pub fn fail_next(&self, endpoint: &str, times: usize, fault: Fault) -> Result<(), UnknownEndpoint> {
        let id = self.id(endpoint)?;
        let mut state = self.shared.lock();
        state
            .faults
            .entry(id)
            .or_default()
            .extend(std::iter::repeat_n(fault, times));
        Ok(())
    }

    /// `endpoint` answers `json` from now on instead of its spec's example; a request
    /// that does not fit the specs still gets the errcode WeChat gives.
    ///
    /// # Errors
    /// When no endpoint has that name.
    pub fn respond(&self, endpoint: &str, json: Value) -> Result<(), UnknownEndpoint> {
        let id = self.id(endpoint)?;
        self.shared.lock().replies.insert(id, Answer::Json(json));
        Ok(())
    }

    /// The next calls of `endpoint` answer `answers`, one each, in order; after them it
    /// answers as before. For pages of a list: `wx.respond_next("user.get", [page1, page2])`.
    ///
    /// # Errors
    /// When no endpoint has that name.
    pub fn respond_next(
        &self,
        endpoint: &str,
        answers: impl IntoIterator<Item = Value>,
    ) -> Result<(), UnknownEndpoint> {
        let id = self.id(endpoint)?;
        let mut state = self.shared.lock();
        state
            .queued
            .entry(id)
            .or_default()
            .extend(answers.into_iter().map(Answer::Json));
        Ok(())
    }

    /// `endpoint` answers these bytes from now on, as a download does.
    ///
    /// # Errors
    /// When no endpoint has that name.
    pub fn respond_bytes(
        &self,
        endpoint: &str,
        bytes: impl Into<Bytes>,
        content_type: &str,
    ) -> Result<(), UnknownEndpoint> {
        let id = self.id(endpoint)?;
        let answer = Answer::Bytes(bytes.into(), content_type.to_owned());
        self.shared.lock().replies.insert(id, answer);
        Ok(())
    }

    /// Lets every token issued so far expire: calls with one answer 42001.
    pub fn expire_tokens(&self) {
        self.shared.lock().tokens.expire_all();
    }

    /// Forgets every token issued so far, as when another instance replaced them: calls
    /// with one answer 40001.
    pub fn revoke_tokens(&self) {
        self.shared.lock().tokens.revoke_all();
    }

    /// Accepts `token` as a valid access token for the account's usual lifetime, for a
    /// client given a fixed token.
    pub fn accept_token(&self, token: &str) {
        let lifetime = self.shared.account.token_lifetime;
        self.shared.lock().tokens.accept(token, lifetime);
    }

    /// How many endpoints of the specs it serves.
    pub fn endpoint_count(&self) -> usize {
        catalog().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn debug_shows_neither_the_secret_nor_the_key() {
        let builder = MockWechat::builder()
            .app_secret("s3cr3t-value")
            .encoding_aes_key("K".repeat(43));
        let wx = builder.clone().start().await.unwrap();
        for text in [format!("{builder:?}"), format!("{wx:?}")] {
            assert!(text.contains(APP_ID), "{text}");
            assert!(
                !text.contains("s3cr3t-value") && !text.contains(&"K".repeat(43)),
                "{text}"
            );
            assert!(!text.contains(CALLBACK_TOKEN), "{text}");
        }
    }
}
