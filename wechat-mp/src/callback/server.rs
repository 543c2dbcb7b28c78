//! The framework-neutral core: query parsing, verification, decryption, dispatch, replies.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::crypto::{EncodingAesKey, MessageCrypto};
use super::deadline::{DEFAULT_DEADLINE, InFlight, LateDelivery, finish_late};
use super::handler::{Handled, Handler};
use super::message::Incoming;
use super::replay::{ReplayConfig, ReplayGuard};
use super::reply::Reply;
use super::signature::{verify_msg_signature, verify_signature};
use super::{CallbackError, fields};
use crate::Secret;

/// What WeChat answers a push with when there is nothing to say; never encrypted.
pub const SUCCESS: &str = "success";

/// The query parameters WeChat puts on a callback URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CallbackQuery {
    /// SHA-1 over token, timestamp and nonce.
    pub signature: Option<String>,
    /// Unix seconds, as sent.
    pub timestamp: Option<String>,
    /// A random number, as sent.
    pub nonce: Option<String>,
    /// Present on URL verification (GET): echoed back when the signature holds.
    pub echostr: Option<String>,
    /// The sender's OpenID, on pushes.
    pub openid: Option<String>,
    /// `aes` in safe and compatible mode.
    pub encrypt_type: Option<String>,
    /// SHA-1 over token, timestamp, nonce and the `<Encrypt>` text, in safe mode.
    pub msg_signature: Option<String>,
}

impl CallbackQuery {
    /// Parses a raw query string (`a=1&b=2`, with or without a leading `?`). Unknown keys are
    /// ignored, the first occurrence of a key wins, and bad percent-escapes are kept as
    /// written, so this never fails; the signature check catches anything forged.
    pub fn parse(raw: &str) -> Self {
        let mut q = CallbackQuery::default();
        for (key, value) in form_urlencoded::parse(raw.trim_start_matches('?').as_bytes()) {
            let slot = match key.as_ref() {
                "signature" => &mut q.signature,
                "timestamp" => &mut q.timestamp,
                "nonce" => &mut q.nonce,
                "echostr" => &mut q.echostr,
                "openid" => &mut q.openid,
                "encrypt_type" => &mut q.encrypt_type,
                "msg_signature" => &mut q.msg_signature,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value.into_owned());
            }
        }
        q
    }

    fn require<'a>(value: &'a Option<String>, name: &'static str) -> Result<&'a str, CallbackError> {
        value.as_deref().ok_or(CallbackError::MissingParameter(name))
    }

    fn is_encrypted(&self) -> bool {
        self.encrypt_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("aes"))
    }
}

/// A verified, decrypted and parsed push, waiting for its answer.
#[derive(Debug, Clone)]
pub struct Push {
    /// The push itself.
    pub incoming: Incoming,
    encrypted: bool,
    nonce: String,
}

impl Push {
    /// Whether it arrived encrypted (its reply will be encrypted too).
    pub fn was_encrypted(&self) -> bool {
        self.encrypted
    }
}

/// The callback endpoint of one official account: token, optional safe-mode crypto, replay
/// protection and a handler.
///
/// ```
/// use wechat_mp::callback::{CallbackServer, CallbackQuery, Message, Reply};
///
/// let server = CallbackServer::builder("my-token")
///     .handler(|incoming: &wechat_mp::callback::Incoming| match &incoming.message {
///         Message::Text(text) => Some(Reply::text(text.content.clone())),
///         _ => None,
///     })
///     .build()
///     .unwrap();
/// // URL verification, with V-1 of the protocol notes recomputed for this token:
/// let sig = wechat_mp::callback::signature::sign(&["my-token", "1714036504", "1514711492"]);
/// let query = CallbackQuery::parse(&format!(
///     "signature={sig}&echostr=4375120948345356249&timestamp=1714036504&nonce=1514711492"
/// ));
/// assert_eq!(server.handle(&query, b"").unwrap(), "4375120948345356249");
/// ```
pub struct CallbackServer {
    token: Secret,
    crypto: Option<MessageCrypto>,
    accept_plain: bool,
    replay: Option<ReplayGuard>,
    handler: Box<dyn Handler>,
    deadline: Duration,
    in_flight: Arc<InFlight>,
    late: Option<Arc<dyn LateDelivery>>,
}

impl fmt::Debug for CallbackServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackServer")
            .field("token", &self.token)
            .field("crypto", &self.crypto)
            .field("accept_plain", &self.accept_plain)
            .field("replay", &self.replay.as_ref().map(ReplayGuard::config))
            .field("deadline", &self.deadline)
            .field("late_delivery", &self.late.is_some())
            .finish_non_exhaustive()
    }
}

/// Builds a [`CallbackServer`].
pub struct CallbackServerBuilder {
    token: Secret,
    encoding_aes_key: Option<Secret>,
    app_id: Option<String>,
    accept_plain: Option<bool>,
    replay: Option<ReplayConfig>,
    handler: Box<dyn Handler>,
    deadline: Duration,
    late: Option<Arc<dyn LateDelivery>>,
}

impl fmt::Debug for CallbackServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackServerBuilder")
            .field("token", &self.token)
            .field("encoding_aes_key", &self.encoding_aes_key)
            .field("app_id", &self.app_id)
            .field("accept_plain", &self.accept_plain)
            .field("replay", &self.replay)
            .field("deadline", &self.deadline)
            .field("late_delivery", &self.late.is_some())
            .finish_non_exhaustive()
    }
}

impl CallbackServerBuilder {
    /// Turns on safe mode with the account's 43-character EncodingAESKey (checked by
    /// [`build`](Self::build)). Needs [`app_id`](Self::app_id).
    #[must_use]
    pub fn encoding_aes_key(mut self, key: impl Into<Secret>) -> Self {
        self.encoding_aes_key = Some(key.into());
        self
    }

    /// The account's AppID, which every decrypted message must carry.
    #[must_use]
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Whether plaintext pushes are accepted. Defaults to `true` without a key and `false`
    /// with one, so a configured key cannot be bypassed by dropping `encrypt_type`. Set
    /// `true` while switching an account between modes.
    #[must_use]
    pub fn accept_plain(mut self, accept: bool) -> Self {
        self.accept_plain = Some(accept);
        self
    }

    /// Turns on replay protection (timestamp window and de-duplication).
    #[must_use]
    pub fn replay_protection(mut self, config: ReplayConfig) -> Self {
        self.replay = Some(config);
        self
    }

    /// What answers pushes; without one every push is answered `success`.
    #[must_use]
    pub fn handler(mut self, handler: impl Handler + 'static) -> Self {
        self.handler = Box::new(handler);
        self
    }

    /// How long [`serve`](CallbackServer::serve) waits for an async handler before it
    /// answers `success` for it (default [`DEFAULT_DEADLINE`], 4.5 s: WeChat waits 5 s).
    /// The handler then finishes on its own task, and its reply goes to the
    /// [`late_delivery`](Self::late_delivery).
    #[must_use]
    pub fn deadline(mut self, budget: Duration) -> Self {
        self.deadline = budget;
        self
    }

    /// Where a reply that missed the deadline goes: a [`Client`](crate::Client) sends it
    /// as a customer-service message (feature `custom_message`). Without one such a reply
    /// is logged as dropped.
    #[must_use]
    pub fn late_delivery(mut self, delivery: impl LateDelivery) -> Self {
        self.late = Some(Arc::new(delivery));
        self
    }

    /// Checks the configuration and builds the server.
    ///
    /// # Errors
    /// [`CallbackError::BadKey`] for a malformed key, [`CallbackError::Config`] for a key
    /// without an app id or an empty token.
    pub fn build(self) -> Result<CallbackServer, CallbackError> {
        if self.token.expose().is_empty() {
            return Err(CallbackError::Config("the token must not be empty"));
        }
        let crypto = match self.encoding_aes_key {
            Some(key) => {
                let key = EncodingAesKey::new(key.expose())?;
                let app_id = self.app_id.ok_or(CallbackError::Config("safe mode needs the app id"))?;
                Some(MessageCrypto::new(key, app_id))
            }
            None => None,
        };
        let accept_plain = self.accept_plain.unwrap_or(crypto.is_none());
        Ok(CallbackServer {
            token: self.token,
            crypto,
            accept_plain,
            replay: self.replay.map(ReplayGuard::new),
            handler: self.handler,
            deadline: self.deadline,
            in_flight: Arc::default(),
            late: self.late,
        })
    }
}

impl CallbackServer {
    /// Starts a builder with the token set on the account's server-configuration page.
    pub fn builder(token: impl Into<Secret>) -> CallbackServerBuilder {
        CallbackServerBuilder {
            token: token.into(),
            encoding_aes_key: None,
            app_id: None,
            accept_plain: None,
            replay: None,
            handler: Box::new(|_: &Incoming| None::<Reply>),
            deadline: DEFAULT_DEADLINE,
            late: None,
        }
    }

    /// Answers one request: URL verification when `echostr` is present, otherwise a push,
    /// awaiting the handler if it is async. A duplicate push (replay protection on) is
    /// answered `success` without calling the handler.
    ///
    /// An async handler gets the [deadline](CallbackServerBuilder::deadline): past it the
    /// push is answered `success`, the handler finishes on its own task and its reply goes
    /// to the [late delivery](CallbackServerBuilder::late_delivery). WeChat's retries of a
    /// push whose handler is still running are answered `success` without running it.
    ///
    /// # Errors
    /// Any [`CallbackError`] from verification, decryption or parsing; answer those with a
    /// 4xx status.
    pub async fn serve(&self, query: &CallbackQuery, body: &[u8]) -> Result<String, CallbackError> {
        if query.echostr.is_some() {
            return self.verify_url(query);
        }
        match self.open_at(query, body, unix_now()) {
            Ok(push) => {
                let key = InFlight::key(&push.incoming);
                let Some(running) = self.in_flight.enter(key) else {
                    return Ok(SUCCESS.to_owned());
                };
                let reply = match self.handler.handle(&push.incoming) {
                    Handled::Ready(reply) => reply,
                    Handled::Pending(mut future) => match tokio::time::timeout(self.deadline, &mut future).await {
                        Ok(reply) => reply,
                        Err(_) => {
                            finish_late(future, running, push.incoming, self.late.clone());
                            return Ok(SUCCESS.to_owned());
                        }
                    },
                };
                drop(running);
                self.respond_at(&push, reply.as_ref(), unix_now())
            }
            Err(CallbackError::Duplicate) => Ok(SUCCESS.to_owned()),
            Err(e) => Err(e),
        }
    }

    /// [`serve`](Self::serve) without a runtime, for a synchronous handler.
    ///
    /// # Errors
    /// As [`serve`](Self::serve), and [`CallbackError::AsyncHandler`] when the handler
    /// answers with a future, which only `serve` can await.
    pub fn handle(&self, query: &CallbackQuery, body: &[u8]) -> Result<String, CallbackError> {
        self.handle_at(query, body, unix_now())
    }

    /// [`handle`](Self::handle) with a fixed clock, for tests and benchmarks.
    #[doc(hidden)]
    pub fn handle_at(&self, query: &CallbackQuery, body: &[u8], now: i64) -> Result<String, CallbackError> {
        if query.echostr.is_some() {
            return self.verify_url(query);
        }
        match self.open_at(query, body, now) {
            Ok(push) => match self.handler.handle(&push.incoming) {
                Handled::Ready(reply) => self.respond_at(&push, reply.as_ref(), now),
                Handled::Pending(_) => Err(CallbackError::AsyncHandler),
            },
            Err(CallbackError::Duplicate) => Ok(SUCCESS.to_owned()),
            Err(e) => Err(e),
        }
    }

    /// URL verification (GET): checks `signature` and returns `echostr` unchanged.
    ///
    /// # Errors
    /// [`CallbackError::MissingParameter`] or [`CallbackError::BadSignature`].
    pub fn verify_url(&self, query: &CallbackQuery) -> Result<String, CallbackError> {
        let signature = CallbackQuery::require(&query.signature, "signature")?;
        let timestamp = CallbackQuery::require(&query.timestamp, "timestamp")?;
        let nonce = CallbackQuery::require(&query.nonce, "nonce")?;
        let echostr = CallbackQuery::require(&query.echostr, "echostr")?;
        verify_signature(self.token.expose(), timestamp, nonce, signature)?;
        Ok(echostr.to_owned())
    }

    /// Verifies, decrypts (in safe mode), parses and replay-checks a push, without
    /// answering it; pair with [`respond`](Self::respond) to run async work in between.
    ///
    /// # Errors
    /// Any [`CallbackError`]; [`CallbackError::Duplicate`] should be answered `success`.
    pub fn open(&self, query: &CallbackQuery, body: &[u8]) -> Result<Push, CallbackError> {
        self.open_at(query, body, unix_now())
    }

    /// [`open`](Self::open) with a fixed clock, for tests and benchmarks.
    #[doc(hidden)]
    pub fn open_at(&self, query: &CallbackQuery, body: &[u8], now: i64) -> Result<Push, CallbackError> {
        let timestamp = CallbackQuery::require(&query.timestamp, "timestamp")?;
        let nonce = CallbackQuery::require(&query.nonce, "nonce")?;
        let body = std::str::from_utf8(body).map_err(|_| CallbackError::NotUtf8)?;
        let encrypted = query.is_encrypted();

        let incoming = if encrypted {
            let crypto = self.crypto.as_ref().ok_or(CallbackError::MissingAesKey)?;
            let msg_signature = CallbackQuery::require(&query.msg_signature, "msg_signature")?;
            let [encrypt] = fields::top_level(body, ["Encrypt"])?;
            let encrypt = fields::required(encrypt, "Encrypt")?;
            // Signature first: it authenticates the ciphertext, so nothing unauthenticated
            // reaches the decryptor and its distinct errors cannot serve as a padding oracle.
            verify_msg_signature(self.token.expose(), timestamp, nonce, &encrypt, msg_signature)?;
            self.check_timestamp(timestamp, now)?;
            let plain = crypto.decrypt(&encrypt)?;
            Incoming::parse(&plain)?
        } else {
            if !self.accept_plain {
                return Err(CallbackError::EncryptionRequired);
            }
            let signature = CallbackQuery::require(&query.signature, "signature")?;
            verify_signature(self.token.expose(), timestamp, nonce, signature)?;
            self.check_timestamp(timestamp, now)?;
            Incoming::parse(body)?
        };

        if let Some(replay) = &self.replay {
            replay.check_duplicate(&incoming)?;
        }
        Ok(Push {
            incoming,
            encrypted,
            nonce: nonce.to_owned(),
        })
    }

    fn check_timestamp(&self, timestamp: &str, now: i64) -> Result<(), CallbackError> {
        match &self.replay {
            Some(replay) => replay.check_timestamp(timestamp, now),
            None => Ok(()),
        }
    }

    /// The response body for `push`: `success` without a reply, the reply XML in plain
    /// mode, the encrypted envelope when the push was encrypted.
    ///
    /// # Errors
    /// [`CallbackError::LengthOutOfRange`] for a reply too long to encrypt.
    pub fn respond(&self, push: &Push, reply: Option<&Reply>) -> Result<String, CallbackError> {
        self.respond_at(push, reply, unix_now())
    }

    /// [`respond`](Self::respond) with a fixed clock, for tests and benchmarks.
    #[doc(hidden)]
    pub fn respond_at(&self, push: &Push, reply: Option<&Reply>, now: i64) -> Result<String, CallbackError> {
        let Some(reply) = reply else {
            return Ok(SUCCESS.to_owned());
        };
        let xml = reply.to_xml_for(&push.incoming, now);
        match (&self.crypto, push.encrypted) {
            (Some(crypto), true) => crypto.encrypt_envelope(self.token.expose(), &xml, now, &push.nonce),
            (None, true) => Err(CallbackError::MissingAesKey),
            (_, false) => Ok(xml),
        }
    }

    /// The safe-mode crypto, when a key is configured.
    pub fn crypto(&self) -> Option<&MessageCrypto> {
        self.crypto.as_ref()
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
