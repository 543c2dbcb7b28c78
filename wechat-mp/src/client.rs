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

/// The first attempt of a call, made in [`Client::whole`], that failed; [`Client::attempts`]
/// goes on from it.
struct Failed {
    token: Option<Secret>,
    error: Error,
}

/// A WeChat Official Account API client for one account.
///
/// Cheap to clone; clones share one connection pool and one access token. Clients built
/// separately share nothing unless given the same [`TokenStore`](crate::token::TokenStore)
/// or `reqwest::Client`.
///
/// # Tracing
///
/// Every call runs in an INFO span, `wechat_mp.call`, with the fields `group`,
/// `endpoint`, `method`, `attempt`, `http.status`, `errcode` and `latency_ms`, none of
/// them secret; a failed attempt is also a DEBUG event. A subscriber that takes INFO
/// spans from this crate pays for one on every call: measured on the benchmark's
/// machine, one call after another against a local server, a `tracing_subscriber::fmt`
/// subscriber at INFO cost about an eighth of the calls per second. With no subscriber
/// wanting them (for example with the directive `wechat_mp=warn`), a call takes a path
/// free of them.
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

    /// The card `api_ticket` that signs `wx.addCard` packages
    /// (`GET /cgi-bin/ticket/getticket?type=wx_card`), fetched once and cached like the
    /// access token. This is the one way to get it: the specs have no uncached twin.
    pub async fn card_api_ticket(&self) -> Result<Secret, Error> {
        self.inner.card_ticket.token(&self.inner.transport).await
    }

    /// Sends a request whose response is a JSON object.
    ///
    /// Generated endpoints call this; it is public so that an endpoint not yet in the
    /// specs can be called with a hand-made [`Endpoint`](crate::endpoint::Endpoint).
    pub async fn send_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T, Error> {
        let body = self.whole(&request, ResponseKind::Json).await?;
        decode::json(request.endpoint, &body)
    }

    /// Sends a request whose response carries only `errcode`/`errmsg`.
    pub async fn send_empty(&self, request: ApiRequest) -> Result<(), Error> {
        self.whole(&request, ResponseKind::Empty).await.map(drop)
    }

    /// Sends a request whose response is raw bytes unless it is a JSON error.
    pub async fn send_bytes(&self, request: ApiRequest) -> Result<Bytes, Error> {
        self.whole(&request, ResponseKind::Binary).await
    }

    /// Like [`send_bytes`](Self::send_bytes), but returns as soon as WeChat has answered
    /// with media, leaving the body to be read as it arrives.
    pub async fn send_stream(&self, request: ApiRequest) -> Result<ByteStream, Error> {
        Ok(match self.download(&request).await? {
            Received::Whole(body) => ByteStream::from_bytes(request.endpoint, body),
            Received::Stream(stream) => *stream,
        })
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
        Ok(match self.download(&request).await? {
            Received::Whole(body) => JsonOrBinary::decode(request.endpoint, body)?
                .map_binary(|b| ByteStream::from_bytes(request.endpoint, b)),
            Received::Stream(stream) => JsonOrBinary::Binary(*stream),
        })
    }

    /// A download, its media left to stream.
    fn download<'a>(
        &'a self,
        request: &'a ApiRequest,
    ) -> Pin<Box<dyn Future<Output = Result<Received, Error>> + Send + 'a>> {
        self.execute(
            request,
            ResponseKind::Binary,
            Read::Stream,
            call_span(request.endpoint),
            None,
        )
    }

    /// A call whose body is read whole.
    ///
    /// Its first attempt runs right here when nothing asks for more: no subscriber wants
    /// the call's span or events, and the token is at hand. The future every call
    /// allocates, and the stack its polls run on, then hold one request and not the
    /// retry, refresh and tracing machinery of [`execute`](Self::execute), which takes
    /// over, boxed, when the attempt fails.
    async fn whole(&self, request: &ApiRequest, expect: ResponseKind) -> Result<Bytes, Error> {
        let inner = &*self.inner;
        let endpoint = request.endpoint;
        let span = call_span(endpoint);
        let quiet = span.is_disabled() && !tracing::enabled!(tracing::Level::DEBUG);
        let needs_token = endpoint.auth == Auth::AccessToken;
        let token = (quiet && needs_token).then(|| inner.tokens.token_at_hand()).flatten();
        let first = if !quiet || (needs_token && token.is_none()) {
            None
        } else {
            let credential = self.credential(endpoint.auth, token.as_ref())?;
            let call = Call::of(request, credential, expect, Read::Whole);
            match inner.transport.round_trip_whole(&call, &span).await {
                Ok(body) => return Ok(body),
                Err(error) => Some(Failed {
                    error: inner.transport.scrub(error, &credential),
                    token,
                }),
            }
        };
        // The loop judges a failed first attempt as it judges its own: it returns the
        // error, or retries it, or replaces a rejected token.
        self.execute(request, expect, Read::Whole, span, first)
            .await?
            .into_bytes()
            .await
    }

    /// Runs a call in its span, going on from a `first` attempt that failed if there
    /// was one.
    ///
    /// Boxed, and built outside any `async fn`, as every path that most calls never
    /// take: a future holds the state of every path it may take. Never inlined, so that
    /// the stack frame of its caller's polls does not make room for it.
    #[inline(never)]
    fn execute<'a>(
        &'a self,
        request: &'a ApiRequest,
        expect: ResponseKind,
        read: Read,
        span: tracing::Span,
        first: Option<Failed>,
    ) -> Pin<Box<dyn Future<Output = Result<Received, Error>> + Send + 'a>> {
        Box::pin(async move {
            if span.is_disabled() {
                // No subscriber wants the call: skip the clock and the span bookkeeping.
                return self.attempts(request, expect, read, &span, first).await;
            }
            let started = Instant::now();
            let result = self
                .attempts(request, expect, read, &span, first)
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
    /// call repeated once, with the new token. A `first` attempt that already failed
    /// counts as this loop's first.
    async fn attempts(
        &self,
        request: &ApiRequest,
        expect: ResponseKind,
        read: Read,
        span: &tracing::Span,
        mut first: Option<Failed>,
    ) -> Result<Received, Error> {
        let inner = &*self.inner;
        let endpoint = request.endpoint;
        let mut attempt = 0;
        let mut rejected: Option<(Secret, Error)> = None;
        loop {
            let (token, first_error) = match first.take() {
                Some(Failed { token, error }) => {
                    attempt += 1;
                    (token, Some(error))
                }
                None => match endpoint.auth {
                    Auth::AccessToken => (Some(inner.tokens.token(&inner.transport).await?), None),
                    Auth::AppSecret | Auth::AppId | Auth::None | Auth::OAuthToken => (None, None),
                },
            };
            if let (Some((failed, error)), Some(token)) = (&rejected, &token)
                && failed == token
            {
                // Nothing new to try: repeating would only fail the same way.
                return Err(error.clone());
            }
            let credential = self.credential(endpoint.auth, token.as_ref())?;
            let call = Call::of(request, credential, expect, read);
            let result = retry::transient_after(&inner.retry, endpoint.is_idempotent(), first_error, || {
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
