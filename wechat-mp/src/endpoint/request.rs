//! The request a generated endpoint hands to the runtime.
//!
//! Generated builders collect their parameters into an [`ApiRequest`]; the
//! [`Client`](crate::Client) turns it into HTTP. Bodies are encoded up front into
//! bytes so that the runtime can resend them unchanged when it retries.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use serde::Serialize;

use crate::endpoint::Endpoint;
use crate::error::Error;

#[cfg_attr(not(feature = "datacube"), allow(unused_imports))]
pub(crate) use super::dates::check_date_range;

/// The future a generated request builder turns into when awaited.
pub type ApiFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// The [`ApiFuture`] of a builder's encoded `request`: `send`'s future, boxed as it is,
/// or the encoding error, ready.
// Generated builders are its only callers, and with every group feature off there are none.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
pub(crate) fn api_future<'a, T, F>(
    request: Result<ApiRequest, Error>,
    send: impl FnOnce(ApiRequest) -> F,
) -> ApiFuture<'a, T>
where
    T: Send + 'a,
    F: Future<Output = Result<T, Error>> + Send + 'a,
{
    match request {
        Ok(request) => Box::pin(send(request)),
        Err(error) => Box::pin(std::future::ready(Err(error))),
    }
}

/// One call of one endpoint, ready to send.
pub struct ApiRequest {
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Body,
}

/// The encoded body of an [`ApiRequest`].
#[derive(Debug, Clone)]
pub enum Body {
    /// No body.
    Empty,
    /// A JSON document.
    Json(Bytes),
    /// A `multipart/form-data` form.
    Multipart(Vec<Part>),
}

/// One field of a multipart form.
#[derive(Debug, Clone)]
pub struct Part {
    /// Form field name.
    pub name: &'static str,
    /// File name, for file fields.
    pub file_name: Option<String>,
    /// Content type, for file fields.
    pub content_type: Option<String>,
    /// Field content.
    pub data: Bytes,
}

/// Query parameters whose values are credentials and never printed.
const SECRET_QUERY_KEYS: &[&str] = &["access_token", "secret", "appsecret", "refresh_token", "code"];

impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    if SECRET_QUERY_KEYS.contains(k) {
                        "***"
                    } else {
                        v.as_str()
                    },
                )
            })
            .collect();
        f.debug_struct("ApiRequest")
            .field(
                "endpoint",
                &format_args!("{}.{}", self.endpoint.group, self.endpoint.name),
            )
            .field("query", &query)
            .field("body", &self.body)
            .finish()
    }
}

impl Part {
    /// A plain text form field.
    pub fn text(name: &'static str, value: impl ToString) -> Self {
        Part {
            name,
            file_name: None,
            content_type: None,
            data: Bytes::from(value.to_string()),
        }
    }

    /// A form field holding a value as JSON text (Material.add's video `description`).
    pub fn json<T: Serialize + ?Sized>(name: &'static str, value: &T) -> Result<Self, Error> {
        let text = serde_json::to_vec(value).map_err(|e| Error::Encode {
            message: format!("field `{name}`: {e}"),
        })?;
        Ok(Part {
            name,
            file_name: None,
            content_type: None,
            data: Bytes::from(text),
        })
    }
}

impl ApiRequest {
    /// A request for `endpoint` with no parameters yet.
    pub fn new(endpoint: &'static Endpoint) -> Self {
        ApiRequest {
            endpoint,
            query: Vec::new(),
            body: Body::Empty,
        }
    }

    /// The endpoint this request calls.
    pub fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// The query parameters, in the order they were added.
    pub fn query_pairs(&self) -> &[(&'static str, String)] {
        &self.query
    }

    /// The encoded body.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Sets a JSON body, encoded once, straight to bytes; fails if it cannot be
    /// serialized.
    pub fn json<T: Serialize + ?Sized>(self, body: &T) -> Result<Self, Error> {
        // Only the encoding is generic: every endpoint's body type instantiates it.
        self.json_bytes(serde_json::to_vec(body))
    }

    fn json_bytes(mut self, encoded: serde_json::Result<Vec<u8>>) -> Result<Self, Error> {
        let bytes = encoded.map_err(|e| Error::Encode { message: e.to_string() })?;
        self.body = Body::Json(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets a multipart body.
    pub fn multipart(mut self, parts: Vec<Part>) -> Self {
        self.body = Body::Multipart(parts);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_body_is_encoded_once_as_given() {
        #[derive(serde::Serialize)]
        struct QrBody<'a> {
            action_name: &'static str,
            card_id: &'a str,
        }
        static EP: Endpoint = Endpoint {
            group: "card",
            name: "create_qrcode",
            method: crate::endpoint::Method::Post,
            host: crate::endpoint::Host::Api,
            path: "/card/qrcode/create",
            auth: crate::endpoint::Auth::AccessToken,
            response: crate::endpoint::ResponseKind::Json,
        };
        let request = ApiRequest::new(&EP)
            .json(&QrBody {
                action_name: "QR_CARD",
                card_id: "p1",
            })
            .unwrap();
        let Body::Json(bytes) = request.body() else {
            panic!("expected JSON")
        };
        assert_eq!(&bytes[..], br#"{"action_name":"QR_CARD","card_id":"p1"}"#);
    }

    #[test]
    fn debug_hides_credentials_in_the_query() {
        use crate::endpoint::{Auth, Host, Method, ResponseKind};
        static EP: Endpoint = Endpoint {
            group: "auth",
            name: "get_user",
            method: Method::Get,
            host: Host::Api,
            path: "/sns/userinfo",
            auth: Auth::OAuthToken,
            response: ResponseKind::Json,
        };
        let request = ApiRequest::new(&EP)
            .query("access_token", "USER-TOKEN-1")
            .query("openid", "o1");
        let text = format!("{request:?}");
        assert!(!text.contains("USER-TOKEN-1"), "{text}");
        assert!(text.contains("o1") && text.contains("auth.get_user"), "{text}");
    }

    #[test]
    fn a_body_that_cannot_be_encoded_is_an_encode_error() {
        use std::collections::BTreeMap;
        static EP: Endpoint = Endpoint {
            group: "g",
            name: "n",
            method: crate::endpoint::Method::Post,
            host: crate::endpoint::Host::Api,
            path: "/p",
            auth: crate::endpoint::Auth::AccessToken,
            response: crate::endpoint::ResponseKind::Json,
        };
        // JSON object keys must be strings.
        let body = BTreeMap::from([(vec![1u8], 1)]);
        let err = ApiRequest::new(&EP).json(&body).unwrap_err();
        assert!(matches!(err, Error::Encode { .. }), "{err:?}");
    }
}
