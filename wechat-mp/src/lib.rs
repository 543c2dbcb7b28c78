//! Typed async client for the WeChat Official Account (公众号, "MP") server API.
//!
//! Endpoints are generated from the YAML specs in the repository's `specs/` folder by
//! `cargo xtask codegen`; each spec group is a module under [`api`] and a cargo
//! feature. The hand-written runtime ([`Client`], [`Error`]) carries every call.
//!
//! ```no_run
//! # async fn demo() -> Result<(), wechat_mp::Error> {
//! let client = wechat_mp::Client::builder()
//!     .app_id("wx0123456789abcdef")
//!     .access_token("ACCESS_TOKEN")
//!     .build()?;
//! let openids = client.user().get().await?;
//! println!("{} followers", openids.total.unwrap_or(0));
//! # Ok(()) }
//! ```

#[rustfmt::skip]
pub mod api;
mod client;
// Generated types use these only when an enabled group has loose fields.
#[allow(dead_code)]
mod codec;
mod decode;
pub mod endpoint;
mod error;
pub mod request;
pub mod response;
mod secret;
#[cfg(test)]
mod showcase_snapshot;
pub mod upload;
pub mod web;

pub use client::{Client, ClientBuilder};
pub use endpoint::Host;
pub use error::Error;
pub use secret::Secret;

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
