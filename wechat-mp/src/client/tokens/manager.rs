//! Deciding when to fetch a token, making sure only one caller does, and forgetting a
//! token WeChat rejected.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use super::fetch::{self, TokenEndpoint};
use crate::client::retry::RetryPolicy;
use crate::error::Error;
use crate::http::Transport;
use crate::secret::Secret;
use crate::token::{
    CachedToken, CredentialKey, RefreshLock, RefreshLockPolicy, TokenProvider, TokenRequest, TokenStore,
};

/// How often a caller waiting for another process's refresh looks at the store.
const LOCK_POLL: Duration = Duration::from_millis(100);

/// Where fresh access tokens come from.
pub(crate) enum TokenSource {
    /// None configured: calls that need a token fail with a configuration error.
    Missing,
    /// A token given by the user, used as is and never refreshed.
    Static(Secret),
    /// Fetched from WeChat with the app secret.
    WeChat { secret: Secret, endpoint: TokenEndpoint },
    /// Fetched from the user's provider.
    Provider(Arc<dyn TokenProvider>),
}

/// Keeps one client's access token valid.
pub(crate) struct TokenManager {
    key: CredentialKey,
    source: TokenSource,
    store: Arc<dyn TokenStore>,
    margin: Duration,
    retry: RetryPolicy,
    lock: RefreshLockPolicy,
    /// Single-flight: at most one refresh per client at a time.
    flight: tokio::sync::Mutex<()>,
    /// The token WeChat last rejected, until a new one is fetched.
    rejected: Mutex<Option<Secret>>,
    /// How long a fresh token read from the store is sent without reading it again.
    local_ttl: Duration,
    /// That token, while it may be sent without asking the store.
    local: Mutex<Option<LocalCopy>>,
}

/// A fresh token from the store, kept in this client.
///
/// A shared store costs each call a round trip (Redis) or a file read; a copy spares
/// them. Another instance may replace the token meanwhile: WeChat keeps answering the
/// old one for five minutes, and one it rejects is forgotten here as in the store.
struct LocalCopy {
    token: Secret,
    until: Instant,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            TokenSource::Missing => "missing",
            TokenSource::Static(_) => "static",
            TokenSource::WeChat {
                endpoint: TokenEndpoint::Basic,
                ..
            } => "cgi-bin/token",
            TokenSource::WeChat {
                endpoint: TokenEndpoint::Stable,
                ..
            } => "cgi-bin/stable_token",
            TokenSource::Provider(_) => "provider",
        };
        f.debug_struct("TokenManager")
            .field("key", &self.key)
            .field("source", &source)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

enum Waited {
    Locked(RefreshLock),
    Found(Secret),
}

impl TokenManager {
    pub(crate) fn new(
        key: CredentialKey,
        source: TokenSource,
        store: Arc<dyn TokenStore>,
        margin: Duration,
        retry: RetryPolicy,
        lock: RefreshLockPolicy,
        local_ttl: Duration,
    ) -> Self {
        TokenManager {
            key,
            source,
            store,
            margin,
            retry,
            lock,
            flight: tokio::sync::Mutex::new(()),
            rejected: Mutex::new(None),
            local_ttl,
            local: Mutex::new(None),
        }
    }

    /// Whether a rejected token can be replaced by another one.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.source, TokenSource::WeChat { .. } | TokenSource::Provider(_))
    }

    /// A token to send now, if one is at hand without asking the store or WeChat.
    #[inline]
    pub(crate) fn token_at_hand(&self) -> Option<Secret> {
        match &self.source {
            TokenSource::Static(token) => Some(token.clone()),
            TokenSource::Missing => None,
            TokenSource::WeChat { .. } | TokenSource::Provider(_) => {
                let local = self.local.lock().unwrap_or_else(PoisonError::into_inner);
                local
                    .as_ref()
                    .filter(|copy| Instant::now() < copy.until)
                    .map(|copy| copy.token.clone())
            }
        }
    }

    /// Keeps `token`, just found fresh in the store or put there, for the next calls.
    fn keep(&self, token: &CachedToken, now: SystemTime) {
        // A caller that read the store just before another's rejection must not bring
        // the rejected token back.
        if self.is_rejected(token.value()) {
            return;
        }
        let Some(fresh_for) = token
            .fresh_until(self.margin)
            .and_then(|until| until.duration_since(now).ok())
        else {
            return;
        };
        let keep_for = fresh_for.min(self.local_ttl);
        if keep_for.is_zero() {
            return;
        }
        *self.local.lock().unwrap_or_else(PoisonError::into_inner) = Some(LocalCopy {
            token: token.value().clone(),
            until: Instant::now() + keep_for,
        });
    }

    /// A token to send now.
    pub(crate) async fn token(&self, transport: &Transport) -> Result<Secret, Error> {
        if let TokenSource::Missing = self.source {
            return Err(Error::Config {
                message: "this endpoint needs an access token: configure app_secret, \
                          access_token or token_provider"
                    .into(),
            });
        }
        // A static token is always at hand.
        if let Some(token) = self.token_at_hand() {
            return Ok(token);
        }
        let cached = match self.store.get_now(&self.key) {
            Some(cached) => cached,
            None => self.store.get(&self.key).await?,
        };
        let now = SystemTime::now();
        match cached {
            Some(cached) if cached.is_fresh(now, self.margin) => {
                self.keep(&cached, now);
                Ok(cached.value().clone())
            }
            // Boxed so that every call's future stays small: the refresh path (locks,
            // store, fetch) is large and rarely taken.
            cached => Box::pin(self.refresh_or_wait(transport, cached, now)).await,
        }
    }

    /// The token when the stored one is missing, expired or due for an early refresh.
    async fn refresh_or_wait(
        &self,
        transport: &Transport,
        cached: Option<CachedToken>,
        now: SystemTime,
    ) -> Result<Secret, Error> {
        if let Some(cached) = cached
            && cached.is_usable(now)
        {
            // Ahead of expiry: one caller refreshes while the others go on with the
            // token that is still valid, so nobody waits at the expiry instant.
            let Ok(_flight) = self.flight.try_lock() else {
                return Ok(cached.value().clone());
            };
            return match self.refresh(transport).await {
                Ok(fresh) => Ok(fresh),
                Err(error) => {
                    tracing::warn!(%error, key = %self.key, "early token refresh failed; using the current token");
                    Ok(cached.value().clone())
                }
            };
        }
        let _flight = self.flight.lock().await;
        // Whoever held the flight before us may have just stored a token.
        if let Some(cached) = self.store.get(&self.key).await?
            && cached.is_usable(SystemTime::now())
            && !self.is_rejected(cached.value())
        {
            return Ok(cached.value().clone());
        }
        self.refresh(transport).await
    }

    /// Forgets `failed`, which WeChat rejected, unless the store already moved on.
    pub(crate) async fn invalidate(&self, failed: &Secret) -> Result<(), Error> {
        {
            let mut local = self.local.lock().unwrap_or_else(PoisonError::into_inner);
            if local.as_ref().is_some_and(|copy| copy.token == *failed) {
                *local = None;
            }
        }
        if self.store.invalidate(&self.key, failed).await? {
            tracing::info!(key = %self.key, "access token rejected by WeChat; invalidated");
            *self.rejected.lock().unwrap_or_else(PoisonError::into_inner) = Some(failed.clone());
        }
        Ok(())
    }

    fn is_rejected(&self, value: &Secret) -> bool {
        self.rejected.lock().unwrap_or_else(PoisonError::into_inner).as_ref() == Some(value)
    }

    fn fresh_in_store(&self, cached: Option<CachedToken>) -> Option<Secret> {
        let now = SystemTime::now();
        let cached = cached
            .filter(|c| c.is_fresh(now, self.margin))
            .filter(|c| !self.is_rejected(c.value()))?;
        self.keep(&cached, now);
        Some(cached.value().clone())
    }

    /// Fetches and stores a new token, holding the store's refresh lock if it has one.
    /// Callers hold `flight`.
    async fn refresh(&self, transport: &Transport) -> Result<Secret, Error> {
        let lock = match self.wait_for_lock().await? {
            Waited::Found(token) => return Ok(token),
            Waited::Locked(lock) => lock,
        };
        let result = self.fetch_and_store(transport).await;
        if let Err(error) = self.store.unlock(&self.key, lock).await {
            tracing::warn!(%error, key = %self.key, "could not release the token refresh lock");
        }
        result
    }

    async fn wait_for_lock(&self) -> Result<Waited, Error> {
        let deadline = tokio::time::Instant::now() + self.lock.wait;
        loop {
            if let Some(lock) = self.store.lock(&self.key, self.lock.ttl).await? {
                // Another process may have refreshed between our look and the lock.
                if let Some(token) = self.fresh_in_store(self.store.get(&self.key).await?) {
                    if let Err(error) = self.store.unlock(&self.key, lock).await {
                        tracing::warn!(%error, key = %self.key, "could not release the token refresh lock");
                    }
                    return Ok(Waited::Found(token));
                }
                return Ok(Waited::Locked(lock));
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(Error::store(format!(
                    "waited {:?} for another instance to refresh the {} and it did not",
                    self.lock.wait,
                    self.key.kind().as_str()
                )));
            }
            tokio::time::sleep(LOCK_POLL).await;
            if let Some(token) = self.fresh_in_store(self.store.get(&self.key).await?) {
                return Ok(Waited::Found(token));
            }
        }
    }

    async fn fetch_and_store(&self, transport: &Transport) -> Result<Secret, Error> {
        let rejected = self.rejected.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let token = match &self.source {
            TokenSource::WeChat { secret, endpoint } => {
                let force = rejected.is_some();
                fetch::fetch(transport, &self.retry, self.key.app_id(), secret, *endpoint, force).await?
            }
            TokenSource::Provider(provider) => {
                let request = TokenRequest {
                    key: &self.key,
                    rejected: rejected.as_ref(),
                };
                provider.fetch(request).await?
            }
            TokenSource::Static(_) | TokenSource::Missing => {
                return Err(Error::Config {
                    message: "this client cannot fetch tokens".into(),
                });
            }
        };
        if token.value().expose().is_empty() {
            return Err(Error::store("the token provider returned an empty token"));
        }
        self.store.set(&self.key, &token).await?;
        {
            let mut rejected = self.rejected.lock().unwrap_or_else(PoisonError::into_inner);
            if rejected.as_ref() != Some(token.value()) {
                *rejected = None;
            }
        }
        self.keep(&token, SystemTime::now());
        Ok(token.value().clone())
    }
}
