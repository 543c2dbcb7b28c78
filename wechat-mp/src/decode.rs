//! Turning response bodies into values or typed errors.
//!
//! WeChat answers errors with HTTP 200 and `{"errcode":N,"errmsg":"..."}`, and now and
//! then with an HTML page or nothing at all; every one of those is a typed error.

use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::endpoint::Endpoint;
use crate::error::Error;

#[derive(Deserialize)]
struct Status {
    #[serde(default)]
    errcode: Option<i64>,
    #[serde(default)]
    errmsg: Option<String>,
}

const EXCERPT_CHARS: usize = 120;

fn endpoint_name(endpoint: &Endpoint) -> String {
    format!("{}.{}", endpoint.group, endpoint.name)
}

/// A short excerpt of a body for error messages, with token-like values blanked.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    for key in ["access_token", "refresh_token", "ticket", "secret"] {
        out = redact_value(&out, key);
    }
    out
}

fn redact_value(text: &str, key: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(key) {
        let (before, after) = rest.split_at(pos + key.len());
        out.push_str(before);
        let value_start = after
            .char_indices()
            .find(|(_, c)| !matches!(c, '"' | ':' | '=' | ' '))
            .map_or(after.len(), |(i, _)| i);
        out.push_str(&after[..value_start]);
        let value = &after[value_start..];
        let value_end = value
            .char_indices()
            .find(|(_, c)| matches!(c, '"' | '&' | ',' | '}' | ' '))
            .map_or(value.len(), |(i, _)| i);
        if value_end > 0 {
            out.push_str("***");
        }
        rest = &value[value_end..];
    }
    out.push_str(rest);
    out
}

fn decode_error(endpoint: &Endpoint, message: impl ToString, body: &[u8]) -> Error {
    Error::Decode {
        endpoint: endpoint_name(endpoint),
        message: message.to_string(),
        excerpt: excerpt(body),
    }
}

fn check_status(endpoint: &Endpoint, body: &[u8]) -> Result<(), Error> {
    let status: Status = serde_json::from_slice(body).map_err(|e| decode_error(endpoint, e, body))?;
    match status.errcode {
        Some(code) if code != 0 => Err(Error::Api {
            code,
            message: status.errmsg.unwrap_or_default(),
        }),
        _ => Ok(()),
    }
}

/// Decodes a JSON response after checking its `errcode`.
pub(crate) fn json<T: DeserializeOwned>(endpoint: &Endpoint, body: &[u8]) -> Result<T, Error> {
    check_status(endpoint, body)?;
    serde_json::from_slice(body).map_err(|e| decode_error(endpoint, e, body))
}

/// Checks a response that carries only `errcode`/`errmsg`.
pub(crate) fn empty(endpoint: &Endpoint, body: &[u8]) -> Result<(), Error> {
    check_status(endpoint, body)
}

/// Returns a binary body, unless it is a JSON error object.
pub(crate) fn binary(endpoint: &Endpoint, body: Bytes) -> Result<Bytes, Error> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        check_status(endpoint, &body)?;
    }
    if body.is_empty() {
        return Err(decode_error(endpoint, "empty body", &body));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{Auth, Host, Method, ResponseKind};

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
        let err = json::<Info>(&EP, br#"{"errcode":40003,"errmsg":"invalid openid"}"#).unwrap_err();
        assert!(
            matches!(err, Error::Api { code: 40003, ref message } if message == "invalid openid"),
            "{err:?}"
        );
    }

    #[test]
    fn html_and_empty_bodies_are_decode_errors_naming_the_endpoint() {
        for body in [
            &b"<html><body>502 Bad Gateway</body></html>"[..],
            b"",
            b"\xff\xfe garbage",
        ] {
            let err = json::<Info>(&EP, body).unwrap_err();
            match err {
                Error::Decode { endpoint, .. } => assert_eq!(endpoint, "user.info"),
                other => panic!("expected a decode error, got {other:?}"),
            }
        }
    }

    #[test]
    fn success_decodes() {
        let info: Info = json(&EP, br#"{"openid":"o1","errcode":0}"#).unwrap();
        assert_eq!(info.openid, "o1");
    }

    #[test]
    fn binary_passes_bytes_and_catches_json_errors() {
        let png = Bytes::from_static(b"\x89PNG\r\n");
        assert_eq!(binary(&EP, png.clone()).unwrap(), png);
        let err = binary(&EP, Bytes::from_static(br#"{"errcode":40001,"errmsg":"bad"}"#)).unwrap_err();
        assert!(matches!(err, Error::Api { code: 40001, .. }));
    }

    #[test]
    fn excerpts_hide_tokens() {
        let text = excerpt(br#"{"access_token":"TOKEN123","expires_in":7200} url?access_token=TOK2&x=1"#);
        assert!(!text.contains("TOKEN123") && !text.contains("TOK2"), "{text}");
        assert!(text.contains("expires_in"));
    }
}
