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
