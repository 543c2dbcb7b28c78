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
    CachedToken, CredentialKey, DailyCount, RefreshLock, RefreshLockPolicy, RejectionPolicy, TokenProvider,
    TokenRequest, TokenStore,
};

/// What to check when WeChat rejects a token it has just issued.
const FRESH_CAUSES: &str = "check that the app secret is this app's, that this server's IP is on the account's \
                            whitelist, that nothing else fetches tokens for the account with /cgi-bin/token, and \
                            that no proxy rewrites WeChat's answers";

/// The longest pause after fresh tokens were rejected: a fault that lasts a day costs
/// about a day's hours in token requests.
const MAX_PAUSE: Duration = Duration::from_secs(3600);

/// The pause after the `pauses`th rejection in a row of a token fetched moments before:
/// `window`, doubled each time, at most [`MAX_PAUSE`].
fn pause_after(window: Duration, pauses: u32) -> Duration {
    let doublings = pauses.saturating_sub(1).min(16);
    window.saturating_mul(1 << doublings).min(MAX_PAUSE)
}

/// [`Error::TokenRejected`]: WeChat's `error`, and why no new token was fetched.
fn refused(error: &Error, hint: String) -> Error {
    match error {
        Error::Api { code, message } | Error::TokenRejected { code, message, .. } => Error::TokenRejected {
            code: *code,
            message: message.clone(),
            hint,
        },
        other => other.clone(),
    }
}

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
    /// What a rejected token may cost in token requests.
    rejection: RejectionPolicy,
    /// This client's own count of them, whatever the store shares.
    quota: Mutex<LocalQuota>,
}

/// A client's own record of its refreshes after rejections.
#[derive(Debug, Default)]
struct LocalQuota {
    /// The last refresh after a rejection.
    last: Option<Instant>,
    /// No refresh before this: a fresh token was rejected, so the fault is elsewhere.
    paused_until: Option<Instant>,
    /// Pauses in a row: each doubles the last, so that a fault that lasts costs a few
    /// token requests a day and not one per window.
    pauses: u32,
    /// Forced `stable_token` refreshes today.
    forced: DailyCount,
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

/// How a manager keeps its credential: the client builder's settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// How long before expiry a token is refreshed.
    pub(crate) margin: Duration,
    /// Retries of a failed fetch.
    pub(crate) retry: RetryPolicy,
    /// The shared store's refresh lock.
    pub(crate) lock: RefreshLockPolicy,
    /// How long a fresh token from the store is sent without reading it again.
    pub(crate) local_ttl: Duration,
    /// What a rejected token may cost in token requests.
    pub(crate) rejection: RejectionPolicy,
}

impl TokenManager {
    pub(crate) fn new(key: CredentialKey, source: TokenSource, store: Arc<dyn TokenStore>, settings: Settings) -> Self {
        TokenManager {
            key,
            source,
            store,
            margin: settings.margin,
            retry: settings.retry,
            lock: settings.lock,
            flight: tokio::sync::Mutex::new(()),
            rejected: Mutex::new(None),
            local_ttl: settings.local_ttl,
            local: Mutex::new(None),
            rejection: settings.rejection,
            quota: Mutex::new(LocalQuota::default()),
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
        // Whoever held the flight before us may have just stored a token. One WeChat
        // rejected is sent all the same: replacing it is for `after_rejection`, which
        // keeps within the quotas, and fetching here would not.
        if let Some(cached) = self.store.get(&self.key).await?
            && cached.is_usable(SystemTime::now())
        {
            return Ok(cached.value().clone());
        }
        self.refresh(transport).await
    }

    /// After WeChat rejected `failed` with `error`: makes a token to try next current,
    /// or says why there is none, within the [`RejectionPolicy`].
    ///
    /// A newer token in the store (another instance refreshed) is taken as it is. A
    /// token fetched moments ago that WeChat rejects is not stale, so refreshing pauses.
    /// Otherwise at most one refresh per window and account, across every instance
    /// sharing the store; with `stable_token` a normal call first, which returns the
    /// token another instance rotated to, and a forced one, within the day's budget,
    /// only when it still yields `failed`. The rejected token stays in the store until
    /// a new one replaces it: removing it would send every caller to fetch one.
    pub(crate) async fn after_rejection(
        &self,
        transport: &Transport,
        failed: &Secret,
        error: &Error,
    ) -> Result<(), Error> {
        {
            let mut local = self.local.lock().unwrap_or_else(PoisonError::into_inner);
            if local.as_ref().is_some_and(|copy| copy.token == *failed) {
                *local = None;
            }
        }
        *self.rejected.lock().unwrap_or_else(PoisonError::into_inner) = Some(failed.clone());
        let _flight = self.flight.lock().await;
        let now = SystemTime::now();
        let stored = self.store.get(&self.key).await?;
        if let Some(newer) = &stored
            && newer.value() != failed
            && newer.is_usable(now)
        {
            self.keep(newer, now);
            return Ok(());
        }
        let window = self.rejection.window;
        let suppress = |hint: String| {
            let forced_left_today = self.forced_left();
            tracing::warn!(key = %self.key, %hint, forced_left_today, "token refresh after a rejection suppressed");
            refused(error, hint)
        };
        if self.quota().paused_until.is_some_and(|until| Instant::now() < until) {
            return Err(suppress(format!(
                "refreshing is paused after a token fetched moments ago was rejected; {FRESH_CAUSES}"
            )));
        }
        let age = stored
            .as_ref()
            .filter(|cached| cached.value() == failed)
            .and_then(|cached| now.duration_since(cached.issued_at()).ok());
        if age.is_some_and(|age| age > 2 * pause_after(window, self.quota().pauses)) {
            // The token served for well over the last pause: the fault went away.
            self.quota().pauses = 0;
        }
        if age.is_some_and(|age| age < self.rejection.fresh_for) {
            let pause = {
                let mut quota = self.quota();
                quota.pauses = quota.pauses.saturating_add(1);
                let pause = pause_after(window, quota.pauses);
                quota.paused_until = Some(Instant::now() + pause);
                pause
            };
            return Err(suppress(format!(
                "the token was fetched moments ago, so it is not stale; refreshing pauses for {pause:?}; {FRESH_CAUSES}"
            )));
        }
        if self.quota().last.is_some_and(|last| last.elapsed() < window)
            || !self.store.claim_rejection_refresh(&self.key, window).await?
        {
            return Err(suppress(format!(
                "a token was already fetched after a rejection within the last {window:?}, here or in another instance \
                 sharing the token store; WeChat limits token requests per day"
            )));
        }
        self.quota().last = Some(Instant::now());
        let token = match &self.source {
            TokenSource::WeChat { secret, endpoint } => {
                let app_id = self.key.app_id();
                let mut token = fetch::fetch(transport, &self.retry, app_id, secret, *endpoint, false).await?;
                if *endpoint == TokenEndpoint::Stable && token.value() == failed {
                    // WeChat still hands out the rejected token: only a forced refresh
                    // replaces it, and those are few a day.
                    let budget = self.rejection.forced_per_day;
                    if !self.quota().forced.take(budget) || !self.store.claim_forced_refresh(&self.key, budget).await? {
                        return Err(suppress(format!(
                            "the day's {budget} forced stable_token refreshes are spent (WeChat allows 20)"
                        )));
                    }
                    token = fetch::fetch(transport, &self.retry, app_id, secret, *endpoint, true).await?;
                    let forced_left_today = self.forced_left();
                    tracing::info!(key = %self.key, forced_left_today, "stable_token force-refreshed after a rejection");
                }
                token
            }
            TokenSource::Provider(provider) => {
                let request = TokenRequest {
                    key: &self.key,
                    rejected: Some(failed),
                };
                provider.fetch(request).await?
            }
            TokenSource::Static(_) | TokenSource::Missing => return Err(error.clone()),
        };
        if token.value().expose().is_empty() {
            return Err(Error::store("the token provider returned an empty token"));
        }
        let forced_left_today = self.forced_left();
        tracing::info!(key = %self.key, forced_left_today, "access token refreshed after WeChat rejected the previous one");
        self.store.set(&self.key, &token).await?;
        self.keep(&token, SystemTime::now());
        Ok(())
    }

    fn quota(&self) -> std::sync::MutexGuard<'_, LocalQuota> {
        self.quota.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forced `stable_token` refreshes this client has left today.
    fn forced_left(&self) -> u32 {
        self.rejection
            .forced_per_day
            .saturating_sub(self.quota().forced.today())
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
            // Never forced: a normal `stable_token` call renews a token near expiry, and
            // forcing after a rejection is `after_rejection`'s, within the day's budget.
            TokenSource::WeChat { secret, endpoint } => {
                fetch::fetch(transport, &self.retry, self.key.app_id(), secret, *endpoint, false).await?
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

#[cfg(test)]
mod tests {
    use super::{MAX_PAUSE, pause_after};
    use std::time::Duration;

    #[test]
    fn pauses_double_up_to_an_hour() {
        let w = Duration::from_secs(30);
        let pauses: Vec<u64> = (1..=9).map(|n| pause_after(w, n).as_secs()).collect();
        assert_eq!(pauses, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(pause_after(w, u32::MAX), MAX_PAUSE);
        assert_eq!(pause_after(Duration::ZERO, 5), Duration::ZERO);
    }
}
