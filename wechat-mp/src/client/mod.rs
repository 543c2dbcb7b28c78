//! The client every generated call goes through: [`Client`], its builder, the call
//! loop (`call.rs`: first attempt, retries, a rejected token replaced), the token and
//! ticket engine (`tokens/`), retry policy and paging.

mod builder;
mod call;
// Generated groups are its only callers: with every group feature off it has none.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
pub(crate) mod paginate;
pub(crate) mod retry;
pub(crate) mod tokens;

pub use builder::ClientBuilder;

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use self::retry::RetryPolicy;
use self::tokens::TokenManager;
use crate::endpoint::ResponseKind;
use crate::endpoint::request::ApiRequest;
use crate::endpoint::response::{ByteStream, JsonOrBinary};
use crate::error::Error;
use crate::http::{Received, Transport, decode};
use crate::secret::Secret;

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
/// spans from this crate pays for a span on every call (`BENCHMARKS.md` measures how
/// much). With no subscriber wanting them (for example with the directive
/// `wechat_mp=warn`), a call takes a path free of them.
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
}
