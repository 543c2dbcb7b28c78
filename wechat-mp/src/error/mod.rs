//! The one error type every call returns.

mod code;
#[rustfmt::skip]
mod code_table;
pub(crate) mod redact;

use std::fmt::Display;

pub use code_table::ErrorCode;

/// Errors from calling the WeChat API.
///
/// No variant ever carries the app secret or an access token in its text: transport
/// errors are stripped of their URL, body excerpts are redacted, and the runtime scrubs
/// the credentials it sent from every error before returning it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// WeChat answered with `errcode != 0`.
    #[error("WeChat API error {code}: {message}")]
    Api {
        /// The `errcode`; [`ErrorCode::as_i64`] gives the raw number.
        code: ErrorCode,
        /// The `errmsg`.
        message: String,
    },
    /// WeChat rejected the access token (40001, 40014, 42001) and the client did not
    /// fetch another, to keep within WeChat's daily limits on token requests: `hint`
    /// says why and what to check. [`Error::code`] and [`Error::errcode`] answer as for
    /// [`Error::Api`].
    #[error("WeChat API error {code}: {message}; {hint}")]
    TokenRejected {
        /// The `errcode`.
        code: ErrorCode,
        /// WeChat's `errmsg`.
        message: String,
        /// Why no new token was fetched, and the likely causes.
        hint: String,
    },
    /// WeChat (or a proxy in front of it) answered with a non-2xx HTTP status.
    #[error("HTTP {status} from {endpoint}; body starts with {excerpt:?}")]
    Http {
        /// `group.name` of the endpoint.
        endpoint: String,
        /// The HTTP status code.
        status: u16,
        /// The first characters of the body, secrets redacted.
        excerpt: String,
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
        /// The first characters of the body, secrets redacted.
        excerpt: String,
    },
    /// A response body was larger than the client reads whole (see
    /// [`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)). Media
    /// fetched with `send_stream` has no such limit.
    #[error("the response of {endpoint} is larger than {limit} bytes, the most read whole")]
    TooLarge {
        /// `group.name` of the endpoint.
        endpoint: String,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A request parameter could not be encoded.
    #[error("could not encode the request: {message}")]
    Encode {
        /// Why encoding failed.
        message: String,
    },
    /// A date range WeChat would refuse, caught before any request: the last day comes
    /// before the first, or the range spans more days than the endpoint allows.
    #[error("{endpoint} takes {begin} to {end}, {days} days; it allows 1 to {max_days}")]
    DateRange {
        /// `group.name` of the endpoint.
        endpoint: String,
        /// The first day asked for.
        begin: chrono::NaiveDate,
        /// The last day asked for.
        end: chrono::NaiveDate,
        /// The days from `begin` to `end`, both counted (0 or less when `end` comes first).
        days: i64,
        /// The most the endpoint allows.
        max_days: u32,
    },
    /// The client is misconfigured.
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// A token store or token provider failed.
    #[error("token store error: {message}")]
    Store {
        /// What went wrong.
        message: String,
    },
    /// Writing a download to a local file or writer failed.
    #[error("I/O error: {message}")]
    Io {
        /// What went wrong, and where.
        message: String,
    },
}

impl Error {
    /// A [`Error::Store`] error, for implementors of
    /// [`TokenStore`](crate::token::TokenStore) and [`TokenProvider`](crate::token::TokenProvider).
    pub fn store(message: impl Into<String>) -> Self {
        Error::Store {
            message: message.into(),
        }
    }

    /// The WeChat error code, if this is an [`Error::Api`] or [`Error::TokenRejected`].
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Api { code, .. } | Error::TokenRejected { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The raw `errcode`, if this is an [`Error::Api`] or [`Error::TokenRejected`].
    pub fn errcode(&self) -> Option<i64> {
        self.code().map(ErrorCode::as_i64)
    }

    /// Whether WeChat rejected the access token (40001, 40014, 42001).
    pub fn is_token_rejected(&self) -> bool {
        self.code().is_some_and(ErrorCode::is_token_rejected)
    }

    /// Whether the failure is transient: system busy (-1), a connection failure, a
    /// timeout or a 502/503/504. Such a call may succeed when repeated, but it may also
    /// have taken effect, so the runtime repeats only idempotent calls.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Api { code, .. } => code.is_busy(),
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::Http { status, .. } => matches!(status, 502..=504),
            _ => false,
        }
    }

    /// The same error with every occurrence of `secrets` blanked out of its text.
    ///
    /// WeChat and proxies may echo a request (and so a credential) back in an error
    /// page or `errmsg`; pattern redaction alone cannot know every place it lands.
    pub(crate) fn scrub(self, secrets: &[&str]) -> Self {
        let s = |text: String| redact::scrub(&text, secrets);
        match self {
            Error::Api { code, message } => Error::Api {
                code,
                message: redact::scrub_errmsg(&message, secrets),
            },
            Error::Http {
                endpoint,
                status,
                excerpt,
            } => Error::Http {
                endpoint,
                status,
                excerpt: s(excerpt),
            },
            Error::Transport { endpoint, message } => Error::Transport {
                endpoint,
                message: s(message),
            },
            Error::TokenRejected { code, message, hint } => Error::TokenRejected {
                code,
                message: redact::scrub_errmsg(&message, secrets),
                hint,
            },
            Error::Timeout { endpoint } => Error::Timeout { endpoint },
            Error::TooLarge { endpoint, limit } => Error::TooLarge { endpoint, limit },
            Error::Decode {
                endpoint,
                message,
                excerpt,
            } => Error::Decode {
                endpoint,
                message: s(message),
                excerpt: s(excerpt),
            },
            Error::Encode { message } => Error::Encode { message: s(message) },
            Error::Config { message } => Error::Config { message: s(message) },
            range @ Error::DateRange { .. } => range,
            Error::Store { message } => Error::Store { message: s(message) },
            Error::Io { message } => Error::Io { message: s(message) },
        }
    }
}

/// Error chains are short; the bound only guards against a cyclic one.
const MAX_CAUSES: usize = 8;

// Constructors for the errors several layers make, as reqwest's `error.rs` has them: a
// layer builds its errors here instead of importing the layer that first needed them.
// Cold, so that the code of a call that succeeds stays together.

/// A transport failure of a call of `endpoint` (`group.name`): [`Error::Timeout`], or
/// [`Error::Transport`] with the cause chain and without reqwest's URL, which carries
/// the access token.
#[cold]
pub(crate) fn transport(endpoint: impl Display, error: reqwest::Error) -> Error {
    if error.is_timeout() {
        return Error::Timeout {
            endpoint: endpoint.to_string(),
        };
    }
    let error = error.without_url();
    let mut message = error.to_string();
    let causes = std::iter::successors(std::error::Error::source(&error), |e| e.source());
    for cause in causes.take(MAX_CAUSES) {
        message.push_str(": ");
        message.push_str(&cause.to_string());
    }
    Error::Transport {
        endpoint: endpoint.to_string(),
        message,
    }
}

/// [`Error::TooLarge`]: a body of `endpoint` over the client's `limit`.
#[cold]
pub(crate) fn too_large(endpoint: impl Display, limit: usize) -> Error {
    Error::TooLarge {
        endpoint: endpoint.to_string(),
        limit,
    }
}

/// [`Error::DateRange`] for `begin..=end` spanning `days` of an `endpoint` allowing `max_days`.
#[cold]
#[cfg_attr(not(feature = "datacube"), allow(dead_code))]
pub(crate) fn date_range(
    endpoint: impl Display,
    begin: chrono::NaiveDate,
    end: chrono::NaiveDate,
    days: i64,
    max_days: u32,
) -> Error {
    Error::DateRange {
        endpoint: endpoint.to_string(),
        begin,
        end,
        days,
        max_days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_code_is_recoverable() {
        let err = Error::Api {
            code: ErrorCode::from(40001),
            message: "bad".into(),
        };
        assert_eq!(err.errcode(), Some(40001));
        assert!(err.is_token_rejected());
        assert!(!err.is_transient());
        assert!(err.to_string().contains("40001"));
    }

    #[test]
    fn scrub_blanks_secrets_in_every_text_field() {
        let err = Error::Decode {
            endpoint: "user.get".into(),
            message: "echo TOKEN-1".into(),
            excerpt: "<p>TOKEN-1 SECRET-2</p>".into(),
        }
        .scrub(&["TOKEN-1", "SECRET-2"]);
        let text = format!("{err} {err:?}");
        assert!(!text.contains("TOKEN-1") && !text.contains("SECRET-2"), "{text}");
    }

    #[test]
    fn transient_errors() {
        let busy = Error::Api {
            code: ErrorCode::SystemBusy,
            message: String::new(),
        };
        assert!(busy.is_transient());
        let http = |status| Error::Http {
            endpoint: "a.b".into(),
            status,
            excerpt: String::new(),
        };
        assert!(http(503).is_transient());
        assert!(!http(404).is_transient());
    }
}
