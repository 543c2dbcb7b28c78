//! A wiremock server per test, for hand-written exchanges the spec mock does not
//! script: pages answered in sequence, exact matchers, counts of calls.
//!
//! Each host (api, mp, open) is served under its own path prefix, so a request sent to
//! the wrong host misses its mock.

use wechat_mp::{Client, Host};
use wiremock::MockServer;

pub use crate::{APP_ID, APP_SECRET};

/// The access token every scripted client sends.
pub const ACCESS_TOKEN: &str = "MOCK-ACCESS-TOKEN-abcdef";

/// A running wiremock server.
pub struct Scripted {
    server: MockServer,
}

fn prefix(host: Host) -> &'static str {
    match host {
        Host::Api => "/api-host",
        Host::Mp => "/mp-host",
        Host::Open => "/open-host",
    }
}

impl Scripted {
    /// Starts a server on a random loopback port.
    pub async fn start() -> Self {
        Scripted {
            server: MockServer::start().await,
        }
    }

    /// The underlying wiremock server, to mount mocks on.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The base URL the client uses for `host`.
    pub fn base_url(&self, host: Host) -> String {
        format!("{}{}", self.server.uri(), prefix(host))
    }

    /// A client pointed at this server for every host, with a fixed access token.
    pub fn client(&self) -> Client {
        Client::builder()
            .app_id(APP_ID)
            .app_secret(APP_SECRET)
            .access_token(ACCESS_TOKEN)
            // Each mock answers once: an error sample of `-1` must not be retried.
            .retry(wechat_mp::RetryPolicy::none())
            .base_url(Host::Api, self.base_url(Host::Api))
            .base_url(Host::Mp, self.base_url(Host::Mp))
            .base_url(Host::Open, self.base_url(Host::Open))
            .build()
            .expect("a valid client")
    }

    /// Panics, listing what arrived, unless every mounted mock saw its calls.
    pub async fn verify(&self) {
        self.server.verify().await;
    }
}
