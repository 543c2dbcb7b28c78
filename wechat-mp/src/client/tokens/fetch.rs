//! Getting an access token from WeChat: `/cgi-bin/token` or `/cgi-bin/stable_token`.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use tracing::Instrument;

use crate::client::retry::{self, RetryPolicy};
use crate::endpoint::request::Body;
use crate::endpoint::{Auth, Endpoint, Host, Method, ResponseKind};
use crate::error::Error;
use crate::http::{Call, Credential, Read, Transport, call_span, decode};
use crate::secret::Secret;
use crate::token::CachedToken;

static TOKEN: Endpoint = Endpoint {
    group: "token",
    name: "token",
    method: Method::Get,
    host: Host::Api,
    path: "/cgi-bin/token",
    auth: Auth::AppSecret,
    response: ResponseKind::Json,
};

static STABLE_TOKEN: Endpoint = Endpoint {
    group: "token",
    name: "stable_token",
    method: Method::Post,
    host: Host::Api,
    path: "/cgi-bin/stable_token",
    auth: Auth::None,
    response: ResponseKind::Json,
};

/// Which WeChat endpoint issues access tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenEndpoint {
    /// `GET /cgi-bin/token`: each fetch replaces the previous token (after 5 minutes).
    Basic,
    /// `POST /cgi-bin/stable_token`: repeated fetches return the same token until it
    /// nears expiry; isolated from `/cgi-bin/token`.
    Stable,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    expires_in: Option<Value>,
}

/// Fetches a new access token. `force_refresh` matters only for stable tokens: after
/// WeChat rejected one, asking normally would hand back the same rejected token.
pub(crate) async fn fetch(
    transport: &Transport,
    retry: &RetryPolicy,
    app_id: &str,
    secret: &Secret,
    endpoint: TokenEndpoint,
    force_refresh: bool,
) -> Result<CachedToken, Error> {
    let (ep, query, body, credential) = match endpoint {
        TokenEndpoint::Basic => (
            &TOKEN,
            vec![("grant_type", "client_credential".to_owned())],
            Body::Empty,
            Credential::AppSecret { app_id, secret },
        ),
        TokenEndpoint::Stable => {
            let json = serde_json::json!({
                "grant_type": "client_credential",
                "appid": app_id,
                "secret": secret.expose(),
                "force_refresh": force_refresh,
            });
            let bytes = serde_json::to_vec(&json).map_err(|e| Error::Encode { message: e.to_string() })?;
            (
                &STABLE_TOKEN,
                Vec::new(),
                Body::Json(bytes.into()),
                Credential::InBody(secret),
            )
        }
    };
    let call = Call {
        endpoint: ep,
        query: &query,
        body: &body,
        credential,
        expect: ResponseKind::Json,
        read: Read::Whole,
    };
    let span = call_span(ep);
    let body = async {
        let mut attempt = 0;
        // Fetching a token twice is harmless, so transient failures are always retried.
        retry::transient(retry, true, || {
            attempt += 1;
            transport.send(&call, attempt, &span)
        })
        .await
    }
    .instrument(span.clone())
    .await?
    .into_bytes()
    .await?;
    let parsed: TokenResponse = decode::json(ep, &body)?;
    let token = parsed.access_token.filter(|t| !t.is_empty());
    let expires_in = parsed.expires_in.as_ref().and_then(seconds).filter(|s| *s > 0);
    match (token, expires_in) {
        (Some(token), Some(expires_in)) => Ok(CachedToken::issued_now(token, Duration::from_secs(expires_in))),
        _ => Err(Error::Decode {
            endpoint: ep.to_string(),
            message: "response lacks a non-empty access_token and a positive expires_in".into(),
            excerpt: crate::error::redact::excerpt(&body),
        }),
    }
}

/// WeChat documents `expires_in` as a number, but quoted numbers have been seen.
fn seconds(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
