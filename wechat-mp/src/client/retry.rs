//! How often and how patiently transient failures are repeated.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::error::Error;

/// Retry policy for transient failures (errcode -1, connection errors, timeouts,
/// 502/503/504) of idempotent calls.
///
/// Backoff doubles from `initial_backoff` up to `max_backoff`. Non-idempotent calls
/// (POSTs) are never repeated on these failures, since WeChat may already have acted on
/// them. The single retry after a rejected access token is separate and always on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, 200 ms then 400 ms apart.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// Up to `max_retries` repetitions, the first after `initial_backoff`.
    pub fn new(max_retries: u32, initial_backoff: Duration) -> Self {
        RetryPolicy {
            max_retries,
            initial_backoff,
            ..RetryPolicy::default()
        }
    }

    /// Never repeat a call on a transient failure.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Caps the wait between two attempts.
    pub fn max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// How many times a call may be repeated.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before retry number `retry` (0 for the first).
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry);
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// Runs `op` until it succeeds, fails for good, or `policy` runs out of retries.
/// Only [transient](Error::is_transient) failures of `idempotent` operations are repeated.
pub(crate) async fn transient<T, F, Fut>(policy: &RetryPolicy, idempotent: bool, op: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    transient_after(policy, idempotent, None, op).await
}

/// [`transient`] when the first run of `op` already happened elsewhere and ended in
/// `failed`: that failure is judged as if `op` had returned it.
pub(crate) async fn transient_after<T, F, Fut>(
    policy: &RetryPolicy,
    idempotent: bool,
    mut failed: Option<Error>,
    mut op: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut retry = 0;
    loop {
        let result = match failed.take() {
            Some(error) => Err(error),
            None => op().await,
        };
        match result {
            Err(error) if idempotent && error.is_transient() && retry < policy.max_retries => {
                let wait = policy.backoff(retry);
                tracing::debug!(%error, retry, wait_ms = wait.as_millis() as u64, "transient failure, retrying");
                sleep(wait).await;
                retry += 1;
            }
            other => return other,
        }
    }
}

/// Boxed, and built outside any `async fn`: every call's future would otherwise carry a
/// timer it rarely needs.
fn sleep(wait: Duration) -> Pin<Box<tokio::time::Sleep>> {
    Box::pin(tokio::time::sleep(wait))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy::new(10, Duration::from_millis(100)).max_backoff(Duration::from_secs(1));
        let waits: Vec<u128> = (0..6).map(|n| policy.backoff(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(1));
    }

    #[test]
    fn none_never_retries() {
        assert_eq!(RetryPolicy::none().max_retries(), 0);
    }
}
