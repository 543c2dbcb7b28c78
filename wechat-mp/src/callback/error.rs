//! The one error type of the callback side.

/// Everything that can go wrong while verifying, decrypting, parsing or answering a push.
///
/// No variant carries the token, the EncodingAESKey or the derived AES key, so the text is
/// safe to log. Variants that echo input (an app id, a parser message) only echo data that
/// arrived on the wire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// A router rule's regular expression does not compile.
    #[error("bad pattern: {0}")]
    BadPattern(String),
    /// The handler is async and was called through the synchronous
    /// [`CallbackServer::handle`](super::CallbackServer::handle): use `serve`.
    #[error("the handler is async: answer pushes with CallbackServer::serve")]
    AsyncHandler,
    /// `signature` or `msg_signature` does not match the token and the request.
    #[error("signature mismatch")]
    BadSignature,
    /// A query parameter the mode needs is absent.
    #[error("missing query parameter `{0}`")]
    MissingParameter(&'static str),
    /// The `<Encrypt>` text is not standard base64.
    #[error("ciphertext is not valid base64")]
    BadBase64,
    /// The decoded ciphertext is empty or not a whole number of AES blocks.
    #[error("ciphertext length {0} is not a positive multiple of 16")]
    BadCiphertextLength(usize),
    /// The PKCS#7 padding (block size 32) after decryption is malformed.
    #[error("bad PKCS#7 padding")]
    BadPadding,
    /// The 4-byte message length points outside the decrypted buffer, or a message is too
    /// long to encode in it.
    #[error("message length field out of range")]
    LengthOutOfRange,
    /// The decrypted trailing app id is not ours.
    #[error("app id mismatch: message is for {found:?}")]
    WrongAppId {
        /// The app id found in the message (lossily decoded, at most 64 bytes).
        found: String,
    },
    /// The decrypted message or the body is not UTF-8.
    #[error("message is not valid UTF-8")]
    NotUtf8,
    /// The XML is malformed or misses a field its type requires.
    #[error("bad XML: {0}")]
    BadXml(String),
    /// The EncodingAESKey is not 43 characters of `[A-Za-z0-9]` decoding to 32 bytes.
    #[error("EncodingAESKey must be 43 characters of [A-Za-z0-9]")]
    BadKey,
    /// An encrypted push arrived but no EncodingAESKey is configured.
    #[error("encrypted push received but no EncodingAESKey is configured")]
    MissingAesKey,
    /// A plaintext push arrived while the server only accepts encrypted pushes.
    #[error("plaintext push rejected: safe mode requires encrypt_type=aes")]
    EncryptionRequired,
    /// The `timestamp` query parameter is not an integer.
    #[error("timestamp is not an integer")]
    BadTimestamp,
    /// The timestamp lies outside the configured replay window.
    #[error("timestamp {timestamp} is outside the replay window (now {now}, window {window_secs}s)")]
    StaleTimestamp {
        /// The request's timestamp.
        timestamp: i64,
        /// The server's clock when checked.
        now: i64,
        /// The configured window, in seconds.
        window_secs: u64,
    },
    /// The same message (by `MsgId`, or sender, time and event) was already handled.
    #[error("duplicate push")]
    Duplicate,
    /// The server was configured inconsistently (for example a key without an app id).
    #[error("callback configuration error: {0}")]
    Config(&'static str),
    /// A reply could not be built (for example a news reply with no or too many articles).
    #[error("invalid reply: {0}")]
    InvalidReply(&'static str),
}

impl CallbackError {
    /// The code the official WXBizMsgCrypt samples use for this failure (−40001 … −40011),
    /// for logs that are compared with other SDKs; `None` for checks the samples lack.
    pub fn official_code(&self) -> Option<i32> {
        match self {
            CallbackError::BadSignature => Some(-40001),
            CallbackError::BadXml(_) => Some(-40002),
            CallbackError::BadKey => Some(-40004),
            CallbackError::WrongAppId { .. } => Some(-40005),
            CallbackError::BadCiphertextLength(_) => Some(-40007),
            CallbackError::BadPadding | CallbackError::LengthOutOfRange | CallbackError::NotUtf8 => Some(-40008),
            CallbackError::BadBase64 => Some(-40010),
            _ => None,
        }
    }

    /// True for [`CallbackError::Duplicate`]: WeChat retried a push already handled, and the
    /// right answer is `success`.
    pub fn is_duplicate(&self) -> bool {
        matches!(self, CallbackError::Duplicate)
    }
}

impl From<quick_xml::DeError> for CallbackError {
    fn from(e: quick_xml::DeError) -> Self {
        CallbackError::BadXml(e.to_string())
    }
}
