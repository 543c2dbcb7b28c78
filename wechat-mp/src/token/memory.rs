//! The default store: a map in this process.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::{CachedToken, CredentialKey, StoreFuture, TokenStore};
use crate::secret::Secret;

/// Keeps credentials in memory. Each [`Client`](crate::Client) gets its own unless one
/// is shared explicitly (wrap it in an `Arc` and pass clones).
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<CredentialKey, CachedToken>>,
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
}
