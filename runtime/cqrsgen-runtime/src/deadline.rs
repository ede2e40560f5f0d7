//! The time an invocation must answer by.
//!
//! Lambda stops a function at its timeout: the invocation then fails as a whole, and which
//! messages or records did fail is lost, so everything is retried. Handlers therefore stop
//! waiting (for requests, for retries) a [`MARGIN`] before the invocation's deadline and
//! report what is unfinished as failed, so that only that is retried.

use std::future::Future;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

/// How long before the invocation's deadline handlers stop waiting: the time left to log
/// and to send the answer to the Lambda runtime API.
pub const MARGIN: Duration = Duration::from_millis(500);

/// When a handler stops waiting; [`Deadline::NONE`] outside Lambda.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

/// Work was cut off at its [`Deadline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not finished before the invocation's deadline (less a {}-ms margin)", MARGIN.as_millis())]
pub struct Expired;

impl Deadline {
    /// No deadline: wait as long as it takes.
    pub const NONE: Self = Self(None);

    /// Stop waiting at `instant`.
    pub fn at(instant: Instant) -> Self {
        Self(Some(instant))
    }

    /// The deadline of a Lambda invocation that must answer by `deadline` (its context's
    /// [`deadline()`](lambda_runtime::Context::deadline)), less [`MARGIN`].
    ///
    /// A deadline already past when the invocation arrives is none: Lambda never hands out
    /// such an invocation, but local emulators do (`cargo lambda watch` sends a fixed
    /// `Lambda-Runtime-Deadline-Ms` of 600,000, ten minutes after 1970), and honouring it
    /// would fail every event there.
    pub fn of_invocation(deadline: SystemTime) -> Self {
        match deadline.duration_since(SystemTime::now()) {
            Ok(left) => Self::at(Instant::now() + left.saturating_sub(MARGIN)),
            Err(_) => {
                tracing::warn!(
                    ?deadline,
                    "the invocation's deadline has passed already: not a real one, ignored"
                );
                Self::NONE
            }
        }
    }

    /// Whether waiting `wait` from now still ends before the deadline.
    pub fn allows(self, wait: Duration) -> bool {
        self.0.is_none_or(|at| Instant::now() + wait < at)
    }

    /// The output of `future`, unless the deadline comes first: then `future` is dropped, or
    /// not even started when the deadline has passed already.
    pub async fn bound<F: Future>(self, future: F) -> Result<F::Output, Expired> {
        match self.0 {
            None => Ok(future.await),
            Some(at) if Instant::now() >= at => Err(Expired),
            Some(at) => tokio::time::timeout_at(at, future)
                .await
                .map_err(|_| Expired),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn work_is_cut_off_at_the_deadline() {
        let deadline = Deadline::at(Instant::now() + Duration::from_secs(1));
        assert!(deadline.allows(Duration::from_millis(999)));
        assert!(!deadline.allows(Duration::from_secs(1)));
        let quick = deadline.bound(tokio::time::sleep(Duration::from_millis(10)));
        assert_eq!(quick.await, Ok(()));
        let slow = deadline.bound(tokio::time::sleep(Duration::from_secs(2)));
        assert_eq!(slow.await, Err(Expired));
        let started = std::sync::atomic::AtomicBool::new(false);
        let late =
            deadline.bound(async { started.store(true, std::sync::atomic::Ordering::SeqCst) });
        assert_eq!(late.await, Err(Expired));
        assert!(!started.into_inner(), "nothing starts after the deadline");
        assert!(Deadline::NONE.allows(Duration::MAX));
    }

    #[tokio::test(start_paused = true)]
    async fn an_invocation_deadline_keeps_the_margin() {
        let deadline = Deadline::of_invocation(SystemTime::now() + Duration::from_secs(3));
        assert!(deadline.allows(Duration::from_secs(2)));
        assert!(!deadline.allows(Duration::from_secs(3) - MARGIN));
        // Less than the margin away: no time left to wait.
        let close = Deadline::of_invocation(SystemTime::now() + MARGIN / 2);
        assert!(!close.allows(Duration::ZERO));
    }

    #[test]
    fn a_deadline_past_on_arrival_is_none() {
        // What `cargo lambda watch` sends: 600,000 ms after the epoch.
        let emulated = SystemTime::UNIX_EPOCH + Duration::from_millis(600_000);
        assert_eq!(Deadline::of_invocation(emulated), Deadline::NONE);
    }
}
