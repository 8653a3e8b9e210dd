//! Wall-clock time in the city Wijkpost serves. Forms show and accept local time
//! (`<input type="datetime-local">` has no zone); the store keeps UTC.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Brussels;

const INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// The text is not a date and time in the form field's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a date and time")]
pub struct NotADateTime;

/// A moment in the form field's format (the form starts at the services' "now").
pub fn local_input(at: DateTime<Utc>) -> String {
    at.with_timezone(&Brussels).format(INPUT_FORMAT).to_string()
}

/// Reads a `datetime-local` value as Brussels time. `Ok(None)` for an empty field,
/// `Err(NotADateTime)` for text that is not a date and time. In the autumn hour that occurs
/// twice, the earlier one is taken; in the spring hour that does not exist, the
/// moment just after the gap.
pub fn parse_local_input(raw: &str) -> Result<Option<DateTime<Utc>>, NotADateTime> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let naive = NaiveDateTime::parse_from_str(raw, INPUT_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| NotADateTime)?;
    // chrono reads a second 60 in any minute as a leap second; no form sends one, and
    // no minute of Brussels time has one (found by `fuzz/` target `form_parse`).
    if naive.and_utc().timestamp_subsec_nanos() >= 1_000_000_000 {
        return Err(NotADateTime);
    }
    let local = Brussels
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| Brussels.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())
        .ok_or(NotADateTime)?;
    Ok(Some(local.with_timezone(&Utc)))
}

/// Local midnight before `at`: where a home's "today" starts. On the day the clocks
/// change, midnight still exists in Brussels (the change is at 02:00/03:00).
pub fn start_of_day(at: DateTime<Utc>) -> DateTime<Utc> {
    let local = at.with_timezone(&Brussels);
    local
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| Brussels.from_local_datetime(&midnight).earliest())
        .map_or(at, |midnight| midnight.with_timezone(&Utc))
}

/// Just the clock time: "21:40".
pub fn format_clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&Brussels).format("%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_starts_at_brussels_midnight() {
        // 23:30 UTC on 14 January is 00:30 on the 15th in Brussels (UTC+1).
        let late = Utc.with_ymd_and_hms(2026, 1, 14, 23, 30, 0).unwrap();
        assert_eq!(start_of_day(late), Utc.with_ymd_and_hms(2026, 1, 14, 23, 0, 0).unwrap());
        // Summer: UTC+2.
        let noon = Utc.with_ymd_and_hms(2026, 7, 1, 10, 0, 0).unwrap();
        assert_eq!(start_of_day(noon), Utc.with_ymd_and_hms(2026, 6, 30, 22, 0, 0).unwrap());
    }

    #[test]
    fn local_input_is_brussels_time() {
        let winter = parse_local_input("2026-01-15T10:30").unwrap().unwrap();
        assert_eq!(winter.to_rfc3339(), "2026-01-15T09:30:00+00:00");
        let summer = parse_local_input("2026-07-15T10:30").unwrap().unwrap();
        assert_eq!(summer.to_rfc3339(), "2026-07-15T08:30:00+00:00");
    }

    #[test]
    fn empty_is_none_and_nonsense_is_an_error() {
        assert_eq!(parse_local_input("  "), Ok(None));
        assert_eq!(parse_local_input("yesterday"), Err(NotADateTime));
    }

    #[test]
    fn a_second_sixty_is_not_a_moment() {
        assert_eq!(parse_local_input("2026-01-14T13:48:60"), Err(NotADateTime));
        assert!(parse_local_input("2026-01-14T13:48:59").unwrap().is_some());
    }

    #[test]
    fn the_missing_spring_hour_still_parses() {
        assert!(parse_local_input("2026-03-29T02:30").unwrap().is_some());
    }
}
