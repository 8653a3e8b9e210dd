use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::patterns::CITY_ZONE;

fn hood(n: u128) -> NeighbourhoodId {
    NeighbourhoodId::from(uuid::Uuid::from_u128(n))
}

fn block(day: Weekday, start: (u32, u32), end: (u32, u32)) -> PatrolBlock {
    PatrolBlock {
        neighbourhood_id: hood(1),
        day,
        start: NaiveTime::from_hms_opt(start.0, start.1, 0).unwrap(),
        end: NaiveTime::from_hms_opt(end.0, end.1, 0).unwrap(),
        mobility: Mobility::Bike,
        officers: Vec::new(),
    }
}

/// A Brussels wall-clock moment in the week of Monday 7 December 2026.
fn local(day: u32, h: u32) -> DateTime<Utc> {
    CITY_ZONE.with_ymd_and_hms(2026, 12, 7 + day, h, 20, 0).single().unwrap().with_timezone(&Utc)
}

#[test]
fn a_block_covers_the_hours_it_touches_also_past_midnight() {
    let day = block(Weekday::Tue, (9, 0), (12, 30));
    assert_eq!(day.hours().collect::<Vec<_>>(), vec![(1, 9), (1, 10), (1, 11), (1, 12)]);
    let night = block(Weekday::Sun, (22, 0), (2, 0));
    assert_eq!(night.hours().collect::<Vec<_>>(), vec![(6, 22), (6, 23), (0, 0), (0, 1)]);
    let covered = coverage(&[day, night], hood(1));
    assert!(covered[1][12] && covered[0][1] && !covered[1][13]);
    assert!(coverage(&[block(Weekday::Mon, (8, 0), (9, 0))], hood(2)).iter().flatten().all(|c| !c));
}

/// The known case: signals pile up on Friday and Saturday evenings (20:00–23:00) and a
/// little on Tuesday morning; the schedule covers Friday evening and weekday mornings.
fn known_week() -> (HourOfWeek, Vec<PatrolBlock>) {
    let mut signals = HourOfWeek::default();
    for day in [4, 5] {
        for hour in 20..23 {
            for _ in 0..6 {
                signals.add(local(day, hour), None);
            }
        }
    }
    for _ in 0..2 {
        signals.add(local(1, 10), None);
    }
    // Background: one signal in every daytime hour of the week.
    for day in 0..7 {
        for hour in 8..20 {
            signals.add(local(day, hour), None);
        }
    }
    let schedule = vec![
        block(Weekday::Fri, (19, 0), (23, 30)),
        block(Weekday::Mon, (8, 0), (12, 0)),
        block(Weekday::Tue, (8, 0), (12, 0)),
    ];
    (signals, schedule)
}

#[test]
fn the_advice_names_the_concentrated_hours_the_schedule_misses() {
    let (signals, schedule) = known_week();
    let total = signals.total();
    assert_eq!(total, 36.0 + 2.0 + 84.0);
    let advice = advise(&signals, &coverage(&schedule, hood(1)), 5);
    // Saturday 20:00–23:00 (18 signals) is missed; Friday's is covered; Tuesday 10:00
    // is covered too, and the background hours are under twice the average.
    assert_eq!(advice.len(), 1, "{advice:?}");
    let saturday = &advice[0];
    assert_eq!((saturday.day, saturday.start_hour, saturday.hours), (5, 20, 3));
    assert_eq!(saturday.signals, 18.0);
    assert!((saturday.share - 18.0 / 122.0).abs() < 1e-12);

    // Without the Friday block, Friday is missed too: the same weight as Saturday, and
    // on a tie the earlier hour of the week leads.
    let advice = advise(&signals, &coverage(&schedule[1..], hood(1)), 5);
    let found: Vec<_> = advice.iter().map(|a| (a.day, a.start_hour, a.hours)).collect();
    assert_eq!(found, vec![(4, 20, 3), (5, 20, 3)]);
    assert_eq!(advise(&signals, &coverage(&schedule[1..], hood(1)), 1).len(), 1);
}

#[test]
fn a_stretch_over_sunday_midnight_is_one_stretch() {
    let mut signals = HourOfWeek::default();
    for _ in 0..5 {
        signals.add(local(6, 23), None);
        signals.add(local(7, 0), None); // Monday 14 December, 00:20
    }
    let advice = advise(&signals, &[[false; 24]; 7], 5);
    assert_eq!(advice.len(), 1);
    assert_eq!((advice[0].day, advice[0].start_hour, advice[0].hours), (6, 23, 2));
    assert_eq!(advice[0].signals, 10.0);
}

#[test]
fn no_signals_no_advice() {
    assert!(advise(&HourOfWeek::default(), &[[false; 24]; 7], 5).is_empty());
}

#[test]
fn visits_are_short_irregular_apart_and_inside_the_hours() {
    let saturday = AdvisedHours { day: 5, start_hour: 20, hours: 3, signals: 18.0, share: 0.15 };
    let plan = visit_plan(&saturday, 3, 42);
    assert_eq!(plan.len(), 3);
    for visit in &plan {
        assert_eq!(visit.day, 5);
        assert_eq!(visit.minutes, VISIT_MINUTES);
        assert!(visit.start_minute >= 20 * 60 && visit.start_minute + visit.minutes <= 23 * 60, "{visit:?}");
    }
    for pair in plan.windows(2) {
        assert!(pair[1].start_minute >= pair[0].start_minute + VISIT_MINUTES + VISIT_GAP_MINUTES);
    }
    assert_eq!(visit_plan(&saturday, 3, 42), plan, "the same week gives the same plan");
    let other_weeks: Vec<_> = (0..20).map(|seed| visit_plan(&saturday, 3, seed)).collect();
    assert!(other_weeks.iter().any(|p| *p != plan), "irregular from week to week");
}

#[test]
fn a_short_window_gets_as_many_visits_as_fit() {
    let one_hour = AdvisedHours { day: 0, start_hour: 23, hours: 1, signals: 4.0, share: 0.5 };
    // 60 minutes hold two 15-minute visits 30 minutes apart.
    let plan = visit_plan(&one_hour, 5, 7);
    assert_eq!(plan.len(), 2);
    assert_eq!(plan[0].start_minute, 23 * 60);
    assert_eq!(plan[1].start_minute, 23 * 60 + 45);
    assert!(visit_plan(&AdvisedHours { hours: 0, ..one_hour }, 3, 7).is_empty());
}

#[test]
fn visits_in_a_stretch_past_midnight_land_on_the_next_day() {
    let late = AdvisedHours { day: 6, start_hour: 23, hours: 2, signals: 4.0, share: 0.5 };
    let plan = visit_plan(&late, 3, 1);
    assert!(plan.iter().any(|v| v.day == 0), "{plan:?}");
    assert!(plan.iter().all(|v| (v.day == 6 && v.start_minute >= 23 * 60) || (v.day == 0 && v.start_minute < 60)));
}
