//! A mock WeChat server on 127.0.0.1 for the generated endpoint tests.
//!
//! Each host (api, mp, open) is served under its own path prefix of one wiremock
//! server, so a request sent to the wrong host misses its mock.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wechat_mp::endpoint::Auth;
use wechat_mp::{Client, Host};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

pub use crate::{APP_ID, APP_SECRET};

/// The access token every mock client sends.
pub const ACCESS_TOKEN: &str = "MOCK-ACCESS-TOKEN-abcdef";
/// The bytes of every uploaded and downloaded file in the generated tests.
pub const FILE_BYTES: &[u8] = b"\x89PNG\r\n\x1a\nwechat-mp mock file";

/// A running mock server.
pub struct MockWechat {
    server: MockServer,
}

/// What one generated test expects the client to send, and what to answer.
#[derive(Debug)]
pub struct Expect {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Host the request must go to.
    pub host: Host,
    /// Path on that host.
    pub path: &'static str,
    /// Credential the request must carry in its query.
    pub auth: Auth,
    /// The other query parameters, exactly.
    pub query: &'static [(&'static str, &'static str)],
    /// The body.
    pub body: ExpectBody,
    /// The answer.
    pub reply: Reply,
}

/// The body a request must carry.
#[derive(Debug)]
pub enum ExpectBody {
    /// None at all.
    None,
    /// This JSON, compared as values.
    Json(&'static str),
    /// A multipart form with exactly these field names.
    Form(&'static [&'static str]),
}

/// What the mock answers.
#[derive(Debug)]
pub enum Reply {
    /// This JSON.
    Json(&'static str),
    /// [`FILE_BYTES`] as an image.
    Bytes,
}

fn prefix(host: Host) -> &'static str {
    match host {
        Host::Api => "/api-host",
        Host::Mp => "/mp-host",
        Host::Open => "/open-host",
    }
}

impl MockWechat {
    /// Starts a server on a random loopback port.
    pub async fn start() -> Self {
        MockWechat {
            server: MockServer::start().await,
        }
    }

    /// The underlying wiremock server.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The base URL the client uses for `host`.
    pub fn base_url(&self, host: Host) -> String {
        format!("{}{}", self.server.uri(), prefix(host))
    }

    /// A client pointed at this server for every host, with a fixed access token.
    pub fn client(&self) -> Client {
        Client::builder()
            .app_id(APP_ID)
            .app_secret(APP_SECRET)
            .access_token(ACCESS_TOKEN)
            // Each mock answers once: an error sample of `-1` must not be retried.
            .retry(wechat_mp::RetryPolicy::none())
            .base_url(Host::Api, self.base_url(Host::Api))
            .base_url(Host::Mp, self.base_url(Host::Mp))
            .base_url(Host::Open, self.base_url(Host::Open))
            .build()
            .expect("a valid client")
    }

    /// Mounts a mock that matches exactly one call as `expect` describes.
    pub async fn expect(&self, expect: Expect) {
        let mut query: Vec<(String, String)> = expect
            .query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        match expect.auth {
            Auth::AccessToken => query.push(("access_token".into(), ACCESS_TOKEN.into())),
            Auth::AppSecret => {
                query.push(("appid".into(), APP_ID.into()));
                query.push(("secret".into(), APP_SECRET.into()));
            }
            Auth::AppId => query.push(("appid".into(), APP_ID.into())),
            Auth::None | Auth::OAuthToken => {}
        }
        let mut mock = Mock::given(method(expect.method))
            .and(path(format!("{}{}", prefix(expect.host), expect.path)))
            .and(ExactQuery(query));
        mock = match expect.body {
            ExpectBody::None => mock.and(EmptyBody),
            ExpectBody::Json(text) => mock
                .and(header("content-type", "application/json"))
                .and(body_json(parse(text))),
            ExpectBody::Form(names) => mock.and(FormFields(names)),
        };
        let response = match expect.reply {
            Reply::Json(text) => ResponseTemplate::new(200).set_body_json(parse(text)),
            Reply::Bytes => ResponseTemplate::new(200).set_body_raw(FILE_BYTES, "image/jpeg"),
        };
        mock.respond_with(response).expect(1).mount(&self.server).await;
    }

    /// Panics, listing what arrived, unless every mounted mock saw its calls.
    pub async fn verify(&self) {
        self.server.verify().await;
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("bad JSON in a test: {e}: {text}"))
}

/// Matches a query string holding exactly these pairs, in any order.
struct ExactQuery(Vec<(String, String)>);

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        let mut got: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut want = self.0.clone();
        got.sort();
        want.sort();
        got == want
    }
}

struct EmptyBody;

impl Match for EmptyBody {
    fn matches(&self, request: &Request) -> bool {
        request.body.is_empty()
    }
}

/// Matches a multipart form that has every named field; file fields carry [`FILE_BYTES`].
struct FormFields(&'static [&'static str]);

impl Match for FormFields {
    fn matches(&self, request: &Request) -> bool {
        let is_form = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let body = String::from_utf8_lossy(&request.body);
        let mut sent = form_field_names(&body);
        let mut expected: Vec<&str> = self.0.to_vec();
        sent.sort_unstable();
        expected.sort_unstable();
        is_form && sent == expected
    }
}

/// The `name` of each part of a multipart body, as its `Content-Disposition` gives it.
fn form_field_names(body: &str) -> Vec<&str> {
    const MARK: &str = "form-data; name=\"";
    body.match_indices(MARK)
        .filter_map(|(at, _)| {
            let rest = &body[at + MARK.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Decodes a test argument from the example's JSON. A string holding a number is
/// accepted for a numeric parameter, since query examples write numbers as text.
pub fn arg<T: DeserializeOwned>(json: &str) -> T {
    let value = parse(json);
    match serde_json::from_value::<T>(value.clone()) {
        Ok(v) => v,
        Err(first) => value
            .as_str()
            .and_then(|s| serde_json::from_str::<T>(s).ok())
            .unwrap_or_else(|| panic!("example value {json} does not fit the parameter: {first}")),
    }
}

/// Asserts that a decoded response, encoded again, equals the example it was decoded
/// from: no field lost or mangled. Numbers and numeric strings compare equal, since
/// some fields accept either.
pub fn assert_example<T: Serialize>(value: &T, expected: &str) {
    let got = serde_json::to_value(value).expect("responses serialize");
    let want = parse(expected);
    assert!(
        loose_eq(&got, &want),
        "decoded response differs from the example\n got: {}\nwant: {}",
        serde_json::to_string_pretty(&got).unwrap_or_default(),
        serde_json::to_string_pretty(&want).unwrap_or_default()
    );
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => n.to_string() == *s,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| loose_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| loose_eq(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_equality_accepts_numeric_strings_only() {
        assert!(loose_eq(
            &serde_json::json!({"a": [1, "x"]}),
            &serde_json::json!({"a": ["1", "x"]})
        ));
        assert!(!loose_eq(&serde_json::json!({"a": 1}), &serde_json::json!({"a": 2})));
        assert!(!loose_eq(
            &serde_json::json!({"a": 1}),
            &serde_json::json!({"a": 1, "b": 2})
        ));
    }

    #[test]
    fn form_field_names_are_read_from_each_part_and_not_from_file_names() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"media\"; filename=\"name.bin\"\r\n\r\nx\r\n\
                    --b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n{}\r\n--b--\r\n";
        assert_eq!(form_field_names(body), ["media", "description"]);
        assert!(form_field_names("no parts").is_empty());
    }
}
