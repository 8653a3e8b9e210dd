//! When the phone tries to sync. Queues that wait for the next local write, or never
//! retry after coming back online, are how peer systems strand entries; so the phone
//! tries on every occasion below, and between failures waits an exponentially growing,
//! randomised time, so a thousand phones coming out of a tunnel do not all knock at once.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The first retry waits up to this long.
pub const FIRST_RETRY: Duration = Duration::from_secs(1);
/// No retry waits longer than this while anything is pending.
pub const MAX_RETRY: Duration = Duration::from_secs(5 * 60);

/// The occasions on which the phone tries to push its outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncTrigger {
    /// The app was opened or reloaded: whatever a closed app left pending goes now.
    AppStart,
    /// The browser's `online` event: the network is back.
    Online,
    /// A person saved an entry.
    NewEntry,
    /// A timer set to `retry_delay` while anything is pending.
    Timer,
    /// A person pressed "send now".
    Manual,
}

impl SyncTrigger {
    /// Only the timer waits out the back-off: the other occasions are evidence that a
    /// try may now succeed (and come at a person's pace, not in a storm).
    pub fn waits_for_backoff(self) -> bool {
        self == SyncTrigger::Timer
    }
}

/// How long to wait before try number `attempt + 1`, after `attempt` failures in a row
/// (`Outbox::failures`). The ceiling doubles from 1 s per failure up to 5 minutes; the
/// wait is "full jitter": `random_unit` (uniform in [0, 1), drawn by the caller, so this
/// stays deterministic and testable) times the ceiling.
pub fn retry_delay(attempt: u32, random_unit: f64) -> Duration {
    let ceiling = retry_ceiling(attempt);
    // Out-of-range or NaN input must not stall the queue or overflow: clamp it.
    let unit = if random_unit.is_finite() { random_unit.clamp(0.0, 1.0) } else { 0.0 };
    let millis = (ceiling.as_millis() as f64 * unit) as u64;
    Duration::from_millis(millis).min(ceiling)
}

/// The longest wait after `attempt` failures: 1 s, 2 s, 4 s, … capped at 5 minutes.
pub fn retry_ceiling(attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1).min(16);
    FIRST_RETRY.saturating_mul(1 << doublings).min(MAX_RETRY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_ceiling_doubles_from_one_second_up_to_five_minutes() {
        let ceilings: Vec<u64> = (0..=10).map(|a| retry_ceiling(a).as_secs()).collect();
        assert_eq!(ceilings, vec![1, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300]);
        assert_eq!(retry_ceiling(u32::MAX), MAX_RETRY);
    }

    #[test]
    fn the_random_number_spreads_the_wait_over_the_whole_range() {
        assert_eq!(retry_delay(4, 0.0), Duration::ZERO);
        assert_eq!(retry_delay(4, 0.5), Duration::from_secs(4));
        assert_eq!(retry_delay(20, 0.999_9), Duration::from_millis(299_970));
    }

    #[test]
    fn odd_random_numbers_are_clamped() {
        assert_eq!(retry_delay(3, f64::NAN), Duration::ZERO);
        assert_eq!(retry_delay(3, -1.0), Duration::ZERO);
        assert_eq!(retry_delay(3, 7.0), Duration::from_secs(4));
        assert_eq!(retry_delay(3, f64::INFINITY), Duration::ZERO);
    }

    #[test]
    fn only_the_timer_waits() {
        assert!(SyncTrigger::Timer.waits_for_backoff());
        for trigger in [SyncTrigger::AppStart, SyncTrigger::Online, SyncTrigger::NewEntry] {
            assert!(!trigger.waits_for_backoff(), "{trigger:?}");
        }
    }

    proptest! {
        #[test]
        fn a_delay_never_exceeds_its_ceiling_or_five_minutes(attempt in any::<u32>(), unit in 0.0f64..1.0) {
            let delay = retry_delay(attempt, unit);
            prop_assert!(delay <= retry_ceiling(attempt));
            prop_assert!(delay <= MAX_RETRY);
            prop_assert!(retry_ceiling(attempt) <= retry_ceiling(attempt.saturating_add(1)));
        }
    }
}
