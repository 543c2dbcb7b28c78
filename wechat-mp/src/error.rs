//! The one error type every call returns.

/// Errors from calling the WeChat API.
///
/// No variant ever carries the app secret or an access token in its text: transport
/// errors are stripped of their URL, and body excerpts are redacted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// WeChat answered with `errcode != 0`.
    #[error("WeChat API error {code}: {message}")]
    Api {
        /// The `errcode`.
        code: i64,
        /// The `errmsg`.
        message: String,
    },
    /// The HTTP exchange failed (connect, TLS, reset...).
    #[error("transport error calling {endpoint}: {message}")]
    Transport {
        /// `group.name` of the endpoint.
        endpoint: String,
        /// What went wrong, without the URL.
        message: String,
    },
    /// The call did not finish in time.
    #[error("timeout calling {endpoint}")]
    Timeout {
        /// `group.name` of the endpoint.
        endpoint: String,
    },
    /// The response could not be decoded as the endpoint's response type.
    #[error("could not decode the response of {endpoint}: {message}; body starts with {excerpt:?}")]
    Decode {
        /// `group.name` of the endpoint.
        endpoint: String,
        /// Why decoding failed.
        message: String,
        /// The first bytes of the body, secrets redacted.
        excerpt: String,
    },
    /// A request parameter could not be encoded.
    #[error("could not encode the request: {message}")]
    Encode {
        /// Why encoding failed.
        message: String,
    },
    /// The client is misconfigured.
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}
