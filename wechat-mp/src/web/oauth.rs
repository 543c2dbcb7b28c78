//! OAuth2 web authorization (网页授权): the authorize URL and the redirect to it.
//!
//! The code exchange, refresh, user info and token check are generated endpoints of the
//! `auth` group; [`OAuthFlow`] strings them together (feature `auth`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

#[cfg(feature = "auth")]
pub use super::oauth_flow::{Authorize, AuthorizedUser, OAuthFlow};

/// Characters left unescaped in a URL component: RFC 3986's unreserved set.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a URL component, `/`, `?`, `#`, `&`, `+`, `=` and non-ASCII included.
pub(crate) fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// What the user is asked to grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `snsapi_base`: silent, yields the openid only.
    Base,
    /// `snsapi_userinfo`: a consent page, yields the profile too.
    UserInfo,
}

impl Scope {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Base => "snsapi_base",
            Scope::UserInfo => "snsapi_userinfo",
        }
    }
}

/// The authorize URL on open.weixin.qq.com.
///
/// WeChat matches the parameter order strictly, so it is fixed here: appid,
/// redirect_uri (fully encoded, its own query and fragment included), response_type,
/// scope, state (left out when empty), then `#wechat_redirect`.
pub fn authorize_url(app_id: &str, redirect_uri: &str, scope: Scope, state: &str) -> String {
    authorize_url_on("https://open.weixin.qq.com", app_id, redirect_uri, scope, state)
}

/// [`authorize_url`] on another base URL (a proxy, or a test server).
pub fn authorize_url_on(base: &str, app_id: &str, redirect_uri: &str, scope: Scope, state: &str) -> String {
    let mut url = format!(
        "{}/connect/oauth2/authorize?appid={}&redirect_uri={}&response_type=code&scope={}",
        base.trim_end_matches('/'),
        encode_component(app_id),
        encode_component(redirect_uri),
        scope.as_str()
    );
    if !state.is_empty() {
        url.push_str("&state=");
        url.push_str(&encode_component(state));
    }
    url.push_str("#wechat_redirect");
    url
}

/// A `302 Found` redirect to the authorize URL, for any framework built on `http`.
pub fn redirect_response(app_id: &str, redirect_uri: &str, scope: Scope, state: &str) -> http::Response<()> {
    let location = authorize_url(app_id, redirect_uri, scope, state);
    let mut response = http::Response::new(());
    *response.status_mut() = http::StatusCode::FOUND;
    // Every byte of the URL is ASCII after encoding, so it is a valid header value.
    if let Ok(value) = http::HeaderValue::from_str(&location) {
        response.headers_mut().insert(http::header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_wechatpy_expectation() {
        assert_eq!(
            authorize_url("123456", "http://localhost", Scope::Base, ""),
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=123456&redirect_uri=http%3A%2F%2Flocalhost\
             &response_type=code&scope=snsapi_base#wechat_redirect"
        );
    }

    #[test]
    fn redirect_uri_query_unicode_and_fragment_are_encoded() {
        let url = authorize_url("wx1", "https://a.example/cb?x=1&y=二#frag", Scope::UserInfo, "s1");
        assert_eq!(
            url,
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1\
             &redirect_uri=https%3A%2F%2Fa.example%2Fcb%3Fx%3D1%26y%3D%E4%BA%8C%23frag\
             &response_type=code&scope=snsapi_userinfo&state=s1#wechat_redirect"
        );
        assert_eq!(url.matches('#').count(), 1, "only the trailing #wechat_redirect");
    }

    #[test]
    fn redirect_response_is_a_302_to_the_url() {
        let response = redirect_response("wx1", "https://a.example/cb", Scope::Base, "");
        assert_eq!(response.status(), http::StatusCode::FOUND);
        assert_eq!(
            response.headers()[http::header::LOCATION],
            authorize_url("wx1", "https://a.example/cb", Scope::Base, "").as_str()
        );
    }
}
