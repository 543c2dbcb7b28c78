//! The server-push (callback) side: WeChat POSTs user messages and events to the account's
//! own server.
//!
//! - [`signature`]: the SHA-1 signatures, checked in constant time.
//! - [`MessageCrypto`]: safe-mode AES-256-CBC with the 43-character EncodingAESKey.
//! - [`Incoming`], [`Message`], [`Event`]: typed pushes, with `Unknown` variants that keep
//!   the XML of types WeChat adds later.
//! - [`Reply`]: passive replies, rendered with safe CDATA.
//! - [`CallbackServer`]: the framework-neutral core, `serve(query, body) -> body`.
//! - [`Handler`]: what answers a push, sync or [`async_handler`]; [`Router`] routes by
//!   [`Rule`] with [`Middleware`] around it.
//! - [`LateDelivery`]: where a reply that misses WeChat's 5-second deadline goes (a
//!   [`Client`](crate::Client) sends it as a customer-service message); `serve` answers
//!   `success` past [`CallbackServerBuilder::deadline`] and lets the handler finish.
//! - [`ReplayGuard`]: optional timestamp window and de-duplication.
//! - `axum` (feature `axum`): routes for axum 0.8.
//!
//! Plain, compatible and safe mode are all served: a request with `encrypt_type=aes` is
//! checked by `msg_signature` and decrypted, and its reply encrypted; otherwise `signature`
//! is checked and the body read as is (refused when a key is configured, unless
//! [`CallbackServerBuilder::accept_plain`] says otherwise).

#[cfg(feature = "axum")]
pub mod axum;
mod crypto;
mod de;
mod deadline;
mod error;
mod event;
mod fields;
mod handler;
mod message;
mod replay;
mod reply;
mod router;
mod server;
pub mod signature;

pub use crypto::{EncodingAesKey, MessageCrypto};
pub use deadline::{DEFAULT_DEADLINE, DeliveryFuture, LateDelivery};
pub use error::CallbackError;
pub use event::*;
pub use handler::{AsyncHandler, Handled, Handler, ReplyFuture, async_handler};
pub use message::{Image, Incoming, Link, Location, Message, MiniProgramPage, Text, Unknown, Video, Voice};
pub use replay::{ReplayConfig, ReplayGuard};
pub use reply::{Article, MAX_NEWS_ARTICLES, MusicReply, Reply, VideoReply};
pub use router::{Middleware, Next, Router, Rule};
pub use server::{CallbackQuery, CallbackServer, CallbackServerBuilder, Push, SUCCESS};
