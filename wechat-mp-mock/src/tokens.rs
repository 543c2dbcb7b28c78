//! Access tokens as WeChat issues and checks them.
//!
//! `/cgi-bin/token` issues a new token on every call and the previous one stays valid
//! for five more minutes; `/cgi-bin/stable_token` hands back the same token until it
//! expires unless `force_refresh` is set. The two are kept apart, as WeChat keeps them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a replaced token is still accepted.
const GRACE: Duration = Duration::from_secs(300);

/// Which endpoint issued a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Issuer {
    Basic,
    Stable,
}

#[derive(Debug, Default)]
pub(crate) struct Tokens {
    /// Every token ever issued and until when it is accepted.
    issued: HashMap<String, Instant>,
    /// The newest token of each issuer.
    current: HashMap<Issuer, String>,
    count: u64,
}

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Missing,
    Unknown,
    Expired,
}

impl Refusal {
    pub(crate) fn errcode(self) -> i64 {
        match self {
            Refusal::Missing => 41001,
            Refusal::Unknown => 40001,
            Refusal::Expired => 42001,
        }
    }
}

impl Tokens {
    /// A token from `issuer` and its remaining lifetime: a new one unless a stable token
    /// is asked for without `force`.
    pub(crate) fn issue(&mut self, issuer: Issuer, force: bool, lifetime: Duration) -> (String, Duration) {
        let now = Instant::now();
        if issuer == Issuer::Stable
            && !force
            && let Some(token) = self.current.get(&issuer)
            && let Some(until) = self.issued.get(token).filter(|until| **until > now)
        {
            return (token.clone(), *until - now);
        }
        if let Some(old) = self.current.get(&issuer)
            && let Some(until) = self.issued.get_mut(old)
        {
            *until = (*until).min(now + GRACE);
        }
        self.count += 1;
        let token = format!("MOCK_TOKEN_{}_{:016x}", self.count, rand::random::<u64>());
        self.issued.insert(token.clone(), now + lifetime);
        self.current.insert(issuer, token.clone());
        (token, lifetime)
    }

    /// Whether `token` is accepted now.
    pub(crate) fn check(&self, token: Option<&str>) -> Result<(), Refusal> {
        let token = token.filter(|t| !t.is_empty()).ok_or(Refusal::Missing)?;
        match self.issued.get(token) {
            None => Err(Refusal::Unknown),
            Some(until) if *until <= Instant::now() => Err(Refusal::Expired),
            Some(_) => Ok(()),
        }
    }

    /// Lets every issued token expire now.
    pub(crate) fn expire_all(&mut self) {
        let now = Instant::now();
        for until in self.issued.values_mut() {
            *until = now;
        }
    }

    /// Forgets every issued token, as when another instance's refresh replaced them long ago.
    pub(crate) fn revoke_all(&mut self) {
        self.issued.clear();
        self.current.clear();
    }

    /// Accepts `token` as if WeChat had issued it, for `lifetime`.
    pub(crate) fn accept(&mut self, token: &str, lifetime: Duration) {
        self.issued.insert(token.to_owned(), Instant::now() + lifetime);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn a_basic_token_replaces_the_last_and_a_stable_one_is_handed_back() {
        let mut tokens = Tokens::default();
        let (first, _) = tokens.issue(Issuer::Basic, false, HOUR);
        let (second, _) = tokens.issue(Issuer::Basic, false, HOUR);
        assert_ne!(first, second);
        // The replaced token is still accepted during its grace period.
        assert_eq!(tokens.check(Some(&first)), Ok(()));
        let (stable, _) = tokens.issue(Issuer::Stable, false, HOUR);
        assert_eq!(tokens.issue(Issuer::Stable, false, HOUR).0, stable);
        assert_ne!(tokens.issue(Issuer::Stable, true, HOUR).0, stable);
        assert_eq!(tokens.check(None), Err(Refusal::Missing));
        assert_eq!(tokens.check(Some("forged")), Err(Refusal::Unknown));
        tokens.expire_all();
        assert_eq!(tokens.check(Some(&second)), Err(Refusal::Expired));
        tokens.revoke_all();
        assert_eq!(tokens.check(Some(&second)), Err(Refusal::Unknown));
    }
}
