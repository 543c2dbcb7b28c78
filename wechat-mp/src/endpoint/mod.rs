//! The contract between generated code and the runtime: what an endpoint is
//! ([`Endpoint`]), the request a builder hands over ([`request`]), what comes back
//! ([`response`]), uploads ([`upload`]) and the serde helpers of generated types.
//!
//! The generator emits one [`Endpoint`] per spec endpoint; the runtime reads it to
//! build the URL, attach credentials and label tracing spans. Nothing here knows about
//! a particular endpoint, and nothing here sends anything: that is the client's job.

use std::fmt;

// Generated types use these only when an enabled group has loose fields.
#[allow(dead_code)]
pub(crate) mod codec;
pub mod dates;
pub mod request;
pub mod response;
pub mod upload;

/// HTTP method of an endpoint. WeChat uses only these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// The method name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// The WeChat host an endpoint lives on; each can be overridden on the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host {
    /// `https://api.weixin.qq.com`, home of almost every endpoint.
    Api,
    /// `https://mp.weixin.qq.com`, e.g. `showqrcode`.
    Mp,
    /// `https://open.weixin.qq.com`, the OAuth authorize page.
    Open,
}

impl Host {
    /// The production base URL of this host.
    pub fn default_base_url(self) -> &'static str {
        match self {
            Host::Api => "https://api.weixin.qq.com",
            Host::Mp => "https://mp.weixin.qq.com",
            Host::Open => "https://open.weixin.qq.com",
        }
    }
}

/// Which credential an endpoint carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Auth {
    /// The app's `access_token` in the query string (most endpoints).
    AccessToken,
    /// No credential at all.
    None,
    /// A user's OAuth `access_token`, passed by the caller as a query parameter.
    OAuthToken,
    /// The app's `appid` and `secret` in the query string.
    AppSecret,
    /// The app's `appid` alone in the query string (refreshing a user's OAuth token).
    AppId,
}

/// What the response body of an endpoint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseKind {
    /// A JSON object; `errcode`/`errmsg` are checked by the runtime.
    Json,
    /// Only `errcode`/`errmsg`.
    Empty,
    /// Raw bytes (an image, a media file), or a JSON error object.
    Binary,
}

/// Everything the runtime needs to know about one endpoint.
#[derive(Debug)]
pub struct Endpoint {
    /// Spec group, e.g. `menu`.
    pub group: &'static str,
    /// Endpoint name within the group, e.g. `create`.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Host the path is relative to.
    pub host: Host,
    /// Path, starting with `/`.
    pub path: &'static str,
    /// Credential the call carries.
    pub auth: Auth,
    /// Shape of the response body.
    pub response: ResponseKind,
}

impl Endpoint {
    /// Whether repeating the call cannot change server state twice, so that a transient
    /// failure may be retried. WeChat reads are GETs; its POSTs may create things.
    pub fn is_idempotent(&self) -> bool {
        self.method == Method::Get
    }
}

/// `group.name`, as errors and traces name the endpoint.
impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.group, self.name)
    }
}
