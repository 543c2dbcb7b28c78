//! The token and ticket engine: when a client fetches its access token, JS-SDK ticket
//! and card ticket, that only one caller does at a time, and what it forgets when
//! WeChat rejects one. Where they are kept is the public store API of [`crate::token`].

pub(crate) mod fetch;
mod manager;
pub(crate) mod ticket;

pub(crate) use manager::{Settings, TokenManager, TokenSource};
