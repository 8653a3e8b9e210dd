//! Dates and times as each language writes them, in the city's time (Europe/Brussels):
//! nl "1 dec 2026, 07:50", en "1 Dec 2026, 07:50", fr "1 déc. 2026, 07:50" (CLDR's
//! medium date with a short time, as `Intl.DateTimeFormat` writes them for nl-BE,
//! en-GB and fr-BE).
//!
//! The same code runs on the server and in the browser, from the same UTC value, so a
//! time renders the same on both sides whatever zone the server or the phone is set
//! to: no hydration mismatch. Brussels' offset is computed by the EU's summer-time rule
//! (since 1996: from the last Sunday of March to the last Sunday of October, 01:00 UTC)
//! rather than read from `chrono-tz`, whose zone database would weigh on the browser
//! bundle; a test checks the rule against `chrono-tz` on the server side.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc};

use super::Locale;

/// The moment `at` on a Brussels wall clock.
pub fn brussels(at: DateTime<Utc>) -> NaiveDateTime {
    let hours = if is_summer_time(at) { 2 } else { 1 };
    at.naive_utc() + TimeDelta::hours(hours)
}

fn is_summer_time(at: DateTime<Utc>) -> bool {
    let change = |month| {
        // March and October both have 31 days; the change is at 01:00 UTC.
        let last = NaiveDate::from_ymd_opt(at.year(), month, 31)?;
        let sunday = last.checked_sub_days(Days::new(last.weekday().num_days_from_sunday().into()))?;
        Some(sunday.and_time(NaiveTime::MIN).and_utc() + TimeDelta::hours(1))
    };
    match (change(3), change(10)) {
        (Some(start), Some(end)) => start <= at && at < end,
        _ => false,
    }
}

fn month(locale: Locale, month0: u32) -> &'static str {
    const NL: [&str; 12] = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"];
    const FR: [&str; 12] =
        ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
    let names = match locale {
        Locale::Nl => &NL,
        Locale::En => &EN,
        Locale::Fr => &FR,
    };
    names.get(month0 as usize).copied().unwrap_or_default()
}

fn clock_of(local: NaiveDateTime) -> String {
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// "07:50", Brussels time (the same in the three languages).
pub fn clock(at: DateTime<Utc>) -> String {
    clock_of(brussels(at))
}

/// "1 dec 2026" / "1 Dec 2026" / "1 déc. 2026".
pub fn date(locale: Locale, at: DateTime<Utc>) -> String {
    let local = brussels(at);
    format!("{} {} {}", local.day(), month(locale, local.month0()), local.year())
}

/// "1 dec 2026, 07:50" / "1 Dec 2026, 07:50" / "1 déc. 2026, 07:50".
pub fn date_time(locale: Locale, at: DateTime<Utc>) -> String {
    format!("{}, {}", date(locale, at), clock(at))
}

/// Short, for what happened lately: "07:50" on the day of `now`, else "1 dec, 07:50"
/// (with the year when it is another year).
pub fn recent(locale: Locale, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let (local, today) = (brussels(at), brussels(now));
    if local.date() == today.date() {
        clock_of(local)
    } else if local.year() == today.year() {
        format!("{} {}, {}", local.day(), month(locale, local.month0()), clock_of(local))
    } else {
        date_time(locale, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
    }

    #[test]
    fn each_language_writes_its_own_date() {
        let at = utc(2026, 12, 1, 6, 50);
        assert_eq!(date_time(Locale::Nl, at), "1 dec 2026, 07:50");
        assert_eq!(date_time(Locale::En, at), "1 Dec 2026, 07:50");
        assert_eq!(date_time(Locale::Fr, at), "1 déc. 2026, 07:50");
        let september = utc(2026, 9, 14, 20, 5);
        assert_eq!(date_time(Locale::En, september), "14 Sept 2026, 22:05");
        assert_eq!(date_time(Locale::Fr, september), "14 sept. 2026, 22:05");
        assert_eq!(date(Locale::Nl, utc(2026, 3, 3, 12, 0)), "3 mrt 2026");
    }

    #[test]
    fn the_spring_change_skips_two_o_clock() {
        // 29 March 2026: 02:00 local does not exist.
        assert_eq!(date_time(Locale::Nl, utc(2026, 3, 29, 0, 59)), "29 mrt 2026, 01:59");
        assert_eq!(date_time(Locale::Nl, utc(2026, 3, 29, 1, 0)), "29 mrt 2026, 03:00");
        // The Saturday before is still winter time.
        assert_eq!(clock(utc(2026, 3, 28, 1, 30)), "02:30");
    }

    #[test]
    fn the_autumn_change_repeats_two_o_clock() {
        // 25 October 2026: 02:00–03:00 local happens twice.
        assert_eq!(clock(utc(2026, 10, 25, 0, 30)), "02:30");
        assert_eq!(clock(utc(2026, 10, 25, 0, 59)), "02:59");
        assert_eq!(clock(utc(2026, 10, 25, 1, 0)), "02:00");
        assert_eq!(clock(utc(2026, 10, 25, 1, 30)), "02:30");
    }

    #[test]
    fn the_date_follows_the_local_day_at_midnight() {
        // 23:30 UTC on 31 December is already New Year in Brussels.
        assert_eq!(date_time(Locale::En, utc(2026, 12, 31, 23, 30)), "1 Jan 2027, 00:30");
    }

    #[test]
    fn recent_times_are_short() {
        let now = utc(2026, 12, 1, 12, 0);
        assert_eq!(recent(Locale::Nl, utc(2026, 12, 1, 6, 50), now), "07:50");
        assert_eq!(recent(Locale::Fr, utc(2026, 11, 30, 6, 50), now), "30 nov., 07:50");
        assert_eq!(recent(Locale::En, utc(2025, 11, 30, 6, 50), now), "30 Nov 2025, 07:50");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_summer_time_rule_agrees_with_the_zone_database() {
        use chrono_tz::Europe::Brussels;
        let mut at = utc(2020, 1, 1, 0, 0);
        while at < utc(2040, 1, 1, 0, 0) {
            assert_eq!(brussels(at), at.with_timezone(&Brussels).naive_local(), "{at}");
            at += TimeDelta::minutes(15);
        }
    }
}
