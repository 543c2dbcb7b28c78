//! Replay protection: a timestamp window and a bounded memory of pushes already handled.
//!
//! WeChat retries a push up to three times when the answer is late; the official advice is
//! to de-duplicate messages by `MsgId` and events by `FromUserName` + `CreateTime`.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use super::CallbackError;
use super::message::{Incoming, Message};

/// How strict replay protection is. The default: a 5-minute window, 4,096 remembered pushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReplayConfig {
    /// Reject requests whose `timestamp` is further than this from the server's clock;
    /// `None` skips the check.
    pub window: Option<Duration>,
    /// How many pushes to remember for de-duplication; 0 turns it off. The oldest is
    /// forgotten first.
    pub capacity: usize,
}

impl Default for ReplayConfig {
    fn default() -> Self {
        ReplayConfig {
            window: Some(Duration::from_secs(300)),
            capacity: 4096,
        }
    }
}

impl ReplayConfig {
    /// Sets the timestamp window (`None` to skip the check).
    #[must_use]
    pub fn window(mut self, window: Option<Duration>) -> Self {
        self.window = window;
        self
    }

    /// Sets how many pushes are remembered (0 turns de-duplication off).
    #[must_use]
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }
}

/// What identifies a push across WeChat's retries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum PushKey {
    Message(u64),
    // The event name is kept too: two different events from one user can share a second.
    Other {
        from: String,
        create_time: i64,
        kind: String,
    },
}

impl PushKey {
    fn of(incoming: &Incoming) -> Self {
        if let Some(id) = incoming.msg_id() {
            return PushKey::Message(id);
        }
        let kind = match &incoming.message {
            Message::Event(e) => e.name().to_owned(),
            Message::Unknown(u) => u.msg_type.clone(),
            _ => String::new(),
        };
        PushKey::Other {
            from: incoming.from_user_name.clone(),
            create_time: incoming.create_time,
            kind,
        }
    }
}

#[derive(Debug, Default)]
struct Seen {
    keys: HashSet<PushKey>,
    order: VecDeque<PushKey>,
}

/// The replay checks a [`CallbackServer`](super::CallbackServer) runs; usable alone too.
#[derive(Debug)]
pub struct ReplayGuard {
    config: ReplayConfig,
    seen: Mutex<Seen>,
}

impl ReplayGuard {
    /// A guard with the given limits.
    pub fn new(config: ReplayConfig) -> Self {
        ReplayGuard {
            config,
            seen: Mutex::new(Seen::default()),
        }
    }

    /// The limits in force.
    pub fn config(&self) -> ReplayConfig {
        self.config
    }

    /// Checks `timestamp` (the query parameter) against `now` (Unix seconds).
    ///
    /// # Errors
    /// [`CallbackError::BadTimestamp`] if it is not an integer,
    /// [`CallbackError::StaleTimestamp`] if it is outside the window.
    pub fn check_timestamp(&self, timestamp: &str, now: i64) -> Result<(), CallbackError> {
        let Some(window) = self.config.window else {
            return Ok(());
        };
        let ts: i64 = timestamp.trim().parse().map_err(|_| CallbackError::BadTimestamp)?;
        let window_secs = window.as_secs();
        let within = now
            .checked_sub(ts)
            .map(|d| d.unsigned_abs() <= window_secs)
            .unwrap_or(false);
        if within {
            Ok(())
        } else {
            Err(CallbackError::StaleTimestamp {
                timestamp: ts,
                now,
                window_secs,
            })
        }
    }

    /// Remembers `incoming`, or reports that it was seen before.
    ///
    /// # Errors
    /// [`CallbackError::Duplicate`] for a push already remembered.
    pub fn check_duplicate(&self, incoming: &Incoming) -> Result<(), CallbackError> {
        if self.config.capacity == 0 {
            return Ok(());
        }
        let key = PushKey::of(incoming);
        // A panic elsewhere while holding the lock leaves the set consistent (every
        // mutation below is complete before it returns), so a poisoned lock is still usable.
        let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.keys.contains(&key) {
            return Err(CallbackError::Duplicate);
        }
        while seen.order.len() >= self.config.capacity {
            match seen.order.pop_front() {
                Some(old) => {
                    seen.keys.remove(&old);
                }
                None => break,
            }
        }
        seen.keys.insert(key.clone());
        seen.order.push_back(key);
        Ok(())
    }

    /// How many pushes are remembered now.
    pub fn remembered(&self) -> usize {
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .order
            .len()
    }
}
