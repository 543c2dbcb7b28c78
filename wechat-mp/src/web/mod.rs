//! Helpers for web pages opened inside WeChat: OAuth2 authorization (网页授权), the JS-SDK
//! `wx.config` signature and card signatures. The seed's interfaces that make no HTTP call
//! live here.

pub mod card;
mod current_url;
pub mod jssdk;
pub mod oauth;
#[cfg(feature = "auth")]
mod oauth_flow;
mod sign;

pub use current_url::current_url;
