//! Shared helpers for the end-to-end tests of `wechat-mp`.

pub mod mock;
#[cfg(feature = "redis")]
pub mod redis;
pub mod runtime;
