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
//!
//! # Code map
//!
//! Each folder of `src/` is one layer; a layer uses the ones below it, never one above.
//!
//! | folder | what it holds |
//! |---|---|
//! | `api/` | **Generated** from the specs: a folder per group with its handle (`mod.rs`), request builders (`requests.rs`) and types (`types.rs`). Never edited by hand. |
//! | `endpoint/` | The contract of generated code ([`endpoint`]): [`Endpoint`](endpoint::Endpoint), the [`ApiRequest`](request::ApiRequest) a builder encodes, [`response`] types, [`upload`]s, the statistics days and their ranges ([`dates`]), serde helpers. |
//! | `client/` | [`Client`] and its builder (`builder.rs`); the call loop (`call.rs`: first attempt, then retries and a rejected token replaced); the retry policy (`retry.rs`); paging (`paginate.rs`); the token and ticket engine (`tokens/`: `manager.rs` decides when to fetch and refreshes, `fetch.rs` asks WeChat, `ticket.rs` the JS-SDK and card tickets). |
//! | `http/` | One attempt of one call over reqwest (`mod.rs`): the URL (`url.rs`), reading a body within the size limit (`body.rs`), checking status, `errcode` and HTML pages (`decode.rs`). |
//! | `error/` | [`Error`] and the constructors every layer uses (`mod.rs`), [`ErrorCode`] (`code_table.rs`, generated from `specs/_errors.yaml`, and `code.rs`), and keeping credentials out of every text (`redact.rs`). |
//! | `token/` | The public store API ([`token`]): [`TokenStore`](token::TokenStore) and the memory, file and Redis stores, [`TokenProvider`](token::TokenProvider), cached tokens and their keys. |
//! | `callback/`, `web/` | WeChat's pushes to your server ([`callback`]: verification and crypto, typed messages and events, sync and async handlers, the router, the 5-second deadline with late replies as customer-service messages) and the browser side ([`web`]: OAuth, JS-SDK, card signatures). |
//! | `secret.rs` | [`Secret`], a string that never prints. |
//!
//! One call, `client.user().info(openid).await`:
//!
//! 1. `api/user/requests.rs`: `info()` makes an `InfoRequest`; awaiting it calls
//!    `to_request()`, which encodes the parameters into an [`ApiRequest`](request::ApiRequest)
//!    naming the endpoint's static [`Endpoint`](endpoint::Endpoint), and hands it to
//!    [`Client::send_json`].
//! 2. `client/call.rs`: `whole()` takes the access token at hand and makes a first
//!    attempt; if it fails, or the token must first be fetched, `execute()` and
//!    `attempts()` take over: the token comes from `client/tokens/manager.rs`
//!    (single-flight, from the [`TokenStore`](token::TokenStore) or WeChat), transient
//!    failures are retried per `client/retry.rs`, and a token WeChat rejects is replaced
//!    once.
//! 3. `http/mod.rs`: `Transport` builds the URL (`http/url.rs`), sends it, reads the
//!    body (`http/body.rs`) and checks it (`http/decode.rs`); errors are scrubbed of the
//!    credentials sent (`error/redact.rs`).
//! 4. `http/decode.rs` decodes the body into the endpoint's response type.

#[rustfmt::skip]
pub mod api;
pub mod callback;
mod client;
pub mod endpoint;
mod error;
mod http;
mod secret;
#[cfg(test)]
mod tests;
pub mod token;
pub mod web;

pub use client::retry::RetryPolicy;
pub use client::{Client, ClientBuilder};
pub use endpoint::{Host, dates, request, response, upload};
pub use error::{Error, ErrorCode};
pub use secret::Secret;

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
