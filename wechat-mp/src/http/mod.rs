//! The HTTP layer: one attempt of one call, from the request to the checked body.
//!
//! [`Transport`] builds the URL (`url.rs`) and the request, sends it, reads the body
//! whole within the client's limit (`body.rs`) or leaves it to stream, and checks it
//! (`decode.rs`: HTTP status, `errcode`, HTML pages). It neither retries nor refreshes
//! tokens: the client's call loop does.

mod body;
pub(crate) mod decode;
mod url;

pub(crate) use url::{BaseUrls, HostUrls};

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{CONTENT_TYPE, HeaderValue, USER_AGENT};
use tracing::field::Empty;

use self::body::read_whole;
use crate::endpoint::request::{ApiRequest, Body, Part};
use crate::endpoint::response::ByteStream;
use crate::endpoint::{Endpoint, Method, ResponseKind};
use crate::error::{self, Error, redact};
use crate::secret::Secret;

/// The credential one request carries, and so must never appear in its errors.
#[derive(Clone, Copy)]
pub(crate) enum Credential<'a> {
    /// Nothing to add or hide.
    None,
    /// `access_token=` in the query.
    AccessToken(&'a Secret),
    /// `appid=` and `secret=` in the query.
    AppSecret { app_id: &'a str, secret: &'a Secret },
    /// `appid=` alone in the query; nothing to hide.
    AppId(&'a str),
    /// The secret travels in the body (stable_token); nothing to add, still to hide.
    InBody(&'a Secret),
}

impl Credential<'_> {
    fn secrets(&self) -> Vec<&str> {
        match self {
            Credential::None | Credential::AppId(_) => Vec::new(),
            Credential::AccessToken(s) | Credential::InBody(s) => vec![s.expose()],
            Credential::AppSecret { secret, .. } => vec![secret.expose()],
        }
    }
}

/// One request, as sent on every attempt.
pub(crate) struct Call<'a> {
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) query: &'a [(&'static str, String)],
    pub(crate) body: &'a Body,
    pub(crate) credential: Credential<'a>,
    pub(crate) expect: ResponseKind,
    pub(crate) read: Read,
}

impl<'a> Call<'a> {
    /// `request` as sent with `credential`.
    pub(crate) fn of(request: &'a ApiRequest, credential: Credential<'a>, expect: ResponseKind, read: Read) -> Self {
        Call {
            endpoint: request.endpoint(),
            query: request.query_pairs(),
            body: request.body(),
            credential,
            expect,
            read,
        }
    }
}

/// How much of a successful body an attempt reads before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// All of it.
    Whole,
    /// Just enough to tell a JSON body (read whole and checked) from media, which is
    /// left on the connection for the caller to stream.
    Stream,
}

/// A checked response body.
pub(crate) enum Received {
    /// Read whole.
    Whole(Bytes),
    /// Media still arriving; boxed to keep every call's future small.
    Stream(Box<ByteStream>),
}

impl Received {
    /// The whole body, read to the end if it was streaming.
    pub(crate) async fn into_bytes(self) -> Result<Bytes, Error> {
        match self {
            Received::Whole(body) => Ok(body),
            Received::Stream(stream) => read_stream(*stream).await,
        }
    }
}

type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// Boxed, and built outside any `async fn`, as every rarely taken path here: a future
/// carries the state of every path it may take, and each call's future is moved and
/// allocated whole.
fn read_stream(stream: ByteStream) -> Boxed<'static, Bytes> {
    Box::pin(stream.into_bytes())
}

/// Sends HTTP requests for a [`Client`](crate::Client).
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) hosts: HostUrls,
    /// Applied per request to an injected `reqwest::Client` only: the default client
    /// is built with it.
    pub(crate) timeout: Option<Duration>,
    /// For streamed downloads, which have no total limit: the longest wait for the
    /// answer, and then for each chunk.
    pub(crate) stream_idle: Duration,
    /// Set per request only for an injected client; the default client carries it.
    pub(crate) user_agent: Option<HeaderValue>,
    /// The largest body read whole.
    pub(crate) max_body_size: usize,
    /// Credentials of the client (app secret, static token) to scrub from every error,
    /// whatever the request itself carried: a server may echo any of them.
    pub(crate) known_secrets: Vec<Secret>,
}

/// The span every WeChat call (API or token fetch) runs in. Fields are filled in as the
/// call goes; none of them can hold a credential.
pub(crate) fn call_span(endpoint: &Endpoint) -> tracing::Span {
    tracing::info_span!(
        "wechat_mp.call",
        group = endpoint.group,
        endpoint = endpoint.name,
        method = endpoint.method.as_str(),
        attempt = Empty,
        http.status = Empty,
        errcode = Empty,
        latency_ms = Empty,
    )
}

impl Transport {
    /// Sends `call` once and returns its body, checked for HTTP status and `errcode`.
    /// Records the attempt, status and errcode on `span`, the call's.
    pub(crate) async fn send(&self, call: &Call<'_>, attempt: u32, span: &tracing::Span) -> Result<Received, Error> {
        span.record("attempt", attempt);
        // The clock is read only for a subscriber that will see the figure.
        let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
        let result = self.round_trip(call, span).await;
        if let Err(error) = &result {
            if let Some(code) = error.errcode() {
                span.record("errcode", code);
            }
        } else {
            span.record("errcode", 0);
        }
        if let Some(started) = started {
            tracing::debug!(
                attempt,
                elapsed_ms = started.elapsed().as_millis() as u64,
                ok = result.is_ok(),
                "WeChat request attempt finished"
            );
        }
        result.map_err(|e| self.scrub(e, &call.credential))
    }

    /// `error` without the credentials of this client and those `credential` carried.
    pub(crate) fn scrub(&self, error: Error, credential: &Credential<'_>) -> Error {
        let mut secrets = credential.secrets();
        secrets.extend(self.known_secrets.iter().map(Secret::expose));
        error.scrub(&secrets)
    }

    /// One request and as much of its response as `call.read` asks, checked.
    pub(crate) async fn round_trip(&self, call: &Call<'_>, span: &tracing::Span) -> Result<Received, Error> {
        match call.read {
            Read::Whole => self.round_trip_whole(call, span).await.map(Received::Whole),
            Read::Stream => self.round_trip_streamed(call, span).await,
        }
    }

    /// [`round_trip`](Self::round_trip) of a body read whole.
    pub(crate) async fn round_trip_whole(&self, call: &Call<'_>, span: &tracing::Span) -> Result<Bytes, Error> {
        let pending = self.http.execute(self.request(call)?);
        let mut response = pending.await.map_err(|e| error::transport(call.endpoint, e))?;
        let status = response.status().as_u16();
        if !span.is_disabled() {
            span.record("http.status", status);
        }
        let body = read_whole(&mut response, self.max_body_size)
            .await
            .map_err(|e| e.into_error(call.endpoint))?;
        check(call, status, &body)?;
        Ok(body)
    }

    /// [`round_trip`](Self::round_trip) of a download: waits of at most `stream_idle`,
    /// and just enough of a 2xx body read to tell media, left to stream, from JSON,
    /// read whole and checked.
    ///
    /// Boxed, and built outside any `async fn`, as the other rare paths.
    fn round_trip_streamed<'a>(&'a self, call: &'a Call<'_>, span: &'a tracing::Span) -> Boxed<'a, Received> {
        Box::pin(async move {
            let endpoint = call.endpoint.to_string();
            let idle = self.stream_idle;
            let timed_out = || Error::Timeout {
                endpoint: endpoint.clone(),
            };
            let read_error = |e| error::transport(&endpoint, e);
            let pending = self.http.execute(self.request(call)?);
            let mut response = tokio::time::timeout(idle, pending)
                .await
                .map_err(|_| timed_out())?
                .map_err(read_error)?;
            let status = response.status().as_u16();
            span.record("http.status", status);
            let ok = (200..300).contains(&status);
            // WeChat reports an error on a download as a JSON object instead of the
            // media, so the first meaningful byte decides; a JSON body is small.
            let mut head = BytesMut::new();
            loop {
                let chunk = tokio::time::timeout(idle, response.chunk())
                    .await
                    .map_err(|_| timed_out())?
                    .map_err(read_error)?;
                let Some(chunk) = chunk else { break };
                head.extend_from_slice(&chunk);
                let first = decode::first_meaningful_byte(&head);
                if ok && first.is_some_and(|b| b != b'{') {
                    let stream = ByteStream::from_response(call.endpoint, response, head.freeze(), idle);
                    return Ok(Received::Stream(Box::new(stream)));
                }
                if head.len() > self.max_body_size {
                    return Err(error::too_large(call.endpoint, self.max_body_size));
                }
            }
            let body = head.freeze();
            check(call, status, &body)?;
            Ok(Received::Whole(body))
        })
    }

    /// The request URL: the credential's pairs, then the call's own.
    #[inline]
    fn url(&self, call: &Call<'_>) -> reqwest::Url {
        let (credential, count) = match call.credential {
            Credential::AccessToken(token) => ([("access_token", token.expose()), ("", "")], 1),
            Credential::AppSecret { app_id, secret } => ([("appid", app_id), ("secret", secret.expose())], 2),
            Credential::AppId(app_id) => ([("appid", app_id), ("", "")], 1),
            Credential::None | Credential::InBody(_) => ([("", ""); 2], 0),
        };
        self.hosts
            .get(call.endpoint.host)
            .join(call.endpoint.path, &credential[..count], call.query)
    }

    /// Built as a `Request`, not through a `RequestBuilder`, which would clone the
    /// client and move the request several times over.
    #[inline]
    fn request(&self, call: &Call<'_>) -> Result<reqwest::Request, Error> {
        let method = match call.endpoint.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut request = reqwest::Request::new(method, self.url(call));
        if call.read == Read::Stream {
            // A download may take as long as it keeps arriving: the client's total limit
            // is lifted for it, and `stream_idle` bounds each wait instead.
            *request.timeout_mut() = Some(STREAM_CEILING);
        } else if let Some(timeout) = self.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        if let Some(agent) = &self.user_agent {
            request.headers_mut().insert(USER_AGENT, agent.clone());
        }
        match call.body {
            Body::Empty => {}
            Body::Json(bytes) => {
                request
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                *request.body_mut() = Some(bytes.clone().into());
            }
            Body::Multipart(parts) => return with_multipart(&self.http, request, parts),
        }
        Ok(request)
    }
}

/// `request` with `parts` as its multipart body. Out of line: an upload is rare next
/// to the calls whose code should stay together.
#[inline(never)]
fn with_multipart(
    http: &reqwest::Client,
    request: reqwest::Request,
    parts: &[Part],
) -> Result<reqwest::Request, Error> {
    reqwest::RequestBuilder::from_parts(http.clone(), request)
        .multipart(multipart_form(parts)?)
        .build()
        .map_err(|e| Error::Encode {
            message: format!("multipart body: {}", e.without_url()),
        })
}

fn multipart_form(parts: &[Part]) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let length = part.data.len() as u64;
        let mut p = reqwest::multipart::Part::stream_with_length(part.data.clone(), length);
        if let Some(file_name) = &part.file_name {
            p = p.file_name(file_name.clone());
        }
        if let Some(content_type) = &part.content_type {
            p = p.mime_str(content_type).map_err(|e| Error::Encode {
                message: format!("content type {content_type:?}: {}", e.without_url()),
            })?;
        }
        form = form.part(part.name, p);
    }
    Ok(form)
}

/// An attempt's verdict on a response: its HTTP status, then its body as `call.expect`
/// says.
#[inline]
fn check(call: &Call<'_>, status: u16, body: &[u8]) -> Result<(), Error> {
    if !(200..300).contains(&status) {
        return Err(http_failure(call, status, body));
    }
    decode::check(call.endpoint, call.expect, body)
}

/// Non-2xx statuses are errors even when the body says `errcode: 0`; a JSON error
/// object behind one still reports its errcode, which is the more precise fact.
#[cold]
fn http_failure(call: &Call<'_>, status: u16, body: &[u8]) -> Error {
    match decode::check(call.endpoint, ResponseKind::Json, body) {
        Err(api @ Error::Api { .. }) => api,
        _ => Error::Http {
            endpoint: call.endpoint.to_string(),
            status,
            excerpt: redact::excerpt(body),
        },
    }
}

/// Per-request limit of a streamed download: in effect none (a day).
const STREAM_CEILING: Duration = Duration::from_secs(24 * 60 * 60);
