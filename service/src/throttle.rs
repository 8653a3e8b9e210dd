//! Log-in throttling: after too many failures within a window, an account (or an
//! address) is locked until the window has passed — even for the right password, so
//! guessing cannot continue at a slower pace. Failures live in the store, so every
//! server instance sees the same count.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Failures per account within `window` before it locks.
    pub per_account: usize,
    /// Failures per client address within `window` (one office may share an address).
    pub per_address: usize,
    pub window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self { per_account: 5, per_address: 30, window: Duration::minutes(15) }
    }
}

/// Until when `failures` (oldest first, all within the window) lock their key, if they do.
/// Locked once `max` failures lie within the window; free again when the oldest of the
/// last `max` leaves it.
pub fn locked_until(
    failures: &[DateTime<Utc>],
    max: usize,
    window: Duration,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if max == 0 || failures.len() < max {
        return None;
    }
    let deciding = failures[failures.len() - max];
    let until = deciding + window;
    (until > now).then_some(until)
}

pub fn account_key(username: &str) -> String {
    format!("user:{}", username.trim().to_lowercase())
}

pub fn address_key(address: std::net::IpAddr) -> String {
    format!("addr:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::minutes(minute)
    }

    #[test]
    fn fewer_failures_than_the_limit_do_not_lock() {
        let failures = [at(0), at(1), at(2), at(3)];
        assert_eq!(locked_until(&failures, 5, Duration::minutes(15), at(4)), None);
    }

    #[test]
    fn the_limit_locks_until_the_oldest_deciding_failure_leaves_the_window() {
        let failures = [at(0), at(1), at(2), at(3), at(4)];
        assert_eq!(locked_until(&failures, 5, Duration::minutes(15), at(5)), Some(at(15)));
        assert_eq!(locked_until(&failures, 5, Duration::minutes(15), at(15)), None, "window passed");
    }

    #[test]
    fn only_the_latest_failures_count() {
        let failures = [at(0), at(10), at(11), at(12), at(13), at(14)];
        assert_eq!(locked_until(&failures, 5, Duration::minutes(15), at(16)), Some(at(25)));
    }

    #[test]
    fn keys_ignore_case_and_spaces() {
        assert_eq!(account_key("  Agent.Borgerhout "), "user:agent.borgerhout");
    }
}
