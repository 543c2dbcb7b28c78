//! What the mock keeps of each request, for a test's assertions.

use serde_json::Value;
use wechat_mp::endpoint::{Host, Method};

/// One request the mock received for a known endpoint.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Call {
    /// `group.name` of the endpoint: `menu.create`, or `token.token`,
    /// `token.stable_token` and `ticket.getticket` for the credentials.
    pub endpoint: &'static str,
    /// The method it came with.
    pub method: Method,
    /// The host its URL named.
    pub host: Host,
    /// The query parameters in the order sent, credentials included.
    pub query: Vec<(String, String)>,
    /// The JSON body, decoded; `None` when there was none or it was not JSON.
    pub body: Option<Value>,
    /// The parts of a multipart form, in the order sent.
    pub form: Vec<FormPart>,
    /// Every endpoint the request fits: two specs may describe one WeChat endpoint
    /// (`qrcode.show` and `card.show_qrcode`), and the call counts for each.
    pub(crate) fits: Vec<&'static str>,
    /// The errcode the mock answered: 0 for success, or the code of a mismatch or a
    /// scripted fault; `None` for a download or a fault without one.
    pub errcode: Option<i64>,
}

impl Call {
    /// Whether the call counts for `endpoint`.
    pub(crate) fn is_for(&self, endpoint: &str) -> bool {
        self.endpoint == endpoint || self.fits.contains(&endpoint)
    }

    /// The value of query parameter `name`, if sent.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A part of a multipart form.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FormPart {
    /// Its field name.
    pub name: String,
    /// The file name, for a file.
    pub file_name: Option<String>,
    /// Its content.
    pub bytes: bytes::Bytes,
}

/// A request that does not fit the specs: the bug WeChat would have answered with
/// `errcode` in production.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The endpoint the request was meant for; `None` when no endpoint has its path.
    pub endpoint: Option<&'static str>,
    /// `GET /cgi-bin/menu/create`, as received.
    pub request: String,
    /// What does not fit.
    pub problem: String,
    /// What the mock answered, as WeChat would; `None` for an unknown path (HTTP 404).
    pub errcode: Option<i64>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.errcode {
            Some(code) => write!(f, "{}: {} (errcode {code})", self.request, self.problem),
            None => write!(f, "{}: {}", self.request, self.problem),
        }
    }
}
