//! Turning response bodies into values or typed errors.
//!
//! WeChat answers errors with HTTP 200 and `{"errcode":N,"errmsg":"..."}`, and now and
//! then with an HTML page or nothing at all; every one of those is a typed error.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use memchr::memmem;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::endpoint::{Endpoint, ResponseKind};
use crate::error::redact::excerpt;
use crate::error::{Error, ErrorCode};

/// The `errcode`/`errmsg` of a response. Only a JSON object qualifies: serde's derive
/// would also accept an array, and `[1]` is not a WeChat status.
#[derive(Default)]
struct Status {
    errcode: Option<Value>,
    errmsg: Option<String>,
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(StatusVisitor)
    }
}

struct StatusVisitor;

impl<'de> Visitor<'de> for StatusVisitor {
    type Value = Status;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Status, A::Error> {
        let mut status = Status::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match &*key {
                "errcode" => status.errcode = Some(map.next_value()?),
                "errmsg" => status.errmsg = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(status)
    }
}

/// The first byte of `body` that is not blank: `{` for a JSON object, `<` for an HTML
/// page, anything else for media.
pub(crate) fn first_meaningful_byte(body: &[u8]) -> Option<u8> {
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}

fn decode_error(endpoint: &Endpoint, message: impl ToString, body: &[u8]) -> Error {
    Error::Decode {
        endpoint: endpoint.to_string(),
        message: message.to_string(),
        excerpt: excerpt(body),
    }
}

/// Names the usual ways a body is not JSON, so the error says more than serde's
/// "expected value at line 1 column 1".
fn not_json(endpoint: &Endpoint, error: serde_json::Error, body: &[u8]) -> Error {
    let message = match first_meaningful_byte(body) {
        None => "empty body, expected JSON".to_owned(),
        Some(b'<') => "expected JSON, got an HTML or XML page".to_owned(),
        Some(_) => format!("invalid JSON: {error}"),
    };
    decode_error(endpoint, message, body)
}

fn check_status(endpoint: &Endpoint, body: &[u8]) -> Result<(), Error> {
    let status: Status = serde_json::from_slice(body).map_err(|e| not_json(endpoint, e, body))?;
    let code = match status.errcode {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Number(n)) => n.as_i64(),
        // Some WeChat endpoints quote their numbers.
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    }
    .ok_or_else(|| decode_error(endpoint, "errcode is not an integer", body))?;
    if code == 0 {
        return Ok(());
    }
    Err(Error::Api {
        code: ErrorCode::from(code),
        message: status.errmsg.unwrap_or_default(),
    })
}

/// Whether `body` mentions an `errcode` key at all. Every call's body passes through
/// here, so the search is memchr's vectorised one, its
/// searcher built once.
fn mentions_errcode(body: &[u8]) -> bool {
    static FINDER: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"\"errcode\""));
    FINDER.find(body).is_some()
}

/// Checks a response body for an `errcode` and for being the shape `kind` promises.
#[inline]
pub(crate) fn check(endpoint: &Endpoint, kind: ResponseKind, body: &[u8]) -> Result<(), Error> {
    match kind {
        // Data responses usually carry no errcode: skip a parse that would find none.
        // A body that is not JSON at all still fails, in `json`.
        ResponseKind::Json if !mentions_errcode(body) => Ok(()),
        ResponseKind::Json | ResponseKind::Empty => check_status(endpoint, body),
        ResponseKind::Binary => {
            if first_meaningful_byte(body) == Some(b'{') {
                check_status(endpoint, body)?;
            }
            if body.is_empty() {
                return Err(decode_error(endpoint, "empty body, expected binary content", body));
            }
            Ok(())
        }
    }
}

/// Decodes a JSON response whose status [`check`] already accepted.
pub(crate) fn json<T: DeserializeOwned>(endpoint: &Endpoint, body: &[u8]) -> Result<T, Error> {
    // Checking the UTF-8 of the whole body at once is several times cheaper than
    // serde_json checking each string of it, which it does for bytes but not for `str`.
    let parsed = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    parsed.map_err(|e| {
        if first_meaningful_byte(body) == Some(b'{') {
            decode_error(endpoint, e, body)
        } else {
            not_json(endpoint, e, body)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{Auth, Host, Method};

    static EP: Endpoint = Endpoint {
        group: "user",
        name: "info",
        method: Method::Get,
        host: Host::Api,
        path: "/cgi-bin/user/info",
        auth: Auth::AccessToken,
        response: ResponseKind::Json,
    };

    #[derive(Debug, Deserialize)]
    struct Info {
        openid: String,
    }

    #[test]
    fn errcode_becomes_api_error() {
        let body = br#"{"errcode":40003,"errmsg":"invalid openid"}"#;
        let err = check(&EP, ResponseKind::Json, body).unwrap_err();
        assert!(
            matches!(err, Error::Api { code: ErrorCode::InvalidOpenId, ref message } if message == "invalid openid"),
            "{err:?}"
        );
        let quoted = check(&EP, ResponseKind::Empty, br#"{"errcode":"-1"}"#).unwrap_err();
        assert_eq!(quoted.errcode(), Some(-1));
    }

    #[test]
    fn html_empty_and_garbage_bodies_are_decode_errors_naming_the_endpoint() {
        let bodies: [&[u8]; 5] = [
            b"<html><body>502 Bad Gateway</body></html>",
            b"",
            b"  \n",
            b"\xff\xfe garbage",
            b"[1]",
        ];
        for body in bodies {
            match check(&EP, ResponseKind::Empty, body).unwrap_err() {
                Error::Decode { endpoint, .. } => assert_eq!(endpoint, "user.info"),
                other => panic!("expected a decode error, got {other:?}"),
            }
        }
        let html = json::<Info>(&EP, b"<html>").unwrap_err().to_string();
        assert!(html.contains("HTML"), "{html}");
        for body in bodies {
            assert!(matches!(json::<Info>(&EP, body), Err(Error::Decode { .. })));
        }
    }

    #[test]
    fn errcode_is_found_only_as_a_quoted_key() {
        assert!(mentions_errcode(br#"{"a":"x","errcode":1}"#));
        assert!(mentions_errcode(br#""errcode""#));
        assert!(!mentions_errcode(br#"{"errcodes":1, "x":"errcode"#));
        assert!(!mentions_errcode(br#"{"a":"errco"#));
        assert!(!mentions_errcode(b""));
    }

    #[test]
    fn success_decodes() {
        let body = br#"{"openid":"o1","errcode":0}"#;
        check(&EP, ResponseKind::Json, body).unwrap();
        let info: Info = json(&EP, body).unwrap();
        assert_eq!(info.openid, "o1");
        let missing = json::<Info>(&EP, br#"{"errcode":0}"#).unwrap_err();
        assert!(matches!(missing, Error::Decode { .. }), "{missing:?}");
    }

    #[test]
    fn binary_passes_bytes_and_catches_json_errors() {
        check(&EP, ResponseKind::Binary, b"\x89PNG\r\n").unwrap();
        let err = check(&EP, ResponseKind::Binary, br#"{"errcode":40001,"errmsg":"bad"}"#).unwrap_err();
        assert_eq!(err.errcode(), Some(40001));
        let empty = check(&EP, ResponseKind::Binary, b"").unwrap_err();
        assert!(matches!(empty, Error::Decode { .. }), "{empty:?}");
    }
}
