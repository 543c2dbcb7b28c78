//! Configuring a [`Client`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::retry::RetryPolicy;
use super::tokens::fetch::TokenEndpoint;
use super::tokens::ticket::TicketFetcher;
use super::tokens::{Settings, TokenManager, TokenSource};
use super::{Client, Inner};
use crate::endpoint::Host;
use crate::error::Error;
use crate::http::{BaseUrls, Transport};
use crate::secret::Secret;
use crate::token::{
    CredentialKey, CredentialKind, MemoryStore, RefreshLockPolicy, RejectionPolicy, TokenProvider, TokenStore,
};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// WeChat keeps the old token valid for 5 minutes after issuing a new one and
/// `stable_token` renews 5 minutes ahead; refreshing inside that window is safe.
const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);
/// Well inside the five minutes WeChat keeps answering a token after a new one is
/// fetched, so a copy older than another instance's refresh still works.
const DEFAULT_LOCAL_TOKEN_TTL: Duration = Duration::from_secs(60);
/// Several times WeChat's largest answers read whole (media of some 20 MB).
const DEFAULT_MAX_BODY_SIZE: usize = 64 << 20;
const DEFAULT_USER_AGENT: &str = concat!("wechat-mp/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`]. Only [`app_id`](ClientBuilder::app_id) is required; calls
/// that need an access token also need [`app_secret`](ClientBuilder::app_secret),
/// [`access_token`](ClientBuilder::access_token) or
/// [`token_provider`](ClientBuilder::token_provider).
pub struct ClientBuilder {
    app_id: Option<String>,
    app_secret: Option<Secret>,
    access_token: Option<Secret>,
    base_urls: BaseUrls,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    user_agent: Option<String>,
    max_body_size: usize,
    store: Option<Arc<dyn TokenStore>>,
    provider: Option<Arc<dyn TokenProvider>>,
    stable_token: bool,
    refresh_margin: Duration,
    local_token_ttl: Duration,
    refresh_lock: RefreshLockPolicy,
    rejection: RejectionPolicy,
    retry: RetryPolicy,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            app_id: None,
            app_secret: None,
            access_token: None,
            base_urls: BaseUrls::default(),
            http: None,
            timeout: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: None,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            store: None,
            provider: None,
            stable_token: false,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            local_token_ttl: DEFAULT_LOCAL_TOKEN_TTL,
            refresh_lock: RefreshLockPolicy::default(),
            rejection: RejectionPolicy::default(),
            retry: RetryPolicy::default(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("app_id", &self.app_id)
            .field("app_secret", &self.app_secret)
            .field("access_token", &self.access_token)
            .field("base_urls", &self.base_urls)
            .field("timeout", &self.timeout)
            .field("max_body_size", &self.max_body_size)
            .field("stable_token", &self.stable_token)
            .field("refresh_margin", &self.refresh_margin)
            .field("local_token_ttl", &self.local_token_ttl)
            .field("refresh_lock", &self.refresh_lock)
            .field("rejection", &self.rejection)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The account's app id (`wx...`).
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The account's app secret, used to fetch access tokens. Never printed.
    pub fn app_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.app_secret = Some(secret.into());
        self
    }

    /// Uses this access token for every call instead of fetching one. It is never
    /// refreshed; a call it fails for returns the error as is.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// Overrides the base URL of one host (tests, proxies, regional endpoints).
    pub fn base_url(mut self, host: Host, url: impl Into<String>) -> Self {
        self.base_urls.set(host, url.into());
        self
    }

    /// Uses this `reqwest::Client` instead of building one, e.g. to share a connection
    /// pool or set a proxy. [`timeout`](ClientBuilder::timeout) and
    /// [`user_agent`](ClientBuilder::user_agent), when set, still apply to each request.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Total time one HTTP request may take (default 15 s).
    ///
    /// A streamed download (`send_stream`) has no total limit, so large media is not cut
    /// off while it arrives: this bounds the wait for WeChat's answer and then for each
    /// chunk of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time to establish a connection, for the default HTTP client (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `wechat-mp/VERSION`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The largest response body a call reads whole (default 64 MiB): every JSON
    /// answer, and media fetched with `send` or `.await` rather than `send_stream`. A
    /// larger body fails the call with [`Error::TooLarge`] instead of filling memory;
    /// WeChat's largest answers (media of up to some 20 MB, follower lists of 10,000
    /// openids) are well under the default.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Where access tokens are cached (default: a [`MemoryStore`] of this client's own).
    /// Pass an `Arc` to keep a handle on the store or share it between clients.
    pub fn token_store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Gets access tokens from `provider` instead of from WeChat.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// Fetches tokens with `POST /cgi-bin/stable_token` instead of `GET /cgi-bin/token`.
    /// Stable tokens are isolated from ordinary ones, so several independent services
    /// can each fetch one without invalidating each other's.
    pub fn stable_token(mut self, stable: bool) -> Self {
        self.stable_token = stable;
        self
    }

    /// How long before expiry a token is replaced (default 5 minutes). Capped at half
    /// the token's lifetime.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// How long a fresh token read from the [`TokenStore`] is sent again without
    /// reading the store (default 60 s; zero reads it on every call).
    ///
    /// With a shared store such as Redis this spares each call a round trip. A copy
    /// never outlives the token's refresh margin, and one WeChat rejects is dropped at
    /// once. Keep it under five minutes: that is how long WeChat still answers a token
    /// after another instance has fetched a new one.
    pub fn local_token_ttl(mut self, ttl: Duration) -> Self {
        self.local_token_ttl = ttl;
        self
    }

    /// What a token WeChat rejects may cost in token requests (default: at most one
    /// refresh per 30 s per account across every instance sharing the store, none for a
    /// token rejected within 10 s of being fetched, 15 forced `stable_token` refreshes a
    /// day); see [`RejectionPolicy`].
    pub fn rejection_policy(mut self, policy: RejectionPolicy) -> Self {
        self.rejection = policy;
        self
    }

    /// How a shared store's refresh lock is held and waited for (default: held at most
    /// 20 s, waited for at most 30 s). Only stores shared between processes, such as
    /// Redis, ever make a caller wait.
    pub fn refresh_lock(mut self, policy: RefreshLockPolicy) -> Self {
        self.refresh_lock = policy;
        self
    }

    /// How transient failures of idempotent calls are retried
    /// ([`RetryPolicy::none`] turns it off).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Builds the client, checking the configuration.
    pub fn build(self) -> Result<Client, Error> {
        let app_id = self
            .app_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| Error::Config {
                message: "app_id is required".into(),
            })?;
        let hosts = self.base_urls.parse()?;
        let user_agent = match &self.user_agent {
            Some(agent) => Some(HeaderValue::from_str(agent).map_err(|_| Error::Config {
                message: format!("user agent {agent:?} is not a valid header value"),
            })?),
            None => None,
        };
        let injected = self.http.is_some();
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT))
                .build()
                .map_err(|e| Error::Config {
                    message: e.without_url().to_string(),
                })?,
        };
        let known_secrets: Vec<Secret> = self.app_secret.iter().chain(&self.access_token).cloned().collect();
        let source = match (self.access_token, self.provider, &self.app_secret) {
            (Some(_), Some(_), _) => {
                return Err(Error::Config {
                    message: "access_token and token_provider are exclusive".into(),
                });
            }
            (Some(token), None, _) => TokenSource::Static(token),
            (None, Some(provider), _) => TokenSource::Provider(provider),
            (None, None, Some(secret)) => {
                let endpoint = if self.stable_token {
                    TokenEndpoint::Stable
                } else {
                    TokenEndpoint::Basic
                };
                TokenSource::WeChat {
                    secret: secret.clone(),
                    endpoint,
                }
            }
            (None, None, None) => TokenSource::Missing,
        };
        let store = self.store.unwrap_or_else(|| Arc::new(MemoryStore::new()));
        let manager = |kind: CredentialKind, source: TokenSource| {
            let key = CredentialKey::new(kind, app_id.clone());
            let settings = Settings {
                margin: self.refresh_margin,
                retry: self.retry,
                lock: self.refresh_lock,
                local_ttl: self.local_token_ttl,
                rejection: self.rejection,
            };
            TokenManager::new(key, source, store.clone(), settings)
        };
        let tokens = manager(CredentialKind::AccessToken, source);
        let transport = Transport {
            http,
            hosts,
            // The default client carries the limit itself; a per-request one would cost
            // every call an extensions map in reqwest.
            timeout: if injected { self.timeout } else { None },
            stream_idle: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            user_agent: if injected { user_agent } else { None },
            max_body_size: self.max_body_size,
            known_secrets,
        };
        // Tickets are fetched through the client that caches them, which it holds weakly.
        let inner = Arc::new_cyclic(|client| {
            let ticket = |kind| {
                let fetcher = TicketFetcher {
                    client: client.clone(),
                    kind,
                };
                manager(kind, TokenSource::Provider(Arc::new(fetcher)))
            };
            Inner {
                jsapi_ticket: ticket(CredentialKind::JsapiTicket),
                card_ticket: ticket(CredentialKind::CardApiTicket),
                app_id: app_id.clone(),
                app_secret: self.app_secret,
                transport,
                tokens,
                retry: self.retry,
            }
        });
        Ok(Client::from_arc(inner))
    }
}
