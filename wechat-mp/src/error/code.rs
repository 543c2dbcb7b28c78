//! What [`ErrorCode`] means to the runtime, beside the table generated from
//! `specs/_errors.yaml` (`code_table.rs`).
//!
//! Names are ours; the doc of each variant is the official meaning. Codes the table
//! does not list (and endpoint-specific ones) stay usable as [`ErrorCode::Other`].

use std::fmt;

use super::code_table::ErrorCode;

impl ErrorCode {
    /// Whether the code says the access token was rejected (40001, 40014, 42001), so a
    /// fresh token may succeed where this one failed.
    pub fn is_token_rejected(self) -> bool {
        matches!(
            self,
            ErrorCode::InvalidCredential | ErrorCode::InvalidAccessToken | ErrorCode::AccessTokenExpired
        )
    }

    /// Whether WeChat asks to simply try again later (-1, system busy).
    pub fn is_busy(self) -> bool {
        self == ErrorCode::SystemBusy
    }
}

impl From<ErrorCode> for i64 {
    fn from(code: ErrorCode) -> Self {
        code.as_i64()
    }
}

impl PartialEq<i64> for ErrorCode {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == *other
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_i64())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn the_table_knows_over_two_hundred_codes() {
        let named: Vec<ErrorCode> = (-1000..=9_002_000)
            .map(ErrorCode::from)
            .filter(|code| !matches!(code, ErrorCode::Other(_)))
            .collect();
        assert!(named.len() >= 200, "{}", named.len());
        assert_eq!(named.len(), ErrorCode::KNOWN);
        assert!(
            named
                .iter()
                .all(|code| code.description().is_some_and(|d| !d.is_empty()))
        );
    }

    #[test]
    fn known_codes_round_trip_through_i64() {
        for raw in [-1000, -1, 40001, 40014, 42001, 45009, 61451, 87014] {
            let code = ErrorCode::from(raw);
            assert!(!matches!(code, ErrorCode::Other(_)), "{raw} should be known");
            assert_eq!(code.as_i64(), raw);
            assert_eq!(i64::from(code), raw);
            assert!(code.description().is_some_and(|d| !d.is_empty()));
        }
    }

    #[test]
    fn unknown_codes_keep_their_number() {
        let code = ErrorCode::from(9_999_999);
        assert_eq!(code, ErrorCode::Other(9_999_999));
        assert_eq!(code.as_i64(), 9_999_999);
        assert_eq!(code.description(), None);
        assert!(code == 9_999_999);
    }

    #[test]
    fn token_rejection_codes_are_exactly_the_three() {
        let rejected: Vec<i64> = (-1000..=90_000)
            .filter(|raw| ErrorCode::from(*raw).is_token_rejected())
            .collect();
        assert_eq!(rejected, [40001, 40014, 42001]);
        assert!(ErrorCode::from(-1).is_busy());
        assert!(!ErrorCode::from(45009).is_busy());
    }
}
