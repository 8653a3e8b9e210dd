//! Log-in throttling. Failed log-ins are counted under three keys, each with its own
//! limit; once one is reached, log-ins under that key are locked until the failures
//! that reached it have left the window — even for the right password, so guessing
//! cannot continue at a slower pace. Failures live in the store, so every server
//! instance sees the same count.
//!
//! - one account from one address (5 in 15 minutes): what a person mistyping on their
//!   own phone meets. Failures for the account from elsewhere do not count here, so
//!   knowing someone's username is no longer enough to lock them out (issue 8, item 10:
//!   anyone could lock any account for 15 minutes);
//! - one address, whatever the accounts (30 in 15 minutes): one address trying many
//!   accounts. An office behind one address has room for several people's typos;
//! - one account from every address together (50 in an hour): the bound on guessing
//!   spread over many addresses, where the first limit alone would allow five per
//!   address. See [`Limits::default`] for why 50 an hour.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Failures for one account from one address within `window` before that pair locks.
    pub per_account_and_address: usize,
    /// Failures from one address within `window` (one office may share an address).
    pub per_address: usize,
    pub window: Duration,
    /// Failures for one account from all addresses within `account_window` before the
    /// account locks everywhere.
    pub per_account: usize,
    pub account_window: Duration,
}

/// Failures are kept this long and no longer (the hourly sweep in server/src/health.rs);
/// a window longer than this would forget failures it should count.
pub const LONGEST_WINDOW: Duration = Duration::days(1);

impl Default for Limits {
    /// 50 an hour for an account, from all addresses together. It is the only limit a
    /// guesser with many addresses meets, so it bounds them: at most 1,200 guesses a
    /// day at one account, against passwords of at least 10 characters behind argon2.
    /// It is also the one limit someone else can use to lock a person out: to keep an
    /// account locked they must fail 50 times every hour from at least three addresses
    /// (one address gets 5 per 15 minutes for it), in plain sight in the log, and the
    /// lock ends at most an hour after they stop — where a limit per day would lock a
    /// person out for a day. Phones keep syncing with their device key meanwhile and
    /// open sessions stay open: only a new log-in waits.
    fn default() -> Self {
        Self {
            per_account_and_address: 5,
            per_address: 30,
            window: Duration::minutes(15),
            per_account: 50,
            account_window: Duration::hours(1),
        }
    }
}

/// One key a log-in attempt is counted under, with its limit and window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub key: String,
    pub max: usize,
    pub window: Duration,
}

impl Limits {
    /// The keys of one attempt: every attempt has all three, whoever it names (an
    /// existing account or not) and whether its address is known, so every failure
    /// writes the same rows. The first is the person's own: a log-in clears it.
    pub fn counters(&self, username: &str, address: Option<IpAddr>) -> [Counter; 3] {
        let account = account_key(username);
        let address = address_key(address);
        [
            Counter { key: format!("{account}@{address}"), max: self.per_account_and_address, window: self.window },
            Counter { key: address, max: self.per_address, window: self.window },
            Counter { key: account, max: self.per_account, window: self.account_window },
        ]
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

fn account_key(username: &str) -> String {
    format!("user:{}", username.trim().to_lowercase())
}

/// Requests whose address is unknown share one key, rather than escaping the limit.
fn address_key(address: Option<IpAddr>) -> String {
    match address {
        Some(address) => format!("addr:{address}"),
        None => "addr:unknown".to_owned(),
    }
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

    #[test]
    fn an_attempt_counts_for_the_account_from_its_address_the_address_and_the_account() {
        let limits = Limits::default();
        let home: IpAddr = "198.51.100.7".parse().expect("an address");
        let keys = |address| limits.counters("Agent.Deurne", address).map(|c| (c.key, c.max, c.window));
        assert_eq!(
            keys(Some(home)),
            [
                ("user:agent.deurne@addr:198.51.100.7".to_owned(), 5, Duration::minutes(15)),
                ("addr:198.51.100.7".to_owned(), 30, Duration::minutes(15)),
                ("user:agent.deurne".to_owned(), 50, Duration::hours(1)),
            ]
        );
        assert_eq!(keys(None)[0].0, "user:agent.deurne@addr:unknown", "no address, still three keys");
    }
}
