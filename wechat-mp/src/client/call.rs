//! The call loop: a call's first attempt, then retries of transient failures and one
//! repeat with a fresh token when WeChat rejects the one sent.
//!
//! Most calls succeed at once, so the first attempt of a call read whole runs in a
//! small future of its own ([`Client::whole`]); only when it fails does the boxed loop
//! ([`Client::execute`], [`Client::attempts`]) take over, with tracing, retries and
//! token refresh. BENCHMARKS.md measures what the split saves.

use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use bytes::Bytes;
use tracing::Instrument;

use super::Client;
use super::retry;
use crate::endpoint::request::ApiRequest;
use crate::endpoint::{Auth, ResponseKind};
use crate::error::Error;
use crate::http::{Call, Credential, Read, Received, call_span};
use crate::secret::Secret;

/// The first attempt of a call, made in [`Client::whole`], that failed; [`Client::attempts`]
/// goes on from it.
struct Failed {
    token: Option<Secret>,
    error: Error,
}

impl Client {
    /// A download, its media left to stream.
    pub(super) fn download<'a>(
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
    pub(super) async fn whole(&self, request: &ApiRequest, expect: ResponseKind) -> Result<Bytes, Error> {
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
    /// are retried per the [`RetryPolicy`](super::retry::RetryPolicy); a rejected access token is replaced and the
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
                    inner.tokens.after_rejection(&inner.transport, &token, &error).await?;
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
