//! The storage interface for cached credentials.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::{CachedToken, CredentialKey};
use crate::error::Error;
use crate::secret::Secret;

/// The future a [`TokenStore`] or [`TokenProvider`](super::TokenProvider) method returns.
///
/// Boxed so that stores can be used as `dyn TokenStore` without an extra dependency.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// Proof of holding the refresh lock of one key, returned by [`TokenStore::lock`] and
/// handed back to [`TokenStore::unlock`].
///
/// A distributed store puts a unique `owner` value in the lock so that unlocking never
/// releases a lock that expired and was taken by another instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshLock {
    owner: String,
}

impl RefreshLock {
    /// A lock held by `owner`.
    pub fn new(owner: impl Into<String>) -> Self {
        RefreshLock { owner: owner.into() }
    }

    /// Who holds it.
    pub fn owner(&self) -> &str {
        &self.owner
    }
}

/// Where cached credentials live: in memory, in a file, in Redis...
///
/// Implementations must be safe to call concurrently. Within one [`Client`](crate::Client)
/// the runtime already makes sure only one refresh runs at a time; the lock methods let
/// a shared store extend that guarantee across processes.
pub trait TokenStore: Send + Sync {
    /// The credential stored under `key`, expired or not, if any.
    fn get<'a>(&'a self, key: &'a CredentialKey) -> StoreFuture<'a, Option<CachedToken>>;

    /// What [`get`](TokenStore::get) would return, when the store can tell without
    /// waiting, as an in-process map can; `None`, the default, sends the caller to `get`.
    ///
    /// Every call reads its access token from the store: answering here spares each call
    /// a boxed future.
    fn get_now(&self, key: &CredentialKey) -> Option<Option<CachedToken>> {
        let _ = key;
        None
    }

    /// Stores `token` under `key`, replacing what was there.
    fn set<'a>(&'a self, key: &'a CredentialKey, token: &'a CachedToken) -> StoreFuture<'a, ()>;

    /// Removes the credential under `key` only if its value is still `stale`; returns
    /// whether it removed it.
    ///
    /// WeChat rejected `stale`; if another caller has already stored a new value, that
    /// one must survive. Shared stores should make the compare and the delete atomic.
    fn invalidate<'a>(&'a self, key: &'a CredentialKey, stale: &'a Secret) -> StoreFuture<'a, bool>;

    /// Tries to take the refresh lock of `key` for at most `ttl`; `None` means another
    /// holder has it. The default grants it at once, which is right for a store that
    /// only one process uses.
    fn lock<'a>(&'a self, key: &'a CredentialKey, ttl: Duration) -> StoreFuture<'a, Option<RefreshLock>> {
        let _ = (key, ttl);
        Box::pin(async { Ok(Some(RefreshLock::new("local"))) })
    }

    /// Releases a lock taken with [`TokenStore::lock`]. The default does nothing.
    fn unlock<'a>(&'a self, key: &'a CredentialKey, lock: RefreshLock) -> StoreFuture<'a, ()> {
        let _ = (key, lock);
        Box::pin(async { Ok(()) })
    }

    /// Takes the one refresh after a rejected token that `key` gets per `window`:
    /// `true` when this caller may fetch, `false` when a caller of any process sharing
    /// the store already did within the window. The slot frees itself when the window
    /// ends, so a caller that crashes holding it blocks no one for longer.
    ///
    /// The default keeps no shared state and grants it: each client still gates its own
    /// refreshes, which is all a store that only one process uses needs.
    fn claim_rejection_refresh<'a>(&'a self, key: &'a CredentialKey, window: Duration) -> StoreFuture<'a, bool> {
        let _ = (key, window);
        Box::pin(async { Ok(true) })
    }

    /// Counts one forced `stable_token` refresh of `key` against the day's `budget`
    /// (days in Beijing time, as WeChat counts them): `true` while the count stays
    /// within it. The default keeps no shared state and grants it; each client still
    /// counts its own.
    fn claim_forced_refresh<'a>(&'a self, key: &'a CredentialKey, budget: u32) -> StoreFuture<'a, bool> {
        let _ = (key, budget);
        Box::pin(async { Ok(true) })
    }
}

impl<S: TokenStore + ?Sized> TokenStore for Arc<S> {
    fn get<'a>(&'a self, key: &'a CredentialKey) -> StoreFuture<'a, Option<CachedToken>> {
        (**self).get(key)
    }

    fn get_now(&self, key: &CredentialKey) -> Option<Option<CachedToken>> {
        (**self).get_now(key)
    }

    fn set<'a>(&'a self, key: &'a CredentialKey, token: &'a CachedToken) -> StoreFuture<'a, ()> {
        (**self).set(key, token)
    }

    fn invalidate<'a>(&'a self, key: &'a CredentialKey, stale: &'a Secret) -> StoreFuture<'a, bool> {
        (**self).invalidate(key, stale)
    }

    fn lock<'a>(&'a self, key: &'a CredentialKey, ttl: Duration) -> StoreFuture<'a, Option<RefreshLock>> {
        (**self).lock(key, ttl)
    }

    fn unlock<'a>(&'a self, key: &'a CredentialKey, lock: RefreshLock) -> StoreFuture<'a, ()> {
        (**self).unlock(key, lock)
    }

    fn claim_rejection_refresh<'a>(&'a self, key: &'a CredentialKey, window: Duration) -> StoreFuture<'a, bool> {
        (**self).claim_rejection_refresh(key, window)
    }

    fn claim_forced_refresh<'a>(&'a self, key: &'a CredentialKey, budget: u32) -> StoreFuture<'a, bool> {
        (**self).claim_forced_refresh(key, budget)
    }
}

/// How a shared store's refresh lock is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshLockPolicy {
    /// How long the lock lives unless released: longer than a token fetch takes, short
    /// enough that a crashed holder does not block the others for long.
    pub ttl: Duration,
    /// How long a caller waits for another instance's refresh (taking over the lock as
    /// soon as it expires) before failing. It never fetches without the lock: a second
    /// fetch would invalidate the token the other instances are using.
    pub wait: Duration,
}

impl Default for RefreshLockPolicy {
    fn default() -> Self {
        RefreshLockPolicy {
            ttl: Duration::from_secs(20),
            wait: Duration::from_secs(30),
        }
    }
}

/// How the client answers WeChat rejecting its access token (40001, 40014, 42001),
/// within WeChat's daily limits: 2,000 `/cgi-bin/token` calls, 20 forced
/// `stable_token` refreshes.
///
/// After a rejection the client first looks for a newer token (in the store, or with
/// `stable_token` a normal call, which returns the current token if another instance
/// already rotated it), and fetches a new one only when that still yields the rejected
/// one; at most once per `window` per account, across every instance sharing the
/// store. A token rejected within `fresh_for` of being fetched is not stale, so the
/// client stops refreshing for a pause, one `window` at first and doubled with each
/// such rejection in a row up to an hour, and answers
/// [`Error::TokenRejected`](crate::Error::TokenRejected) with a hint instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RejectionPolicy {
    /// At most one refresh after a rejection per account per window.
    pub window: Duration,
    /// A token rejected sooner than this after it was fetched is not stale.
    pub fresh_for: Duration,
    /// Forced `stable_token` refreshes per day and account, below WeChat's 20.
    pub forced_per_day: u32,
}

impl Default for RejectionPolicy {
    fn default() -> Self {
        RejectionPolicy {
            window: Duration::from_secs(30),
            fresh_for: Duration::from_secs(10),
            forced_per_day: 15,
        }
    }
}

/// The day WeChat counts quotas in: Beijing time, UTC+8.
pub(crate) fn quota_day(now: std::time::SystemTime) -> u64 {
    let secs = now.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    (secs + 8 * 3600) / 86_400
}

/// A count that starts again each quota day: forced refreshes against a daily budget.
#[derive(Debug, Default)]
pub(crate) struct DailyCount {
    day: u64,
    count: u32,
}

impl DailyCount {
    /// How many were counted today.
    pub(crate) fn today(&self) -> u32 {
        if self.day == quota_day(std::time::SystemTime::now()) {
            self.count
        } else {
            0
        }
    }

    /// Counts one more if today's count is below `budget`; `false` once it is spent.
    pub(crate) fn take(&mut self, budget: u32) -> bool {
        let today = quota_day(std::time::SystemTime::now());
        if self.day != today {
            *self = DailyCount { day: today, count: 0 };
        }
        if self.count >= budget {
            return false;
        }
        self.count += 1;
        true
    }
}
