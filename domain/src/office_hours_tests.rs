use chrono::TimeZone;

use super::*;

/// A Brussels wall-clock moment, as UTC.
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    CITY_ZONE.with_ymd_and_hms(y, m, d, h, min, 0).earliest().unwrap().with_timezone(&Utc)
}

fn hours(raw: &str) -> Hours {
    Hours::parse(raw).unwrap()
}

#[test]
fn a_central_office_is_always_open_holidays_included() {
    let always = hours("24/7");
    for at in [local(2026, 12, 7, 3, 0), local(2026, 12, 25, 10, 0), local(2026, 3, 29, 3, 30)] {
        assert_eq!(always.state_at(at), ChannelState::AlwaysOpen);
    }
}

#[test]
fn a_neighbourhood_desk_closes_and_opens_in_brussels_time() {
    let desk = hours("Mo-Fr 09:00-17:00; PH off");
    // Monday 7 December 2026, 10:30: open until 17:00 local (16:00 UTC).
    assert_eq!(desk.state_at(local(2026, 12, 7, 10, 30)), ChannelState::OpenUntil(local(2026, 12, 7, 17, 0)));
    assert_eq!(local(2026, 12, 7, 17, 0).format("%H:%M").to_string(), "16:00");
    // Saturday: opens again on Monday at 09:00.
    assert_eq!(desk.state_at(local(2026, 12, 5, 15, 0)), ChannelState::ClosedUntil(local(2026, 12, 7, 9, 0)));
}

#[test]
fn belgian_public_holidays_close_the_desk() {
    let desk = hours("Mo-Fr 09:00-17:00; PH off");
    // Christmas (Friday 25 December 2026); the weekend follows: Monday 28th.
    assert_eq!(desk.state_at(local(2026, 12, 25, 10, 0)), ChannelState::ClosedUntil(local(2026, 12, 28, 9, 0)));
    // Easter Monday 2027 is 29 March; National Day 21 July 2027 is a Wednesday.
    assert!(!desk.is_open_at(local(2027, 3, 29, 10, 0)));
    assert!(!desk.is_open_at(local(2027, 7, 21, 10, 0)));
    assert!(desk.is_open_at(local(2027, 7, 22, 10, 0)));
}

#[test]
fn an_exception_closes_christmas_eve_afternoon() {
    let desk = hours("Mo-Fr 08:00-20:00; Dec 24 16:00-24:00 off; PH off");
    // Thursday 24 December 2026.
    assert_eq!(desk.state_at(local(2026, 12, 24, 10, 0)), ChannelState::OpenUntil(local(2026, 12, 24, 16, 0)));
    assert_eq!(desk.state_at(local(2026, 12, 24, 17, 0)), ChannelState::ClosedUntil(local(2026, 12, 28, 8, 0)));
}

#[test]
fn the_hours_hold_across_the_summer_time_change() {
    let desk = hours("Mo-Fr 09:00-17:00");
    // Sunday 29 March 2026, the night the clocks go forward: Monday opens at 09:00
    // summer time (07:00 UTC), not 08:00 UTC.
    let opens = local(2026, 3, 30, 9, 0);
    assert_eq!(desk.state_at(local(2026, 3, 29, 1, 30)), ChannelState::ClosedUntil(opens));
    assert_eq!(opens.format("%H:%M").to_string(), "07:00");
    // And back: Monday 26 October 2026 opens at 09:00 winter time (08:00 UTC).
    let opens = local(2026, 10, 26, 9, 0);
    assert_eq!(desk.state_at(local(2026, 10, 25, 2, 30)), ChannelState::ClosedUntil(opens));
    assert_eq!(opens.format("%H:%M").to_string(), "08:00");
}

#[test]
fn unreadable_hours_are_refused_with_the_reason() {
    assert!(Hours::parse("Mo-Fr 9 tot 5").is_err());
    assert!(Hours::parse("Mo-Fr 25:00-26:00").is_err());
    assert_eq!(hours("  Mo-Fr 09:00-17:00 ").raw(), "Mo-Fr 09:00-17:00");
}

#[test]
fn a_visit_needs_an_appointment_when_the_desk_is_closed_and_booking_is_open() {
    let desk = hours("Mo-Fr 09:00-12:00; PH off");
    let appointments = hours("Mo-Fr 13:00-19:00; PH off");
    let monday = |h| local(2026, 12, 7, h, 0);
    assert_eq!(visit_now(Some(&desk), Some(&appointments), monday(10)), VisitNow::WalkIn);
    assert_eq!(
        visit_now(Some(&desk), Some(&appointments), monday(14)),
        VisitNow::AppointmentOnly { desk_opens: Some(local(2026, 12, 8, 9, 0)) }
    );
    assert_eq!(
        visit_now(Some(&desk), None, monday(14)),
        VisitNow::Closed { desk_opens: Some(local(2026, 12, 8, 9, 0)) }
    );
    assert_eq!(visit_now(Some(&hours("24/7")), Some(&appointments), monday(3)), VisitNow::WalkIn);
    assert_eq!(visit_now(None, None, monday(10)), VisitNow::Closed { desk_opens: None });
}
