//! The client every generated call goes through.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::builder::ClientBuilder;
use crate::decode;
use crate::endpoint::{Auth, ResponseKind};
use crate::error::Error;
use crate::request::ApiRequest;
use crate::response::{ByteStream, JsonOrBinary};
use crate::retry::{self, RetryPolicy};
use crate::secret::Secret;
use crate::token::manager::TokenManager;
use crate::transport::{Call, Credential, Read, Received, Transport, call_span};

/// A WeChat Official Account API client for one account.
///
/// Cheap to clone; clones share one connection pool and one access token. Clients built
/// separately share nothing unless given the same [`TokenStore`](crate::token::TokenStore)
/// or `reqwest::Client`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) app_id: String,
    pub(crate) app_secret: Option<Secret>,
    pub(crate) transport: Transport,
    pub(crate) tokens: TokenManager,
    /// The JS-SDK `jsapi_ticket`.
    pub(crate) jsapi_ticket: TokenManager,
    /// The card `api_ticket`.
    pub(crate) card_ticket: TokenManager,
    pub(crate) retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("app_id", &self.inner.app_id)
            .field("tokens", &self.inner.tokens)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_arc(inner: Arc<Inner>) -> Self {
        Client { inner }
    }

    /// The app id this client calls as.
    pub fn app_id(&self) -> &str {
        &self.inner.app_id
    }

    /// The current access token, fetched or refreshed first if needed.
    ///
    /// For building URLs or signatures outside this crate; API calls get it themselves.
    pub async fn access_token(&self) -> Result<Secret, Error> {
        self.inner.tokens.token(&self.inner.transport).await
    }

    /// The JS-SDK `jsapi_ticket`, fetched or refreshed first if needed, and cached like
    /// the access token (same store, single-flight, early refresh).
    pub async fn jsapi_ticket(&self) -> Result<Secret, Error> {
        self.inner.jsapi_ticket.token(&self.inner.transport).await
    }

    /// The card `api_ticket` (the seed's `Card.cardApiTicket`), cached like the access
    /// token.
    pub async fn card_api_ticket(&self) -> Result<Secret, Error> {
        self.inner.card_ticket.token(&self.inner.transport).await
    }

    /// Sends a request whose response is a JSON object.
    ///
    /// Generated endpoints call this; it is public so that an endpoint not yet in the
    /// specs can be called with a hand-made [`Endpoint`](crate::endpoint::Endpoint).
    pub async fn send_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T, Error> {
        let body = self.execute(&request, ResponseKind::Json, Read::Whole).await?;
        decode::json(request.endpoint, &body.into_bytes().await?)
    }

    /// Sends a request whose response carries only `errcode`/`errmsg`.
    pub async fn send_empty(&self, request: ApiRequest) -> Result<(), Error> {
        self.execute(&request, ResponseKind::Empty, Read::Whole).await.map(drop)
    }

    /// Sends a request whose response is raw bytes unless it is a JSON error.
    pub async fn send_bytes(&self, request: ApiRequest) -> Result<Bytes, Error> {
        self.execute(&request, ResponseKind::Binary, Read::Whole)
            .await?
            .into_bytes()
            .await
    }

    /// Like [`send_bytes`](Self::send_bytes), but returns as soon as WeChat has answered
    /// with media, leaving the body to be read as it arrives.
    pub async fn send_stream(&self, request: ApiRequest) -> Result<ByteStream, Error> {
        Ok(
            match self.execute(&request, ResponseKind::Binary, Read::Stream).await? {
                Received::Whole(body) => ByteStream::from_bytes(request.endpoint, body),
                Received::Stream(stream) => *stream,
            },
        )
    }

    /// Sends a request whose response is a JSON object for some content and raw bytes
    /// for the rest.
    pub async fn send_json_or_bytes<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<JsonOrBinary<T>, Error> {
        let endpoint = request.endpoint;
        JsonOrBinary::decode(endpoint, self.send_bytes(request).await?)
    }

    /// Like [`send_json_or_bytes`](Self::send_json_or_bytes), but raw bytes are left to
    /// be read as they arrive; a JSON answer is read whole and decoded.
    pub async fn send_json_or_stream<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
    ) -> Result<JsonOrBinary<T, ByteStream>, Error> {
        Ok(
            match self.execute(&request, ResponseKind::Binary, Read::Stream).await? {
                Received::Whole(body) => JsonOrBinary::decode(request.endpoint, body)?
                    .map_binary(|b| ByteStream::from_bytes(request.endpoint, b)),
                Received::Stream(stream) => JsonOrBinary::Binary(*stream),
            },
        )
    }

    /// Runs a call in its span.
    ///
    /// Boxed: the typed layers above (endpoint builder, `send_json`) then stay small, and
    /// every call's two allocations, this one and the builder's `IntoFuture`, are of
    /// sizes the allocator serves from its fast per-thread cache.
    fn execute<'a>(
        &'a self,
        request: &'a ApiRequest,
        expect: ResponseKind,
        read: Read,
    ) -> Pin<Box<dyn Future<Output = Result<Received, Error>> + Send + 'a>> {
        Box::pin(async move {
            let span = call_span(request.endpoint);
            if span.is_disabled() {
                // No subscriber wants the call: skip the clock and the span bookkeeping.
                return self.attempts(request, expect, read, &span).await;
            }
            let started = Instant::now();
            let result = self
                .attempts(request, expect, read, &span)
                .instrument(span.clone())
                .await;
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            if let Err(error) = &result {
                span.in_scope(|| tracing::debug!(%error, "WeChat call failed"));
            }
            result
        })
    }

    /// Sends until success or a final failure: transient failures of idempotent calls
    /// are retried per the [`RetryPolicy`]; a rejected access token is replaced and the
    /// call repeated once, with the new token.
    async fn attempts(
        &self,
        request: &ApiRequest,
        expect: ResponseKind,
        read: Read,
        span: &tracing::Span,
    ) -> Result<Received, Error> {
        let inner = &*self.inner;
        let endpoint = request.endpoint;
        let mut attempt = 0;
        let mut rejected: Option<(Secret, Error)> = None;
        loop {
            let token = match endpoint.auth {
                Auth::AccessToken => Some(inner.tokens.token(&inner.transport).await?),
                Auth::AppSecret | Auth::AppId | Auth::None | Auth::OAuthToken => None,
            };
            if let (Some((failed, error)), Some(token)) = (&rejected, &token)
                && failed == token
            {
                // Nothing new to try: repeating would only fail the same way.
                return Err(error.clone());
            }
            let credential = self.credential(endpoint.auth, token.as_ref())?;
            let call = Call {
                endpoint,
                query: &request.query,
                body: &request.body,
                credential,
                expect,
                read,
            };
            let result = retry::transient(&inner.retry, endpoint.is_idempotent(), || {
                attempt += 1;
                inner.transport.send(&call, attempt, span)
            })
            .await;
            match (result, token) {
                (Err(error), Some(token))
                    if error.is_token_rejected() && rejected.is_none() && inner.tokens.can_refresh() =>
                {
                    // WeChat rejected the token before acting on the call, so repeating
                    // even a non-idempotent call is safe.
                    inner.tokens.invalidate(&token).await?;
                    rejected = Some((token, error));
                }
                (result, _) => return result,
            }
        }
    }

    fn credential<'a>(&'a self, auth: Auth, token: Option<&'a Secret>) -> Result<Credential<'a>, Error> {
        Ok(match (auth, token) {
            (Auth::AccessToken, Some(token)) => Credential::AccessToken(token),
            (Auth::AppSecret, _) => {
                let secret = self.inner.app_secret.as_ref().ok_or_else(|| Error::Config {
                    message: "this endpoint needs the app secret: configure app_secret".into(),
                })?;
                Credential::AppSecret {
                    app_id: &self.inner.app_id,
                    secret,
                }
            }
            (Auth::AppId, _) => Credential::AppId(&self.inner.app_id),
            _ => Credential::None,
        })
    }
}
