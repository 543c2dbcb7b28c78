//! Shared helpers for the end-to-end tests of `wechat-mp`.

pub mod mock;
pub mod raw_server;
#[cfg(feature = "redis")]
pub mod redis;
pub mod runtime;
