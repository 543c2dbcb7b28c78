//! Shared helpers for the end-to-end tests of `wechat-mp`.

/// The app id of every test client.
pub const APP_ID: &str = "wx0123456789abcdef";
/// The app secret of every test client; it must never show up in any output.
pub const APP_SECRET: &str = "APPSECRET-0a1b2c3d4e5f-must-not-leak";

pub mod examples;
pub mod raw_server;
#[cfg(feature = "redis")]
pub mod redis;
pub mod runtime;
pub mod scripted;
