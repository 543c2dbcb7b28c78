//! What the generated example tests hold the client to: each sends an example's
//! request through the client to `wechat-mp-mock`, which checks it against the spec,
//! and then asserts here that exactly the example's query and body went out and that
//! the answer decoded to the example.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wechat_mp::endpoint::Auth;
use wechat_mp_mock::{Call, MockWechat};

/// The body the example's request carries.
#[derive(Debug)]
pub enum SentBody {
    /// None at all.
    None,
    /// This JSON, compared as values.
    Json(&'static str),
    /// A multipart form with exactly these field names.
    Form(&'static [&'static str]),
}

/// Has `endpoint` answer `json` (an error sample, or an example's own answer).
pub fn respond(wx: &MockWechat, endpoint: &str, json: &str) {
    wx.respond(endpoint, parse(json)).unwrap_or_else(|e| panic!("{e}"));
}

/// Has `endpoint` answer WeChat's error `code` with `message` (an error sample).
pub fn respond_error(wx: &MockWechat, endpoint: &str, code: i64, message: &str) {
    let answer = serde_json::json!({"errcode": code, "errmsg": message});
    wx.respond(endpoint, answer).unwrap_or_else(|e| panic!("{e}"));
}

/// Asserts that `result` is WeChat's error `code` with `message`, as an error sample says.
pub fn assert_api_error<T: std::fmt::Debug>(result: Result<T, wechat_mp::Error>, code: i64, message: &str) {
    match result {
        Err(wechat_mp::Error::Api {
            code: got,
            message: text,
        }) => {
            assert_eq!(got.as_i64(), code);
            assert_eq!(text, message);
        }
        other => panic!("expected WeChat error {code}, got {other:?}"),
    }
}

/// Asserts that the mock received exactly one call of `endpoint`, that it fit the spec,
/// and that it carried `query` (besides the credential `auth` names) and `body`.
pub fn assert_sent(wx: &MockWechat, endpoint: &str, auth: Auth, query: &[(&str, &str)], body: SentBody) {
    let call = one_call(wx, endpoint);
    let credential: &[&str] = match auth {
        Auth::AccessToken => &["access_token"],
        Auth::AppSecret => &["appid", "secret"],
        Auth::AppId => &["appid"],
        _ => &[],
    };
    for name in credential {
        assert!(call.query(name).is_some(), "{endpoint} sent no `{name}`: {call:#?}");
    }
    let mut got: Vec<(&str, &str)> = call
        .query
        .iter()
        .filter(|(k, _)| !credential.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut want = query.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "the query {endpoint} sent");
    match body {
        SentBody::None => assert!(
            call.body.is_none() && call.form.is_empty(),
            "{endpoint} sent a body: {call:#?}"
        ),
        SentBody::Json(text) => assert_eq!(call.body.as_ref(), Some(&parse(text)), "the body {endpoint} sent"),
        SentBody::Form(names) => {
            let mut sent: Vec<&str> = call.form.iter().map(|p| p.name.as_str()).collect();
            let mut names = names.to_vec();
            sent.sort_unstable();
            names.sort_unstable();
            assert_eq!(sent, names, "the form fields {endpoint} sent");
        }
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("bad JSON in a test: {e}: {text}"))
}

/// The one JSON body the mock received for `endpoint`, after checking that no request
/// missed its spec; hand-written tests compare it with WeChat's documented JSON.
pub fn sent_body(wx: &MockWechat, endpoint: &str) -> Value {
    one_call(wx, endpoint).body.expect("a JSON body")
}

/// The one call of `endpoint` the mock received, after checking that no request missed
/// its spec.
fn one_call(wx: &MockWechat, endpoint: &str) -> Call {
    wx.assert_no_mismatches();
    let mut calls = wx.calls(endpoint).unwrap_or_else(|e| panic!("{e}"));
    if calls.len() != 1 {
        panic!(
            "expected one call of {endpoint}, the mock received {}; every call: {:#?}",
            calls.len(),
            wx.all_calls()
        );
    }
    calls.remove(0)
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
}
