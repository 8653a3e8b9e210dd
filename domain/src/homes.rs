//! The rules behind the role homes (issue 10): which signals come first, when a
//! referral is overdue, where "since your last visit" starts, and which neighbourhood
//! a place or a typed name points to.

use chrono::{DateTime, Duration, Utc};

use crate::area::Area;
use crate::codes::{SignalStatus, Urgency};
use crate::org::Neighbourhood;
use crate::place::GeoPoint;
use crate::signal::NeighbourhoodSignal;

/// A referral is overdue when the signal's status has not changed for this many days
/// since it was referred (or last changed). Two weeks: two of a team's weekly rounds
/// past the referral, by which a city service that took it up has said so, and the
/// team lead should ask.
pub const REFERRAL_OVERDUE_DAYS: i64 = 14;

/// Opening a screen again within this time continues the same visit: what changed
/// since the visit before stays listed through a reload or a trip to another page.
pub const VISIT_GAP_MINUTES: i64 = 30;

/// Still needs someone: anything not resolved.
pub fn is_open(signal: &NeighbourhoodSignal) -> bool {
    signal.status != SignalStatus::Resolved
}

/// High urgency before normal before low; within one urgency the newest first.
pub fn urgent_first(signals: &mut [NeighbourhoodSignal]) {
    fn rank(u: Urgency) -> u8 {
        match u {
            Urgency::High => 0,
            Urgency::Normal => 1,
            Urgency::Low => 2,
        }
    }
    signals.sort_by(|a, b| {
        rank(a.urgency).cmp(&rank(b.urgency)).then(b.occurred_at.cmp(&a.occurred_at)).then(b.id.cmp(&a.id))
    });
}

/// Whether a referred signal has waited too long: referred, and unchanged since
/// `last_change` (its last change, or its filing when it never changed) for more than
/// [`REFERRAL_OVERDUE_DAYS`].
pub fn is_overdue(signal: &NeighbourhoodSignal, last_change: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    signal.status == SignalStatus::Referred && now - last_change > Duration::days(REFERRAL_OVERDUE_DAYS)
}

/// Where "changed since your last visit" starts for a visit at `now`, given the last
/// visit's moment and start: a new visit starts at the last one's moment; a return
/// within [`VISIT_GAP_MINUTES`] keeps the last visit's start. A first visit has
/// nothing changed yet.
pub fn changes_since(last: Option<(DateTime<Utc>, DateTime<Utc>)>, now: DateTime<Utc>) -> DateTime<Utc> {
    match last {
        None => now,
        Some((seen_at, since)) if now - seen_at <= Duration::minutes(VISIT_GAP_MINUTES) => since,
        Some((seen_at, _)) => seen_at,
    }
}

/// The neighbourhood whose boundary holds `point`; the first when boundaries overlap.
/// A boundary that does not parse holds nothing. The geometry is the capture form's
/// ([`Area`]), so the partner's finder and "use my location" agree.
pub fn neighbourhood_at(point: GeoPoint, neighbourhoods: &[Neighbourhood]) -> Option<&Neighbourhood> {
    neighbourhoods.iter().find(|n| Area::from_geojson(&n.boundary_geojson).is_ok_and(|area| area.contains(point)))
}

/// Neighbourhoods whose name holds what was typed, ignoring case, accents and the
/// dashes and spaces between words ("sint andries" finds "Sint-Andries").
pub fn neighbourhoods_named<'a>(typed: &str, neighbourhoods: &'a [Neighbourhood]) -> Vec<&'a Neighbourhood> {
    let wanted = fold(typed);
    if wanted.is_empty() {
        return Vec::new();
    }
    neighbourhoods.iter().filter(|n| fold(&n.name).contains(&wanted)).collect()
}

/// Lower case, without accents, every run of non-letters one space.
fn fold(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if plain != ' ' || !out.ends_with(' ') {
            out.push(plain);
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DistrictId, NeighbourhoodId};

    fn hood(name: &str, geojson: &str) -> Neighbourhood {
        Neighbourhood {
            id: NeighbourhoodId::new_v7(),
            district_id: DistrictId::new_v7(),
            name: name.to_owned(),
            boundary_geojson: geojson.to_owned(),
        }
    }

    fn noon() -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 12, 5, 12, 0, 0).unwrap()
    }

    fn signal() -> NeighbourhoodSignal {
        use crate::ids::{RecordId, TeamId, UserId};
        let now = noon();
        NeighbourhoodSignal {
            id: RecordId::new_v7(),
            author_id: UserId::new_v7(),
            team_id: TeamId::new_v7(),
            neighbourhood_id: NeighbourhoodId::new_v7(),
            occurred_at: now,
            received_at: now,
            category: crate::codes::SignalCategory::Waste,
            urgency: Urgency::Normal,
            status: SignalStatus::Open,
            description: "Zwerfvuil".into(),
            location: crate::place::Location { point: None, accuracy_m: None, street: None },
            author_org_id: None,
            referred_to_org_id: None,
            feedback: None,
            photo: None,
            duplicate_of: None,
        }
    }

    fn at(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint { lat, lon }
    }

    const WEST: &str =
        r#"{"type":"Polygon","coordinates":[[[4.40,51.20],[4.42,51.20],[4.42,51.22],[4.40,51.22],[4.40,51.20]]]}"#;
    /// A square with a square hole in its middle.
    const EAST_WITH_HOLE: &str = r#"{"type":"Polygon","coordinates":[
        [[4.42,51.20],[4.46,51.20],[4.46,51.24],[4.42,51.24],[4.42,51.20]],
        [[4.43,51.21],[4.45,51.21],[4.45,51.23],[4.43,51.23],[4.43,51.21]]]}"#;
    const TWO_ISLANDS: &str = r#"{"type":"MultiPolygon","coordinates":[
        [[[4.50,51.30],[4.51,51.30],[4.51,51.31],[4.50,51.30]]],
        [[[4.60,51.30],[4.61,51.30],[4.61,51.31],[4.60,51.31],[4.60,51.30]]]]}"#;

    #[test]
    fn a_point_finds_the_neighbourhood_around_it() {
        let hoods = [hood("West", WEST), hood("Oost", EAST_WITH_HOLE), hood("Eilanden", TWO_ISLANDS)];
        assert_eq!(neighbourhood_at(at(51.21, 4.41), &hoods).map(|n| n.name.as_str()), Some("West"));
        assert_eq!(neighbourhood_at(at(51.205, 4.455), &hoods).map(|n| n.name.as_str()), Some("Oost"));
        assert_eq!(neighbourhood_at(at(51.305, 4.605), &hoods).map(|n| n.name.as_str()), Some("Eilanden"));
    }

    #[test]
    fn a_hole_outside_and_a_broken_boundary_find_nothing() {
        let hoods = [
            hood("Oost", EAST_WITH_HOLE),
            hood("Kapot", "{"),
            hood("Punt", r#"{"type":"Point","coordinates":[4.3,51.1]}"#),
        ];
        assert!(neighbourhood_at(at(51.22, 4.44), &hoods).is_none(), "in the hole");
        assert!(neighbourhood_at(at(50.85, 4.35), &hoods).is_none(), "Brussels");
        assert!(neighbourhood_at(at(51.1, 4.3), &hoods).is_none());
    }

    #[test]
    fn names_match_without_case_accents_or_dashes() {
        let hoods = [hood("Sint-Andries", WEST), hood("Zurenborg", WEST), hood("Rivierenhof", WEST)];
        let names = |typed| neighbourhoods_named(typed, &hoods).into_iter().map(|n| n.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("sint andries"), ["Sint-Andries"]);
        assert_eq!(names("ZÜREN"), ["Zurenborg"]);
        assert_eq!(names("r"), ["Sint-Andries", "Zurenborg", "Rivierenhof"]);
        assert!(names("  - ").is_empty(), "nothing typed finds nothing, not everything");
        assert!(names("Deurne").is_empty());
    }

    #[test]
    fn urgent_signals_come_first_then_the_newest() {
        let base = signal();
        let now = base.occurred_at;
        let low_new = NeighbourhoodSignal { urgency: Urgency::Low, occurred_at: now, ..base.clone() };
        let high_old =
            NeighbourhoodSignal { urgency: Urgency::High, occurred_at: now - Duration::days(3), ..base.clone() };
        let high_new =
            NeighbourhoodSignal { urgency: Urgency::High, occurred_at: now - Duration::hours(1), ..base.clone() };
        let normal = NeighbourhoodSignal { urgency: Urgency::Normal, occurred_at: now, ..base };
        let mut list = vec![low_new.clone(), high_old.clone(), normal.clone(), high_new.clone()];
        urgent_first(&mut list);
        assert_eq!(list, [high_new, high_old, normal, low_new]);
    }

    #[test]
    fn a_referral_is_overdue_after_two_unchanged_weeks() {
        let base = signal();
        let now = base.occurred_at;
        let referred = NeighbourhoodSignal { status: SignalStatus::Referred, ..base.clone() };
        assert!(!is_overdue(&referred, now - Duration::days(REFERRAL_OVERDUE_DAYS), now));
        assert!(is_overdue(&referred, now - Duration::days(REFERRAL_OVERDUE_DAYS + 1), now));
        let in_progress = NeighbourhoodSignal { status: SignalStatus::InProgress, ..base };
        assert!(!is_overdue(&in_progress, now - Duration::days(60), now), "someone is on it");
    }

    #[test]
    fn a_visit_counts_changes_from_the_one_before() {
        let now = noon();
        assert_eq!(changes_since(None, now), now, "a first visit has seen nothing change");
        let yesterday = now - Duration::days(1);
        assert_eq!(changes_since(Some((yesterday, yesterday - Duration::days(5))), now), yesterday);
        let moments_ago = now - Duration::minutes(2);
        assert_eq!(changes_since(Some((moments_ago, yesterday)), now), yesterday, "a reload keeps the list");
    }
}
