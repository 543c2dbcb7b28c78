//! Scripted failures: what the next calls of an endpoint answer instead of success.

use std::time::Duration;

/// What a call answers in place of its normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `{"errcode": N, "errmsg": …}`: `40001` for a rejected token, `-1` for system
    /// busy, `45009` for a spent quota.
    Errcode(i64),
    /// The normal answer, after this long.
    Delay(Duration),
    /// An HTML error page with HTTP status 502, as a gateway in front of WeChat sends.
    Html,
    /// The connection breaks before a whole answer is sent.
    Disconnect,
}

impl Fault {
    /// The errmsg WeChat sends with `code`.
    pub(crate) fn errmsg(code: i64) -> &'static str {
        match code {
            -1 => "system error",
            40001 => "invalid credential, access_token is invalid or not latest",
            41001 => "access_token missing",
            42001 => "access_token expired",
            45009 => "reach max api daily quota limit",
            45011 => "api minute-quota reach limit  mustslower  retry next minute",
            _ => "mock fault",
        }
    }
}
