//! Typed async client for the WeChat Official Account (公众号, "MP") server API.
//!
//! Endpoints are generated from the YAML specs in the repository's `specs/` folder by
//! `cargo xtask codegen`; each spec group is a module under [`api`] and a cargo
//! feature. The hand-written runtime ([`Client`], [`Error`]) carries every call.
//!
//! ```ignore
//! # async fn demo() -> Result<(), wechat_mp::Error> {
//! let client = wechat_mp::Client::builder()
//!     .app_id("wx0123456789abcdef")
//!     .access_token("ACCESS_TOKEN")
//!     .build()?;
//! let openids = client.user().get().await?;
//! println!("{} followers", openids.total.unwrap_or(0));
//! # Ok(()) }
//! ```

pub mod api;
pub mod callback;
mod client;
mod decode;
pub mod endpoint;
mod error;
pub mod request;
mod secret;

pub use client::{Client, ClientBuilder};
pub use endpoint::Host;
pub use error::Error;
pub use secret::Secret;
