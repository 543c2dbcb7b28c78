//! SHA-1 signatures as WeChat computes them: lowercase hex.

use rand::RngExt;
use rand::distr::Alphanumeric;
use sha1::{Digest, Sha1};

/// A random 16-character nonce of letters and digits, as WeChat's samples use.
pub(crate) fn nonce() -> String {
    rand::rng().sample_iter(Alphanumeric).take(16).map(char::from).collect()
}

/// Seconds since the Unix epoch.
pub(crate) fn timestamp() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Lowercase hex SHA-1 of `text`.
pub(crate) fn sha1_hex(text: &str) -> String {
    let digest = Sha1::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-1 of the values sorted as strings and concatenated, the card-signature rule.
pub(crate) fn sorted_values_sha1(values: &[&str]) -> String {
    let mut values = values.to_vec();
    values.sort_unstable();
    sha1_hex(&values.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_16_alphanumerics_and_differ() {
        let (a, b) = (nonce(), nonce());
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn sorted_values_vector_from_wechatpy() {
        // protocol.md V-3, test_wechat_card_signer.
        assert_eq!(
            sorted_values_sha1(&["789", "456", "123"]),
            "f7c3bc1d808e04732adf679965ccc34ca7ae3441"
        );
    }
}
