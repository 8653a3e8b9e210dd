//! Where "now" comes from. The server's use cases and stores take the moment from a
//! [`Clock`] handed to them, never from the system directly, so that expiry, throttling
//! windows and retention can be tested by moving a [`ManualClock`] instead of sleeping,
//! and so that one request reads one "now" however many rules it checks.
//!
//! `SystemClock::now` is the one place on the server that reads the system's clock
//! (clippy's `disallowed-methods` refuses `Utc::now` elsewhere). The phone keeps its
//! own clock: code that runs in the browser reads it where it needs it.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

/// A source of the current moment.
pub trait Clock: Send + Sync + fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock: what the server runs on.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(clippy::disallowed_methods, reason = "the one place that reads the system's clock")]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until it is moved: for tests of anything that depends
/// on time passing. Clones share one moment, so a test keeps a clone and moves the
/// clock of the server it started.
#[derive(Debug, Clone)]
pub struct ManualClock {
    at: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    /// A clock standing at `at`; `ManualClock::new(SystemClock.now())` starts at the
    /// real moment, so data made with the system's clock still looks current.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self { at: Arc::new(Mutex::new(at)) }
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.moment() = at;
    }

    /// Moves the clock on by `by` (back, for a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut at = self.moment();
        *at += by;
    }

    /// A moment is a plain value: a panic elsewhere while holding the lock cannot
    /// leave it half written, so a poisoned lock still holds a good one.
    fn moment(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        self.at.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.moment()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_moved_and_its_clones_move_with_it() {
        let start = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
        let clock = ManualClock::new(start);
        let held: Arc<dyn Clock> = Arc::new(clock.clone());
        assert_eq!(held.now(), start);
        clock.advance(Duration::minutes(15));
        assert_eq!(held.now(), start + Duration::minutes(15), "a clone sees the move");
        clock.set(start);
        assert_eq!(held.now(), start);
    }

    #[test]
    fn the_system_clock_goes_forward() {
        let first = SystemClock.now();
        assert!(SystemClock.now() >= first);
    }
}
