//! SHA-1 signatures as WeChat computes them: lowercase hex.

use sha1::{Digest, Sha1};

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
    fn sorted_values_vector_from_wechatpy() {
        // protocol.md V-3, test_wechat_card_signer.
        assert_eq!(
            sorted_values_sha1(&["789", "456", "123"]),
            "f7c3bc1d808e04732adf679965ccc34ca7ae3441"
        );
    }
}
