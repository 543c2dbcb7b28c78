#![cfg_attr(docsrs, feature(doc_cfg))]
//! Typed async client for the WeChat Official Account (公众号, "MP") server API.
//!
//! Endpoints are generated from the YAML specs in the repository's `specs/` folder by
//! `cargo xtask codegen`; each spec group is a module under [`api`] and a cargo
//! feature. The hand-written runtime ([`Client`], [`Error`], [`token`]) carries every
//! call: it fetches and refreshes the access token (single-flight, ahead of expiry,
//! once more when WeChat rejects it), retries transient failures of idempotent calls,
//! and keeps the app secret and tokens out of every error and trace.
//!
//! ```no_run
//! # async fn demo() -> Result<(), wechat_mp::Error> {
//! let client = wechat_mp::Client::builder()
//!     .app_id("wx0123456789abcdef")
//!     .app_secret(std::env::var("WECHAT_SECRET").unwrap())
//!     .token_store(wechat_mp::token::FileStore::new("/var/lib/my-service/wechat"))
//!     .build()?;
//! let openids = client.user().get().await?;
//! println!("{} followers", openids.total.unwrap_or(0));
//! # Ok(()) }
//! ```

#[rustfmt::skip]
pub mod api;
mod builder;
mod call_url;
pub mod callback;
mod client;
// Generated types use these only when an enabled group has loose fields.
#[allow(dead_code)]
mod codec;
mod decode;
pub mod endpoint;
mod error;
// Used by the groups with paged endpoints; a build with none of them leaves it idle.
#[allow(dead_code)]
mod paginate;
mod redact;
pub mod request;
pub mod response;
mod retry;
mod secret;
#[cfg(test)]
mod tests;
pub mod token;
mod transport;
pub mod upload;
pub mod web;
mod whole_body;

pub use builder::ClientBuilder;
pub use client::Client;
pub use endpoint::Host;
pub use error::{Error, ErrorCode};
pub use retry::RetryPolicy;
pub use secret::Secret;

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
