//! Shared helpers for the end-to-end tests of `wechat-mp`.

pub mod mock;
pub mod runtime;
