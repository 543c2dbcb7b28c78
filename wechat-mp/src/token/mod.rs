//! Where access tokens and tickets are kept, and where else they may come from: the
//! public storage API. When to fetch them is the client's business
//! (`client/tokens/`).
//!
//! A [`TokenStore`] keeps credentials keyed by [`CredentialKey`] (kind + app id), so one
//! store can serve several accounts and several kinds of credential. The default is a
//! [`MemoryStore`] per client; a [`FileStore`] survives restarts. A [`TokenProvider`]
//! replaces fetching from WeChat for deployments with a central token service.

mod cached;
mod file;
mod key;
mod memory;
mod provider;
#[cfg(feature = "redis")]
mod redis;
mod store;

pub use cached::CachedToken;
pub use file::FileStore;
pub use key::{CredentialKey, CredentialKind};
pub use memory::MemoryStore;
pub use provider::{TokenProvider, TokenRequest};
#[cfg(feature = "redis")]
pub use redis::RedisStore;
pub(crate) use store::DailyCount;
#[cfg(feature = "redis")]
pub(crate) use store::quota_day;
pub use store::{RefreshLock, RefreshLockPolicy, RejectionPolicy, StoreFuture, TokenStore};
