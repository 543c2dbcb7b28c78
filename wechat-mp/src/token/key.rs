//! What a stored credential is and whose it is.

use std::fmt;

/// The kind of credential a store entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialKind {
    /// The app's `access_token` (from `/cgi-bin/token` or `/cgi-bin/stable_token`).
    AccessToken,
    /// The JS-SDK `jsapi_ticket`.
    JsapiTicket,
    /// The card `api_ticket`.
    CardApiTicket,
}

impl CredentialKind {
    /// A stable name for the kind, used in storage keys and file names.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::AccessToken => "access_token",
            CredentialKind::JsapiTicket => "jsapi_ticket",
            CredentialKind::CardApiTicket => "card_api_ticket",
        }
    }
}

/// Identifies one credential of one account in a [`TokenStore`](super::TokenStore).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CredentialKey {
    kind: CredentialKind,
    app_id: String,
}

impl CredentialKey {
    /// The key of `kind` for the account `app_id`.
    pub fn new(kind: CredentialKind, app_id: impl Into<String>) -> Self {
        CredentialKey {
            kind,
            app_id: app_id.into(),
        }
    }

    /// The kind of credential.
    pub fn kind(&self) -> CredentialKind {
        self.kind
    }

    /// The account's app id.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// A flat string key, `wechat-mp:{kind}:{app_id}`, for key-value stores.
    pub fn storage_key(&self) -> String {
        format!("wechat-mp:{}:{}", self.kind.as_str(), self.app_id)
    }
}

impl fmt::Display for CredentialKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.app_id)
    }
}
