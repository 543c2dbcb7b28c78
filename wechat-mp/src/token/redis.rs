//! A [`TokenStore`] in Redis, so that every instance of a service shares one access
//! token and only one of them refreshes it.
//!
//! Several instances that each refresh on their own invalidate each other's tokens and
//! fail with 40001: the most common complaint against WeChat SDKs. Here a refresh needs
//! the lock `KEY:lock`, taken with `SET NX PX` and a value unique to its holder, released
//! only by that holder (a Lua compare-and-delete), and expiring by itself if the holder
//! dies. The others wait for the new token (see
//! [`RefreshLockPolicy`](super::RefreshLockPolicy)).
//!
//! When Redis is down or slow, every operation fails with [`Error::Store`] after the
//! configured timeout, and a refresh never happens without the lock: a call that needs
//! a new token fails rather than fetching one alone, which would invalidate the token
//! the other instances use. Until then, by default, reads fall back to the last token
//! this process saw in Redis while it is still valid (using a valid token harms no one);
//! [`RedisStore::with_local_fallback`] turns that off.
//!
//! The quotas of [`RejectionPolicy`](super::RejectionPolicy) are shared the same way:
//! the one refresh after a rejected token per window is `KEY:gate`, taken with
//! `SET NX PX` and expiring by itself, and the day's forced `stable_token` refreshes are
//! counted in `KEY:forced:DAY` with `INCR`, kept two days.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::aio::ConnectionManager;

use super::{CachedToken, CredentialKey, RefreshLock, StoreFuture, TokenStore, quota_day};
use crate::error::Error;
use crate::secret::Secret;

/// Deletes the token only if it still holds the rejected value.
const INVALIDATE: &str = r"
local stored = redis.call('GET', KEYS[1])
if not stored then return 0 end
local ok, token = pcall(cjson.decode, stored)
if ok and token['value'] == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// Counts one forced refresh of the day; the count lives two days.
const COUNT_FORCED: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], 172800) end
return n
";

/// Releases the lock only if this holder still owns it.
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// A token store in Redis. Cheap to clone; clones share one connection.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    timeout: Duration,
    invalidate: redis::Script,
    unlock: redis::Script,
    count_forced: redis::Script,
    /// The last token read or written per key, for reads while Redis is unreachable.
    last_seen: Option<Arc<Mutex<HashMap<String, CachedToken>>>>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

fn store_error(what: &str, error: &redis::RedisError) -> Error {
    // Redis errors name the command and the server, never the values sent.
    Error::store(format!("redis {what} failed: {error}"))
}

impl RedisStore {
    /// Connects to `url` (`redis://127.0.0.1:6379/0`). Keys are prefixed `wechat-mp:`.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        Self::connect_with(url, DEFAULT_TIMEOUT).await
    }

    /// Connects to `url`; every Redis operation, connecting included, fails with
    /// [`Error::Store`] after `timeout` (default 2 s).
    pub async fn connect_with(url: &str, timeout: Duration) -> Result<Self, Error> {
        let client = redis::Client::open(url).map_err(|e| store_error("url", &e))?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout));
        let connection = tokio::time::timeout(timeout, client.get_connection_manager_with_config(config))
            .await
            .map_err(|_| Error::store(format!("redis connect timed out after {timeout:?}")))?
            .map_err(|e| store_error("connect", &e))?;
        Ok(RedisStore {
            connection,
            prefix: "wechat-mp".to_owned(),
            timeout,
            invalidate: redis::Script::new(INVALIDATE),
            unlock: redis::Script::new(UNLOCK),
            count_forced: redis::Script::new(COUNT_FORCED),
            last_seen: Some(Arc::default()),
        })
    }

    /// Whether reads fall back to the last token seen while Redis is unreachable
    /// (default on). Off, every call that needs a token fails while Redis is down.
    pub fn with_local_fallback(mut self, on: bool) -> Self {
        self.last_seen = on.then(Arc::default);
        self
    }

    fn remember(&self, key: &str, token: Option<&CachedToken>) {
        if let Some(last) = &self.last_seen {
            let mut last = last.lock().unwrap_or_else(PoisonError::into_inner);
            match token {
                Some(token) => last.insert(key.to_owned(), token.clone()),
                None => last.remove(key),
            };
        }
    }

    fn last_seen(&self, key: &str) -> Option<CachedToken> {
        let last = self.last_seen.as_ref()?.lock().unwrap_or_else(PoisonError::into_inner);
        last.get(key).filter(|t| t.is_usable(SystemTime::now())).cloned()
    }

    /// Puts every key under `prefix` instead of `wechat-mp`, to share a Redis between
    /// environments or tests.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    fn key(&self, key: &CredentialKey) -> String {
        format!("{}:{}:{}", self.prefix, key.kind().as_str(), key.app_id())
    }

    fn lock_key(&self, key: &CredentialKey) -> String {
        format!("{}:lock", self.key(key))
    }

    async fn run<T: redis::FromRedisValue>(&self, what: &str, cmd: redis::Cmd) -> Result<T, Error> {
        let mut connection = self.connection.clone();
        tokio::time::timeout(self.timeout, cmd.query_async(&mut connection))
            .await
            .map_err(|_| Error::store(format!("redis {what} timed out after {:?}", self.timeout)))?
            .map_err(|e| store_error(what, &e))
    }

    async fn script<T: redis::FromRedisValue>(
        &self,
        what: &str,
        invocation: redis::ScriptInvocation<'_>,
    ) -> Result<T, Error> {
        let mut connection = self.connection.clone();
        tokio::time::timeout(self.timeout, invocation.invoke_async(&mut connection))
            .await
            .map_err(|_| Error::store(format!("redis {what} timed out after {:?}", self.timeout)))?
            .map_err(|e| store_error(what, &e))
    }
}

/// A lock value no other holder can have: process, time and a counter.
fn lock_owner() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!(
        "{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl TokenStore for RedisStore {
    fn get<'a>(&'a self, key: &'a CredentialKey) -> StoreFuture<'a, Option<CachedToken>> {
        Box::pin(async move {
            let name = self.key(key);
            let text: Option<String> = match self.run("GET", redis::cmd("GET").arg(&name).clone()).await {
                Ok(text) => text,
                Err(error) => {
                    return match self.last_seen(&name) {
                        Some(token) => {
                            tracing::warn!(%error, key = %key, "redis unreachable; using the last token seen");
                            Ok(Some(token))
                        }
                        None => Err(error),
                    };
                }
            };
            // A value nobody can read is as good as none: the next refresh replaces it.
            let token = text.and_then(|text| CachedToken::from_json(&text).ok());
            self.remember(&name, token.as_ref());
            Ok(token)
        })
    }

    fn set<'a>(&'a self, key: &'a CredentialKey, token: &'a CachedToken) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let ttl = token
                .expires_at()
                .duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO);
            let name = self.key(key);
            let cmd = redis::cmd("SET")
                .arg(&name)
                .arg(token.to_json())
                .arg("PX")
                .arg(millis(ttl))
                .clone();
            self.run::<()>("SET", cmd).await?;
            self.remember(&name, Some(token));
            Ok(())
        })
    }

    fn invalidate<'a>(&'a self, key: &'a CredentialKey, stale: &'a Secret) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let mut invocation = self.invalidate.key(self.key(key));
            invocation.arg(stale.expose());
            let deleted: i64 = self.script("compare-and-delete", invocation).await?;
            let name = self.key(key);
            if self.last_seen(&name).is_some_and(|t| t.value() == stale) {
                self.remember(&name, None);
            }
            Ok(deleted == 1)
        })
    }

    fn lock<'a>(&'a self, key: &'a CredentialKey, ttl: Duration) -> StoreFuture<'a, Option<RefreshLock>> {
        Box::pin(async move {
            let owner = lock_owner();
            let cmd = redis::cmd("SET")
                .arg(self.lock_key(key))
                .arg(&owner)
                .arg("NX")
                .arg("PX")
                .arg(millis(ttl))
                .clone();
            let taken: Option<String> = self.run("SET NX", cmd).await?;
            Ok(taken.map(|_| RefreshLock::new(owner)))
        })
    }

    fn unlock<'a>(&'a self, key: &'a CredentialKey, lock: RefreshLock) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut invocation = self.unlock.key(self.lock_key(key));
            invocation.arg(lock.owner());
            let _: i64 = self.script("unlock", invocation).await?;
            Ok(())
        })
    }

    fn claim_rejection_refresh<'a>(&'a self, key: &'a CredentialKey, window: Duration) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            if window.is_zero() {
                return Ok(true);
            }
            let cmd = redis::cmd("SET")
                .arg(format!("{}:gate", self.key(key)))
                .arg(lock_owner())
                .arg("NX")
                .arg("PX")
                .arg(millis(window))
                .clone();
            let taken: Option<String> = self.run("SET NX", cmd).await?;
            Ok(taken.is_some())
        })
    }

    fn claim_forced_refresh<'a>(&'a self, key: &'a CredentialKey, budget: u32) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let name = format!("{}:forced:{}", self.key(key), quota_day(SystemTime::now()));
            let invocation = self.count_forced.key(name);
            let count: u64 = self.script("INCR", invocation).await?;
            Ok(count <= u64::from(budget))
        })
    }
}
