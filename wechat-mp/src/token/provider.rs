//! A hook for tokens that come from somewhere other than WeChat directly.

use super::{CachedToken, CredentialKey, StoreFuture};
use crate::secret::Secret;

/// What the runtime asks a [`TokenProvider`] for.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct TokenRequest<'a> {
    /// Which credential of which account.
    pub key: &'a CredentialKey,
    /// A value WeChat just rejected (40001, 40014, 42001): the provider must not return
    /// it again, and a central service may want to refresh it at the source.
    pub rejected: Option<&'a Secret>,
}

/// Supplies fresh credentials, replacing the client's own calls to `/cgi-bin/token`.
///
/// For deployments where one central service owns the access token. Results still go
/// through the client's [`TokenStore`](super::TokenStore), refresh margin and
/// single-flight, so the provider is called once per refresh, not once per API call.
pub trait TokenProvider: Send + Sync {
    /// A fresh credential for `request.key`.
    fn fetch<'a>(&'a self, request: TokenRequest<'a>) -> StoreFuture<'a, CachedToken>;
}

impl<P: TokenProvider + ?Sized> TokenProvider for std::sync::Arc<P> {
    fn fetch<'a>(&'a self, request: TokenRequest<'a>) -> StoreFuture<'a, CachedToken> {
        (**self).fetch(request)
    }
}
