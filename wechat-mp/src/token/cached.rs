//! A credential value with its lifetime.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::secret::Secret;

/// Calls near the very end of a token's life could reach WeChat after it expired.
const EXPIRY_SAFETY: Duration = Duration::from_secs(10);

/// A credential and when it was issued and expires.
///
/// Times are wall-clock ([`SystemTime`]) because stores share them across restarts
/// and processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedToken {
    value: Secret,
    issued_at: SystemTime,
    expires_at: SystemTime,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    value: String,
    issued_at: u64,
    expires_at: u64,
}

impl CachedToken {
    /// A credential valid from `issued_at` until `expires_at`.
    pub fn new(value: impl Into<Secret>, issued_at: SystemTime, expires_at: SystemTime) -> Self {
        CachedToken {
            value: value.into(),
            issued_at,
            expires_at,
        }
    }

    /// A credential issued now and valid for `expires_in` (WeChat's `expires_in`).
    pub fn issued_now(value: impl Into<Secret>, expires_in: Duration) -> Self {
        let now = SystemTime::now();
        CachedToken::new(value, now, now + expires_in)
    }

    /// The credential itself.
    pub fn value(&self) -> &Secret {
        &self.value
    }

    /// When it was issued.
    pub fn issued_at(&self) -> SystemTime {
        self.issued_at
    }

    /// When WeChat stops accepting it.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    fn lifetime(&self) -> Duration {
        self.expires_at.duration_since(self.issued_at).unwrap_or(Duration::ZERO)
    }

    /// Whether it can still be sent at `now` with time to spare.
    pub fn is_usable(&self, now: SystemTime) -> bool {
        let safety = EXPIRY_SAFETY.min(self.lifetime() / 10);
        now + safety < self.expires_at
    }

    /// Whether it should be replaced at `now`, `margin` ahead of expiry.
    ///
    /// The margin is capped at half the token's lifetime, so a short-lived token (or a
    /// margin set larger than WeChat's `expires_in`) cannot make every call refresh.
    pub fn is_refresh_due(&self, now: SystemTime, margin: Duration) -> bool {
        let margin = margin.min(self.lifetime() / 2);
        now + margin >= self.expires_at
    }

    /// Whether it is sent as it is at `now`: usable, and not yet due for a refresh
    /// `margin` ahead of expiry.
    pub(crate) fn is_fresh(&self, now: SystemTime, margin: Duration) -> bool {
        self.is_usable(now) && !self.is_refresh_due(now, margin)
    }

    /// Until when it is sent as it is: neither close to expiry nor due for a refresh
    /// `margin` ahead of it. `None` if that moment is before the Unix epoch.
    pub(crate) fn fresh_until(&self, margin: Duration) -> Option<SystemTime> {
        let lifetime = self.lifetime();
        let ahead = margin.min(lifetime / 2).max(EXPIRY_SAFETY.min(lifetime / 10));
        self.expires_at.checked_sub(ahead)
    }

    /// Serializes it (value included) for stores that keep text.
    pub fn to_json(&self) -> String {
        let stored = Stored {
            value: self.value.expose().to_owned(),
            issued_at: unix_seconds(self.issued_at),
            expires_at: unix_seconds(self.expires_at),
        };
        // A struct of a string and two integers always serializes.
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Parses the output of [`CachedToken::to_json`].
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let stored: Stored = serde_json::from_str(text)
            .map_err(|e| Error::store(format!("unreadable stored token: {}", describe(&e))))?;
        Ok(CachedToken {
            value: Secret::new(stored.value),
            issued_at: UNIX_EPOCH + Duration::from_secs(stored.issued_at),
            expires_at: UNIX_EPOCH + Duration::from_secs(stored.expires_at),
        })
    }
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// serde_json's messages can quote the input, which holds the token.
fn describe(error: &serde_json::Error) -> String {
    format!(
        "{:?} error at line {} column {}",
        error.classify(),
        error.line(),
        error.column()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(issued_ago: u64, expires_in: u64) -> (CachedToken, SystemTime) {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let issued = now - Duration::from_secs(issued_ago);
        (
            CachedToken::new("T", issued, issued + Duration::from_secs(expires_in)),
            now,
        )
    }

    #[test]
    fn refresh_is_due_within_the_margin_and_usable_until_expiry() {
        let margin = Duration::from_secs(300);
        let (fresh, now) = token(0, 7200);
        assert!(fresh.is_usable(now) && !fresh.is_refresh_due(now, margin));
        assert!(fresh.is_fresh(now, margin));
        let (ageing, now) = token(7000, 7200);
        assert!(ageing.is_usable(now) && ageing.is_refresh_due(now, margin));
        assert!(!ageing.is_fresh(now, margin));
        let (expired, now) = token(7200, 7200);
        assert!(!expired.is_usable(now) && !expired.is_fresh(now, margin));
    }

    #[test]
    fn margin_is_capped_at_half_the_lifetime() {
        let (short, now) = token(10, 60);
        assert!(!short.is_refresh_due(now, Duration::from_secs(300)));
        let (short, now) = token(31, 60);
        assert!(short.is_refresh_due(now, Duration::from_secs(300)));
    }

    #[test]
    fn fresh_until_is_where_usable_and_not_due_ends() {
        for (margin, expires_in) in [(300, 7200), (0, 7200), (300, 60), (5, 20), (0, 0)] {
            let margin = Duration::from_secs(margin);
            let (t, _) = token(0, expires_in);
            let until = t.fresh_until(margin).unwrap();
            for probe in [until - Duration::from_secs(1), until, until + Duration::from_secs(1)] {
                let fresh = t.is_fresh(probe, margin);
                assert_eq!(fresh, probe < until, "margin {margin:?}, lifetime {expires_in}s");
            }
        }
    }

    #[test]
    fn json_round_trip_and_bad_json_hides_the_value() {
        let (t, _) = token(5, 7200);
        assert_eq!(CachedToken::from_json(&t.to_json()).unwrap(), t);
        let err = CachedToken::from_json(r#"{"value":"SECRETVALUE","issued_at":"x"}"#).unwrap_err();
        assert!(!err.to_string().contains("SECRETVALUE"), "{err}");
    }
}
