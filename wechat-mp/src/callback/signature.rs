//! SHA-1 signatures over sorted strings, checked in constant time.
//!
//! URL verification and plain pushes sign `[token, timestamp, nonce]`; encrypted pushes and
//! encrypted replies sign `[token, timestamp, nonce, Encrypt]` (`msg_signature`).

use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

use super::CallbackError;

/// `hex(sha1(concat(sort(parts))))`, lowercase: the signature WeChat computes.
pub fn sign(parts: &[&str]) -> String {
    let mut sorted: Vec<&str> = parts.to_vec();
    // Byte-wise order is what WeChat calls 字典序; `str`'s `Ord` is exactly that.
    sorted.sort_unstable();
    let mut hasher = Sha1::new();
    for part in sorted {
        hasher.update(part.as_bytes());
    }
    hex_lower(&hasher.finalize())
}

/// Checks a `signature` over token, timestamp and nonce.
///
/// # Errors
/// [`CallbackError::BadSignature`] when it does not match.
pub fn verify_signature(token: &str, timestamp: &str, nonce: &str, signature: &str) -> Result<(), CallbackError> {
    verify_parts(&[token, timestamp, nonce], signature)
}

/// Checks a `msg_signature` over token, timestamp, nonce and the `<Encrypt>` text.
///
/// # Errors
/// [`CallbackError::BadSignature`] when it does not match.
pub fn verify_msg_signature(
    token: &str,
    timestamp: &str,
    nonce: &str,
    encrypt: &str,
    msg_signature: &str,
) -> Result<(), CallbackError> {
    verify_parts(&[token, timestamp, nonce, encrypt], msg_signature)
}

fn verify_parts(parts: &[&str], given: &str) -> Result<(), CallbackError> {
    let expected = sign(parts);
    // Peers differ on hex case; accepting either costs nothing and the compare stays
    // constant-time over the bytes that matter.
    let given = given.trim().to_ascii_lowercase();
    let equal = given.len() == expected.len() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()));
    if equal {
        Ok(())
    } else {
        Err(CallbackError::BadSignature)
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_url_verification_vector() {
        assert_eq!(
            sign(&["AAAAA", "1714036504", "1514711492"]),
            "f464b24fc39322e44b38aa78f5edd27bd1441696"
        );
        assert!(
            verify_signature(
                "AAAAA",
                "1714036504",
                "1514711492",
                "f464b24fc39322e44b38aa78f5edd27bd1441696"
            )
            .is_ok()
        );
    }

    #[test]
    fn v2_plain_post_vector() {
        assert_eq!(
            sign(&["AAAAA", "1714037059", "486452656"]),
            "899cf89e464efb63f54ddac96b0a0a235f53aa78"
        );
    }

    #[test]
    fn v3_wechatpy_valid_and_invalid() {
        assert!(verify_signature("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff").is_ok());
        assert_eq!(
            verify_signature("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443fe"),
            Err(CallbackError::BadSignature)
        );
        assert_eq!(sign(&["789", "456", "123"]), "f7c3bc1d808e04732adf679965ccc34ca7ae3441");
    }

    #[test]
    fn v6_msg_signature_vector() {
        let encrypt = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
        assert!(
            verify_msg_signature(
                "spamtest",
                "1409735669",
                "1320562132",
                encrypt,
                "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
            )
            .is_ok()
        );
        assert!(
            verify_msg_signature(
                "spamtest",
                "1409735669",
                "1320562133",
                encrypt,
                "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
            )
            .is_err()
        );
    }

    #[test]
    fn wrong_length_and_uppercase() {
        assert!(
            verify_signature(
                "AAAAA",
                "1714036504",
                "1514711492",
                "F464B24FC39322E44B38AA78F5EDD27BD1441696"
            )
            .is_ok()
        );
        assert!(verify_signature("AAAAA", "1714036504", "1514711492", "f464b24f").is_err());
        assert!(verify_signature("AAAAA", "1714036504", "1514711492", "").is_err());
    }
}
