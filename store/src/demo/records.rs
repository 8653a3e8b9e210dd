//! The demo's street contacts and signals: spread over the last six weeks with the
//! rhythm of a community-police day (school hours, the evening, quiet nights), in the
//! authors' own neighbourhoods, from a seeded generator so every install looks alike.

use domain::NeighbourhoodId;
use domain::{OrgId, TeamId};
use domain::{RecordId, UserId};
use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use chrono_tz::Europe::Brussels;
use domain::{
    ContactKind, ContactOutcome, ContactReason, GeoPoint, Location, Mobility, NeighbourhoodSignal, SignalCategory,
    SignalStatus, StreetContact, Urgency,
};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;

use super::places::Place;
use super::texts;

pub(super) const CONTACTS: usize = 400;
pub(super) const SIGNALS: usize = 150;
/// How many police-filed signals the central teams referred to one organisation at
/// most: about twenty referrals in all, of which the city service would otherwise
/// take every one (street problems far outnumber youth ones).
pub(super) const REFERRALS_PER_ORGANISATION: usize = 19;
/// How far back the demo reaches: well within the 60 days the app accepts.
const WINDOW: Duration = Duration::days(42);

/// Someone who writes records, with the places they work in (indices into PLACES).
pub(super) struct Author {
    pub user_id: UserId,
    pub team_id: TeamId,
    /// For a partner: their organisation, which is then the signal's filer.
    pub org_id: Option<OrgId>,
    pub places: Vec<usize>,
    /// How often this author writes, relative to the others.
    pub weight: u32,
}

/// Activity per local hour: a neighbourhood officer works days and evenings, with
/// peaks when school lets out and in the early evening, and nearly nothing at night.
const HOUR_WEIGHTS: [u32; 24] = [2, 1, 1, 1, 1, 1, 2, 6, 12, 16, 18, 18, 14, 16, 18, 26, 30, 26, 22, 24, 18, 12, 6, 3];
const MAX_HOUR_WEIGHT: u32 = 30;

/// Fewer contacts in the weekend, fewest on Sunday.
fn day_weight(day: Weekday) -> u32 {
    match day {
        Weekday::Sat => 8,
        Weekday::Sun => 5,
        _ => 10,
    }
}

#[cfg(test)]
pub(super) fn local_hour(at: DateTime<Utc>) -> u32 {
    at.with_timezone(&Brussels).hour()
}

/// A moment in the window before `anchor`, drawn with the day's rhythm by rejection:
/// uniform candidates are kept in proportion to their hour's and day's weight.
fn moment(rng: &mut StdRng, anchor: DateTime<Utc>) -> DateTime<Utc> {
    let mut candidate = anchor;
    // Bounded so a bad weight table cannot hang the seeding; about one in three passes.
    for _ in 0..1000 {
        candidate = anchor - Duration::seconds(rng.gen_range(0..WINDOW.num_seconds()));
        // The demo hours are local hours, as the officers would read them.
        let local = candidate.with_timezone(&Brussels);
        let weight = HOUR_WEIGHTS[local.hour() as usize] * day_weight(local.weekday());
        if rng.gen_range(0..MAX_HOUR_WEIGHT * 10) < weight {
            break;
        }
    }
    candidate
}

/// When the server got it: usually within minutes; sometimes hours later, after a
/// shift without signal (cellars, the port, a phone in flight mode).
fn received(rng: &mut StdRng, occurred: DateTime<Utc>, anchor: DateTime<Utc>) -> DateTime<Utc> {
    let delay = if rng.gen_bool(0.12) {
        Duration::minutes(rng.gen_range(30..8 * 60))
    } else {
        Duration::seconds(rng.gen_range(2..600))
    };
    (occurred + delay).min(anchor)
}

/// A v7 id carrying the record's own moment, as the app's ids do.
fn record_id(rng: &mut StdRng, at: DateTime<Utc>) -> RecordId {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or_default();
    RecordId::from_uuid(uuid::Builder::from_unix_timestamp_millis(millis, &rng.gen()).into_uuid())
}

fn pick<T: Copy>(rng: &mut StdRng, weighted: &[(T, u32)], fallback: T) -> T {
    weighted.choose_weighted(rng, |(_, weight)| *weight).map_or(fallback, |(item, _)| *item)
}

/// Where: a GPS fix for most (now and then an imprecise one), often a street.
fn location(rng: &mut StdRng, place: &Place) -> Location {
    let point = rng.gen_bool(0.75).then(|| place.point_within(rng));
    let accuracy_m = point.map(|_| {
        let metres = if rng.gen_bool(0.08) { rng.gen_range(60.0..180.0) } else { rng.gen_range(3.0..30.0) };
        (metres * 10.0_f64).round() / 10.0
    });
    let street = if rng.gen_bool(0.6) { place.streets.choose(rng).map(|s| (*s).to_owned()) } else { None };
    Location { point: point.and_then(|(lat, lon)| GeoPoint::new(lat, lon)), accuracy_m, street }
}

/// The author and place of the next record.
fn who_and_where<'a>(
    rng: &mut StdRng,
    authors: &'a [Author],
    places: &'a [Place],
) -> Option<(&'a Author, usize, &'a Place)> {
    let author = authors.choose_weighted(rng, |a| a.weight).ok()?;
    let index = *author.places.choose(rng)?;
    Some((author, index, places.get(index)?))
}

/// `neighbourhoods[i]` is the id of `places[i]`.
pub(super) fn contacts(
    rng: &mut StdRng,
    anchor: DateTime<Utc>,
    officers: &[Author],
    places: &[Place],
    neighbourhoods: &[NeighbourhoodId],
) -> Vec<StreetContact> {
    use ContactReason as R;
    const REASONS: [(ContactReason, u32); 9] = [
        (R::Acquaintance, 20),
        (R::Nuisance, 15),
        (R::SafetyConcern, 8),
        (R::NeighbourDispute, 7),
        (R::Youth, 14),
        (R::Traffic, 9),
        (R::Information, 14),
        (R::Prevention, 8),
        (R::Other, 5),
    ];
    use ContactOutcome as O;
    const OUTCOMES: [(ContactOutcome, u32); 6] = [
        (O::Informed, 30),
        (O::ResolvedOnTheSpot, 22),
        (O::ReferredToPartner, 10),
        (O::FollowUpByTeam, 12),
        (O::ReportDrawnUp, 4),
        (O::NoActionNeeded, 22),
    ];
    let mut made = Vec::with_capacity(CONTACTS);
    for _ in 0..CONTACTS {
        let Some((author, index, place)) = who_and_where(rng, officers, places) else { break };
        let Some(&neighbourhood_id) = neighbourhoods.get(index) else { break };
        let occurred_at = moment(rng, anchor);
        let reason = pick(rng, &REASONS, R::Other);
        let kind = match reason {
            R::NeighbourDispute | R::Nuisance if rng.gen_bool(0.5) => ContactKind::Mediation,
            R::Information => ContactKind::Question,
            _ => pick(
                rng,
                &[
                    (ContactKind::Conversation, 55),
                    (ContactKind::Question, 15),
                    (ContactKind::Assistance, 12),
                    (ContactKind::Check, 18),
                ],
                ContactKind::Conversation,
            ),
        };
        made.push(StreetContact {
            id: record_id(rng, occurred_at),
            author_id: author.user_id,
            team_id: author.team_id,
            neighbourhood_id,
            occurred_at,
            received_at: received(rng, occurred_at, anchor),
            mobility: if rng.gen_bool(0.55) { Mobility::Bike } else { Mobility::OnFoot },
            kind,
            reason,
            outcome: pick(rng, &OUTCOMES, O::Informed),
            location: location(rng, place),
            note: rng
                .gen_bool(0.65)
                .then(|| texts::contact_notes(reason).choose(rng).map(|n| (*n).to_owned()))
                .flatten(),
        });
    }
    made
}

/// Signals from officers and partners; older ones have mostly been dealt with.
pub(super) fn signals(
    rng: &mut StdRng,
    anchor: DateTime<Utc>,
    authors: &[Author],
    places: &[Place],
    neighbourhoods: &[NeighbourhoodId],
) -> Vec<NeighbourhoodSignal> {
    use SignalCategory as C;
    const CATEGORIES: [(SignalCategory, u32); 12] = [
        (C::Nuisance, 14),
        (C::Noise, 10),
        (C::Vandalism, 9),
        (C::Lighting, 10),
        (C::Waste, 16),
        (C::TrafficSafety, 9),
        (C::Drugs, 6),
        (C::Youth, 8),
        (C::SocialIsolation, 4),
        (C::NeighbourDispute, 4),
        (C::UnsafePlace, 6),
        (C::Other, 4),
    ];
    use SignalStatus as S;
    let mut made = Vec::with_capacity(SIGNALS);
    for _ in 0..SIGNALS {
        let Some((author, index, place)) = who_and_where(rng, authors, places) else { break };
        let Some(&neighbourhood_id) = neighbourhoods.get(index) else { break };
        let occurred_at = moment(rng, anchor);
        let category = pick(rng, &CATEGORIES, C::Other);
        let high = if matches!(category, C::Drugs | C::UnsafePlace | C::SocialIsolation) { 30 } else { 10 };
        let age_days = (anchor - occurred_at).num_days();
        let statuses: [(SignalStatus, u32); 4] = match age_days {
            0..=6 => [(S::Open, 50), (S::InProgress, 30), (S::Referred, 10), (S::Resolved, 10)],
            7..=20 => [(S::Open, 15), (S::InProgress, 30), (S::Referred, 15), (S::Resolved, 40)],
            _ => [(S::Open, 5), (S::InProgress, 10), (S::Referred, 15), (S::Resolved, 70)],
        };
        let status = pick(rng, &statuses, S::Open);
        // Chosen by position, not drawn: drawing would shift every later record.
        let feedback = author.org_id.and_then(|_| {
            let answers = texts::partner_feedback(status);
            answers.get(made.len() % answers.len().max(1)).map(|a| (*a).to_owned())
        });
        made.push(NeighbourhoodSignal {
            id: record_id(rng, occurred_at),
            author_id: author.user_id,
            team_id: author.team_id,
            neighbourhood_id,
            occurred_at,
            received_at: received(rng, occurred_at, anchor),
            category,
            urgency: pick(rng, &[(Urgency::Low, 35), (Urgency::Normal, 55), (Urgency::High, high)], Urgency::Normal),
            status,
            description: texts::signal_descriptions(category)
                .choose(rng)
                .map_or_else(|| "Signaal uit de wijk.".to_owned(), |d| (*d).to_owned()),
            location: location(rng, place),
            author_org_id: author.org_id,
            referred_to_org_id: None,
            feedback,
            // Demo data ships no photos: they would be pictures of real streets and people.
            photo: None,
            // Every demo signal is a first report; links are made by people on phones.
            duplicate_of: None,
        });
    }
    made
}

/// Refers police-filed signals to the organisation `target` names for them (if
/// any), in the order generated, up to [`REFERRALS_PER_ORGANISATION`] each. One still
/// being handled becomes `Referred`; a resolved one stays resolved. Every other one
/// gets a word of feedback. Deterministic, and draws nothing, so the records
/// generated before stay as they were.
pub(super) fn refer(signals: &mut [NeighbourhoodSignal], target: impl Fn(&NeighbourhoodSignal) -> Option<OrgId>) {
    let mut per_org: HashMap<OrgId, usize> = HashMap::new();
    let police_filed = signals.iter_mut().filter(|s| s.author_org_id.is_none());
    let referable = police_filed.filter_map(|s| target(s).map(|org| (s, org)));
    let mut referred = 0;
    for (signal, org) in referable {
        let count = per_org.entry(org).or_default();
        if *count == REFERRALS_PER_ORGANISATION {
            continue;
        }
        *count += 1;
        signal.referred_to_org_id = Some(org);
        if signal.status != SignalStatus::Resolved {
            signal.status = SignalStatus::Referred;
        }
        if referred % 2 == 0 {
            let answers = texts::referral_feedback(signal.category);
            signal.feedback = answers.get(referred / 2 % answers.len().max(1)).map(|a| (*a).to_owned());
        }
        referred += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn belgian_summer_and_winter_time() {
        let winter = Utc.with_ymd_and_hms(2025, 1, 15, 12, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2025, 7, 15, 12, 0, 0).unwrap();
        assert_eq!(local_hour(winter), 13);
        assert_eq!(local_hour(summer), 14);
    }
}
