//! The default store: a map in this process.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::{CachedToken, CredentialKey, DailyCount, StoreFuture, TokenStore};
use crate::secret::Secret;

/// Keeps credentials in memory. Each [`Client`](crate::Client) gets its own unless one
/// is shared explicitly (wrap it in an `Arc` and pass clones).
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<CredentialKey, CachedToken>>,
    /// Per key: until when the refresh after a rejection is taken, and the forced
    /// refreshes counted on which day. Shared by every client given this store.
    quotas: Mutex<HashMap<CredentialKey, Quota>>,
}

#[derive(Debug, Default)]
struct Quota {
    gate_until: Option<Instant>,
    forced: DailyCount,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut HashMap<CredentialKey, CachedToken>) -> T) -> T {
        // A panic elsewhere cannot leave the map half-updated: every operation is one call.
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut entries)
    }
}

impl TokenStore for MemoryStore {
    fn get<'a>(&'a self, key: &'a CredentialKey) -> StoreFuture<'a, Option<CachedToken>> {
        Box::pin(async move { Ok(self.with(|entries| entries.get(key).cloned())) })
    }

    fn get_now(&self, key: &CredentialKey) -> Option<Option<CachedToken>> {
        Some(self.with(|entries| entries.get(key).cloned()))
    }

    fn set<'a>(&'a self, key: &'a CredentialKey, token: &'a CachedToken) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            self.with(|entries| entries.insert(key.clone(), token.clone()));
            Ok(())
        })
    }

    fn invalidate<'a>(&'a self, key: &'a CredentialKey, stale: &'a Secret) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            Ok(self.with(|entries| {
                let current = entries.get(key).is_some_and(|t| t.value() == stale);
                if current {
                    entries.remove(key);
                }
                current
            }))
        })
    }

    fn claim_rejection_refresh<'a>(&'a self, key: &'a CredentialKey, window: Duration) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let mut quotas = self.quotas.lock().unwrap_or_else(PoisonError::into_inner);
            let quota = quotas.entry(key.clone()).or_default();
            let now = Instant::now();
            if quota.gate_until.is_some_and(|until| now < until) {
                return Ok(false);
            }
            quota.gate_until = Some(now + window);
            Ok(true)
        })
    }

    fn claim_forced_refresh<'a>(&'a self, key: &'a CredentialKey, budget: u32) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let mut quotas = self.quotas.lock().unwrap_or_else(PoisonError::into_inner);
            Ok(quotas.entry(key.clone()).or_default().forced.take(budget))
        })
    }
}
