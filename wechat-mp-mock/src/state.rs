//! What the server and the test share: the account, and the state behind one lock.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;

use crate::fault::Fault;
use crate::record::{Call, Mismatch};
use crate::tokens::Tokens;

/// The account the mock plays and how it issues tokens.
#[derive(Clone)]
pub(crate) struct Account {
    pub(crate) app_id: String,
    pub(crate) app_secret: String,
    pub(crate) callback_token: String,
    pub(crate) encoding_aes_key: Option<String>,
    pub(crate) original_id: String,
    pub(crate) token_lifetime: Duration,
}

/// What the handler and the test share.
pub(crate) struct Shared {
    pub(crate) account: Account,
    pub(crate) state: Mutex<State>,
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) tokens: Tokens,
    pub(crate) calls: Vec<Call>,
    pub(crate) mismatches: Vec<Mismatch>,
    pub(crate) faults: HashMap<&'static str, VecDeque<Fault>>,
    pub(crate) replies: HashMap<&'static str, Answer>,
    /// One-shot answers, used up before `replies` and the example.
    pub(crate) queued: HashMap<&'static str, VecDeque<Answer>>,
}

/// An answer a test put in place of the spec's example.
#[derive(Clone)]
pub(crate) enum Answer {
    Json(Value),
    Bytes(Bytes, String),
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock leaves plain data behind.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("app_id", &self.app_id)
            .field("original_id", &self.original_id)
            .finish_non_exhaustive()
    }
}
