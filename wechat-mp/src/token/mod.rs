//! Access tokens (and, later, JS-SDK and card tickets): where they are kept, where they
//! come from, and when they are fetched again.
//!
//! A [`TokenStore`] keeps credentials keyed by [`CredentialKey`] (kind + app id), so one
//! store can serve several accounts and several kinds of credential. The default is a
//! [`MemoryStore`] per client; a [`FileStore`] survives restarts. A [`TokenProvider`]
//! replaces fetching from WeChat for deployments with a central token service.

mod cached;
pub(crate) mod fetch;
mod file;
mod key;
pub(crate) mod manager;
mod memory;
mod provider;
#[cfg(feature = "redis")]
mod redis;
mod store;
pub(crate) mod ticket;

pub use cached::CachedToken;
pub use file::FileStore;
pub use key::{CredentialKey, CredentialKind};
pub use manager::RefreshLockPolicy;
pub use memory::MemoryStore;
pub use provider::{TokenProvider, TokenRequest};
#[cfg(feature = "redis")]
pub use redis::RedisStore;
pub use store::{RefreshLock, StoreFuture, TokenStore};
