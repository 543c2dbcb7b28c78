//! The request a generated endpoint hands to the runtime.
//!
//! Generated builders collect their parameters into an [`ApiRequest`]; the
//! [`Client`](crate::Client) turns it into HTTP. Bodies are encoded up front into
//! bytes so that the runtime can resend them unchanged when it retries.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::endpoint::Endpoint;
use crate::error::Error;

/// The future a generated request builder turns into when awaited.
pub type ApiFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// The [`ApiFuture`] of a builder's encoded `request`: `send`'s future, boxed as it is,
/// or the encoding error, ready.
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
const SECRET_QUERY_KEYS: &[&str] = &["access_token", "secret", "refresh_token", "code"];

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

    /// Sets a JSON body; fails if a field could not be serialized.
    pub fn json(mut self, body: JsonBody) -> Result<Self, Error> {
        let value = body.into_value()?;
        let bytes = serde_json::to_vec(&value).map_err(|e| Error::Encode { message: e.to_string() })?;
        self.body = Body::Json(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets a multipart body.
    pub fn multipart(mut self, parts: Vec<Part>) -> Self {
        self.body = Body::Multipart(parts);
        self
    }
}

/// Builds a JSON object field by field, placing each at a path of nested objects.
///
/// Specs may put a flat parameter deep inside the body (Qrcode's
/// `action_info.scene.scene_id`) or fix a constant (`action_name`); this builder lets
/// generated code say both without a struct per nesting level.
#[derive(Debug, Default)]
pub struct JsonBody {
    root: Map<String, Value>,
    error: Option<String>,
}

impl JsonBody {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` inside the object reached by `path` (created as needed) to `value`.
    pub fn field<T: Serialize + ?Sized>(mut self, path: &[&str], key: &str, value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => self.insert(path, key, value),
            Err(e) => {
                self.error.get_or_insert_with(|| format!("field `{key}`: {e}"));
            }
        }
        self
    }

    /// Merges the members of an object-valued `value` into the object at `path`.
    /// Used for either-or parameters, whose variant decides the key.
    pub fn flatten<T: Serialize + ?Sized>(mut self, path: &[&str], value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(Value::Object(map)) => {
                for (k, v) in map {
                    self.insert(path, &k, v);
                }
            }
            Ok(other) => {
                self.error
                    .get_or_insert_with(|| format!("expected an object to flatten, got {other}"));
            }
            Err(e) => {
                self.error.get_or_insert_with(|| e.to_string());
            }
        }
        self
    }

    fn insert(&mut self, path: &[&str], key: &str, value: Value) {
        insert_at(&mut self.root, path, key, value);
    }

    /// The finished object.
    pub fn into_value(self) -> Result<Value, Error> {
        match self.error {
            Some(message) => Err(Error::Encode { message }),
            None => Ok(Value::Object(self.root)),
        }
    }
}

fn insert_at(map: &mut Map<String, Value>, path: &[&str], key: &str, value: Value) {
    match path.split_first() {
        None => {
            map.insert(key.to_owned(), value);
        }
        Some((head, rest)) => {
            let slot = map
                .entry((*head).to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                insert_at(inner, rest, key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_land_at_their_paths_beside_constants() {
        let body = JsonBody::new()
            .field(&[], "action_name", "QR_SCENE")
            .field(&["action_info", "scene"], "scene_id", &7u32)
            .field(&[], "expire_seconds", &60u32)
            .into_value()
            .unwrap();
        assert_eq!(
            body,
            json!({"action_name": "QR_SCENE", "expire_seconds": 60,
                   "action_info": {"scene": {"scene_id": 7}}})
        );
    }

    #[test]
    fn flatten_merges_an_either_or_variant() {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Change {
            IncreaseStockValue(u32),
        }
        let body = JsonBody::new()
            .field(&[], "card_id", "c1")
            .flatten(&[], &Change::IncreaseStockValue(3))
            .into_value()
            .unwrap();
        assert_eq!(body, json!({"card_id": "c1", "increase_stock_value": 3}));
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
    fn flattening_a_non_object_is_an_encode_error() {
        let err = JsonBody::new().flatten(&[], &5).into_value().unwrap_err();
        assert!(matches!(err, Error::Encode { .. }), "{err:?}");
    }
}
