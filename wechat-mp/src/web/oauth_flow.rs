//! The seed's composite `Auth.user` and `Auth.authorize`: redirect to WeChat, then turn
//! the `code` it sends back into the user's token and, for `snsapi_userinfo`, profile.

use super::oauth::{Scope, authorize_url, redirect_response};
use crate::api::auth::{OAuthUserInfo, UserAccessToken};
use crate::client::Client;
use crate::error::Error;

/// A user who completed web authorization.
#[derive(Debug, Clone)]
pub struct AuthorizedUser {
    /// The user's OAuth token, refresh token and openid (tokens are [`Secret`](crate::Secret)s).
    pub token: UserAccessToken,
    /// The profile, when the granted scope was `snsapi_userinfo`.
    pub profile: Option<OAuthUserInfo>,
}

/// What to do with an incoming request of the authorization flow.
#[derive(Debug)]
pub enum Authorize {
    /// No `code` yet: send the browser to WeChat.
    Redirect(http::Response<()>),
    /// WeChat sent the user back with a `code`, now exchanged.
    User(Box<AuthorizedUser>),
    /// The user declined: WeChat sent `state` back without a `code`.
    Denied {
        /// The `state` WeChat returned.
        state: String,
    },
}

/// The web authorization flow for one redirect URI and scope.
#[derive(Debug, Clone)]
pub struct OAuthFlow<'a> {
    client: &'a Client,
    redirect_uri: String,
    scope: Scope,
    state: String,
}

/// The first value of `name` in a query string, percent- and `+`-decoded.
fn query_value(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

impl<'a> OAuthFlow<'a> {
    /// A flow that sends users back to `redirect_uri` with `scope`.
    pub fn new(client: &'a Client, redirect_uri: impl Into<String>, scope: Scope) -> Self {
        OAuthFlow {
            client,
            redirect_uri: redirect_uri.into(),
            scope,
            state: String::new(),
        }
    }

    /// The `state` to round-trip through WeChat (letters and digits, up to 128 bytes),
    /// e.g. a CSRF token.
    #[must_use]
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = state.into();
        self
    }

    /// The authorize URL (the seed's `Auth.url`).
    pub fn authorize_url(&self) -> String {
        authorize_url(self.client.app_id(), &self.redirect_uri, self.scope, &self.state)
    }

    /// The seed's `Auth.user`: exchanges `code`, then reads the profile if the user
    /// granted `snsapi_userinfo`.
    pub async fn user(&self, code: &str) -> Result<AuthorizedUser, Error> {
        let token = self.client.auth().exchange_code(code).await?;
        let granted_userinfo = token
            .scope
            .as_deref()
            .is_some_and(|s| s.split(',').any(|s| s.trim() == "snsapi_userinfo"));
        let profile = match (&token.access_token, &token.openid) {
            (Some(access_token), Some(openid)) if granted_userinfo => Some(
                self.client
                    .auth()
                    .user_info(access_token.clone(), openid.clone())
                    .await?,
            ),
            _ => None,
        };
        Ok(AuthorizedUser { token, profile })
    }

    /// The seed's `Auth.authorize`, given the query string of the incoming request:
    /// redirect when there is neither `code` nor `state`, exchange when there is a
    /// `code`, and report a refusal when only `state` came back.
    pub async fn authorize(&self, query: &str) -> Result<Authorize, Error> {
        match (
            query_value(query, "code").filter(|c| !c.is_empty()),
            query_value(query, "state"),
        ) {
            (Some(code), _) => Ok(Authorize::User(Box::new(self.user(&code).await?))),
            (None, Some(state)) => Ok(Authorize::Denied { state }),
            (None, None) => Ok(Authorize::Redirect(redirect_response(
                self.client.app_id(),
                &self.redirect_uri,
                self.scope,
                &self.state,
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::query_value;

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(query_value("?code=a%2Bb&state=x+y", "code").as_deref(), Some("a+b"));
        assert_eq!(query_value("code=1&state=x+y", "state").as_deref(), Some("x y"));
        assert_eq!(query_value("state=s", "code"), None);
    }
}
