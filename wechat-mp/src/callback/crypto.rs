//! Safe-mode message crypto (WXBizMsgCrypt): AES-256-CBC, IV = first 16 key bytes,
//! PKCS#7 with block size 32, plaintext `random(16) | len(4, BE) | msg | app_id`.

use std::fmt;
use std::str::FromStr;

use aes::Aes256;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use rand::RngExt;

use super::CallbackError;
use super::reply::push_cdata;
use super::signature::sign;

/// WeChat pads to 32 bytes (its key length), not to the AES block size.
const PAD_BLOCK: usize = 32;
const RANDOM_LEN: usize = 16;
const HEADER_LEN: usize = RANDOM_LEN + 4;

/// The key's 43rd character carries two bits beyond the 32 bytes; WeChat (and every
/// official sample) ignores them, so a strict decoder would reject valid keys.
const KEY_ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// The 32-byte AES key derived from an account's 43-character EncodingAESKey.
///
/// `Debug` never shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodingAesKey {
    key: [u8; 32],
}

impl EncodingAesKey {
    /// Decodes a 43-character EncodingAESKey (`[A-Za-z0-9]{43}`).
    ///
    /// # Errors
    /// [`CallbackError::BadKey`] for any other input; the error does not echo it.
    pub fn new(encoding_aes_key: &str) -> Result<Self, CallbackError> {
        if encoding_aes_key.len() != 43 || !encoding_aes_key.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(CallbackError::BadKey);
        }
        let mut padded = String::with_capacity(44);
        padded.push_str(encoding_aes_key);
        padded.push('=');
        let bytes = KEY_ENGINE.decode(padded).map_err(|_| CallbackError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CallbackError::BadKey)?;
        Ok(EncodingAesKey { key })
    }

    fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.key[..16]);
        iv
    }
}

impl FromStr for EncodingAesKey {
    type Err = CallbackError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EncodingAesKey::new(s)
    }
}

impl fmt::Debug for EncodingAesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncodingAesKey(***)")
    }
}

/// Encrypts and decrypts the `<Encrypt>` payload for one account (key + app id).
#[derive(Clone, Debug)]
pub struct MessageCrypto {
    key: EncodingAesKey,
    app_id: String,
}

impl MessageCrypto {
    /// Crypto for the account `app_id` (for third-party platforms: the component app id).
    pub fn new(key: EncodingAesKey, app_id: impl Into<String>) -> Self {
        MessageCrypto {
            key,
            app_id: app_id.into(),
        }
    }

    /// The app id messages must carry.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// Decrypts a base64 `<Encrypt>` text and checks its trailing app id.
    ///
    /// Authenticate the ciphertext (`msg_signature`) before calling this: CBC alone does not,
    /// and the typed errors below would otherwise be a padding oracle.
    ///
    /// # Errors
    /// [`CallbackError::BadBase64`], [`CallbackError::BadCiphertextLength`],
    /// [`CallbackError::BadPadding`], [`CallbackError::LengthOutOfRange`],
    /// [`CallbackError::WrongAppId`], [`CallbackError::NotUtf8`].
    pub fn decrypt(&self, encrypted: &str) -> Result<String, CallbackError> {
        let mut plain = self.decrypt_raw(encrypted)?;
        let msg_end = message_end(&plain)?;
        let app_id = plain.get(msg_end..).ok_or(CallbackError::LengthOutOfRange)?;
        if app_id != self.app_id.as_bytes() {
            let shown = app_id.get(..64).unwrap_or(app_id);
            return Err(CallbackError::WrongAppId {
                found: String::from_utf8_lossy(shown).into_owned(),
            });
        }
        plain.truncate(msg_end);
        // Reuse the buffer: drop the 20-byte header in place instead of copying the message.
        plain.drain(..HEADER_LEN);
        String::from_utf8(plain).map_err(|_| CallbackError::NotUtf8)
    }

    /// Base64-decodes, decrypts and unpads; returns `random | len | msg | app_id`.
    fn decrypt_raw(&self, encrypted: &str) -> Result<Vec<u8>, CallbackError> {
        let mut buf = STANDARD.decode(encrypted).map_err(|_| CallbackError::BadBase64)?;
        if buf.is_empty() || buf.len() % 16 != 0 {
            return Err(CallbackError::BadCiphertextLength(buf.len()));
        }
        let (blocks, rest) = aes::Block::slice_as_chunks_mut(&mut buf);
        debug_assert!(rest.is_empty());
        cbc::Decryptor::<Aes256>::new(&self.key.key.into(), &self.key.iv().into()).decrypt_blocks(blocks);

        let pad = usize::from(*buf.last().ok_or(CallbackError::BadPadding)?);
        if pad == 0 || pad > PAD_BLOCK {
            return Err(CallbackError::BadPadding);
        }
        let content_len = buf.len().checked_sub(pad).ok_or(CallbackError::BadPadding)?;
        let padding = buf.get(content_len..).ok_or(CallbackError::BadPadding)?;
        if padding.iter().any(|&b| usize::from(b) != pad) {
            return Err(CallbackError::BadPadding);
        }
        buf.truncate(content_len);
        Ok(buf)
    }

    /// Encrypts `message` with a fresh random 16-character prefix; returns base64.
    ///
    /// # Errors
    /// [`CallbackError::LengthOutOfRange`] if the message exceeds 4 GiB.
    pub fn encrypt(&self, message: &str) -> Result<String, CallbackError> {
        let mut random = [0u8; RANDOM_LEN];
        // Official samples use letters and digits; any bytes decrypt, but this keeps peers
        // that treat the prefix as text happy.
        let mut rng = rand::rng();
        for b in &mut random {
            *b = rng.sample(rand::distr::Alphanumeric);
        }
        self.encrypt_with_random(&random, message)
    }

    /// [`encrypt`](Self::encrypt) with a caller-chosen prefix, for known-answer tests only:
    /// a fixed prefix makes ciphertexts linkable.
    #[doc(hidden)]
    pub fn encrypt_with_random(&self, random: &[u8; RANDOM_LEN], message: &str) -> Result<String, CallbackError> {
        let msg_len = u32::try_from(message.len()).map_err(|_| CallbackError::LengthOutOfRange)?;
        let unpadded = HEADER_LEN
            .checked_add(message.len())
            .and_then(|n| n.checked_add(self.app_id.len()))
            .ok_or(CallbackError::LengthOutOfRange)?;
        let pad = PAD_BLOCK - unpadded % PAD_BLOCK;
        let total = unpadded.checked_add(pad).ok_or(CallbackError::LengthOutOfRange)?;
        let mut buf = Vec::with_capacity(total);
        buf.extend_from_slice(random);
        buf.extend_from_slice(&msg_len.to_be_bytes());
        buf.extend_from_slice(message.as_bytes());
        buf.extend_from_slice(self.app_id.as_bytes());
        // pad is in 1..=32, so the cast cannot truncate.
        buf.resize(total, pad as u8);

        let (blocks, rest) = aes::Block::slice_as_chunks_mut(&mut buf);
        debug_assert!(rest.is_empty());
        cbc::Encryptor::<Aes256>::new(&self.key.key.into(), &self.key.iv().into()).encrypt_blocks(blocks);
        Ok(STANDARD.encode(&buf))
    }

    /// Encrypts a reply and wraps it in the envelope WeChat expects:
    /// `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`, lines separated by `\n`
    /// like the official samples.
    ///
    /// # Errors
    /// As [`encrypt`](Self::encrypt).
    pub fn encrypt_envelope(
        &self,
        token: &str,
        reply_xml: &str,
        timestamp: i64,
        nonce: &str,
    ) -> Result<String, CallbackError> {
        let encrypted = self.encrypt(reply_xml)?;
        Ok(envelope(token, &encrypted, timestamp, nonce))
    }

    /// [`encrypt_envelope`](Self::encrypt_envelope) with a fixed prefix, for known-answer tests.
    #[doc(hidden)]
    pub fn encrypt_envelope_with_random(
        &self,
        random: &[u8; RANDOM_LEN],
        token: &str,
        reply_xml: &str,
        timestamp: i64,
        nonce: &str,
    ) -> Result<String, CallbackError> {
        let encrypted = self.encrypt_with_random(random, reply_xml)?;
        Ok(envelope(token, &encrypted, timestamp, nonce))
    }
}

/// Where the message ends in `random | len | msg | app_id`, checked against the buffer.
fn message_end(plain: &[u8]) -> Result<usize, CallbackError> {
    let len_bytes: [u8; 4] = plain
        .get(RANDOM_LEN..HEADER_LEN)
        .and_then(|b| b.try_into().ok())
        .ok_or(CallbackError::LengthOutOfRange)?;
    let msg_len = usize::try_from(u32::from_be_bytes(len_bytes)).map_err(|_| CallbackError::LengthOutOfRange)?;
    HEADER_LEN
        .checked_add(msg_len)
        .filter(|&end| end <= plain.len())
        .ok_or(CallbackError::LengthOutOfRange)
}

fn envelope(token: &str, encrypted: &str, timestamp: i64, nonce: &str) -> String {
    let timestamp = timestamp.to_string();
    let signature = sign(&[token, &timestamp, nonce, encrypted]);
    let mut out = String::with_capacity(encrypted.len() + nonce.len() + 160);
    out.push_str("<xml>\n<Encrypt>");
    push_cdata(&mut out, encrypted);
    out.push_str("</Encrypt>\n<MsgSignature>");
    push_cdata(&mut out, &signature);
    out.push_str("</MsgSignature>\n<TimeStamp>");
    out.push_str(&timestamp);
    out.push_str("</TimeStamp>\n<Nonce>");
    push_cdata(&mut out, nonce);
    out.push_str("</Nonce>\n</xml>");
    out
}
