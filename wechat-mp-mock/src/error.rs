//! The errors of the mock's own API.

use wechat_mp::callback::CallbackError;

/// An endpoint name no spec has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no endpoint `{name}` (endpoints are `group.name`; near: {})", near.join(", "))]
pub struct UnknownEndpoint {
    /// The name as given.
    pub name: String,
    /// Known names that look like it.
    pub near: Vec<&'static str>,
}

/// Why [`push_to`](crate::MockWechat::push_to) could not get a reply.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// The callback server could not be reached or did not answer in time.
    #[error("sending the push failed: {0}")]
    Http(#[from] reqwest::Error),
    /// It answered with a status other than 200.
    #[error("the callback server answered HTTP {status}: {body}")]
    Status {
        /// The status.
        status: u16,
        /// The start of its body.
        body: String,
    },
    /// Its encrypted reply is not WeChat's envelope.
    #[error("the encrypted reply is malformed: {0}")]
    Envelope(String),
    /// Its reply's signature, encryption or app id is wrong.
    #[error("the reply does not verify: {0}")]
    Verify(#[from] CallbackError),
    /// The mock has no `EncodingAESKey` or callback token it can use.
    #[error("the mock's account is misconfigured: {0}")]
    Account(CallbackError),
}
