//! A neighbourhood signal: something in the street that needs attention (a broken
//! lamp, dumped waste, a group that worries neighbours), logged by an officer or a partner.

use crate::ids::{NeighbourhoodId, PhotoId, RecordId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::codes::{SignalCategory, SignalStatus, Urgency};
use crate::contact::{check_moment, parse_id, Authorship, STREET_MAX_CHARS};
use crate::ids::{OrgId, TeamId};
use crate::photo::PhotoRef;
use crate::place::{GeoPoint, Location};
use crate::policy::{decide, Action, Actor, Decision, Resource};
use crate::validation::{optional_text, required_code, required_text, Problem, ValidationErrors};

pub const DESCRIPTION_MAX_CHARS: usize = 2000;

/// A stored neighbourhood signal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Signal))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighbourhoodSignal {
    pub id: RecordId,
    pub author_id: UserId,
    /// The team whose neighbourhood it is in.
    pub team_id: TeamId,
    pub neighbourhood_id: NeighbourhoodId,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub category: SignalCategory,
    pub urgency: Urgency,
    pub status: SignalStatus,
    pub description: String,
    pub location: Location,
    /// The partner organisation whose member filed it; `None` when the police did.
    pub author_org_id: Option<OrgId>,
    /// The city service or partner the team referred it to, who may then read and update it.
    pub referred_to_org_id: Option<OrgId>,
    /// What the team tells the partner who filed it (no personal data).
    pub feedback: Option<String>,
    /// The photo filed with it, uploaded separately (see `crate::photo`); `None`
    /// when it was filed without one.
    pub photo: Option<PhotoRef>,
    /// The earlier signal this one reports again ("is it one of these?" — yes): kept
    /// as a report of its own (time, place, author, photo), counted with the earlier
    /// one instead of handled twice. `None` for an independent signal. Absent from
    /// what older servers sent (a phone's pulled data), hence the default.
    #[serde(default)]
    pub duplicate_of: Option<RecordId>,
}

/// A signal as submitted, before any rule has been checked.
/// Missing fields read as empty, so a client that leaves some out hears about all of
/// them at once (422, every field named) rather than about the first (400).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignalDraft {
    pub neighbourhood_id: String,
    pub occurred_at: Option<DateTime<Utc>>,
    pub category: String,
    pub urgency: String,
    pub description: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub street: Option<String>,
    /// The id the phone gave the photo it will upload after this signal (absent from
    /// older phones, and without a photo).
    pub photo_id: Option<PhotoId>,
    /// The earlier signal the person said this one is (absent from older phones, and
    /// for a new signal). The server checks it names a signal of the same team the
    /// person may see; see [`check_link`].
    pub duplicate_of: Option<RecordId>,
}

/// A draft that passed its own rules: everything of a signal but who filed it. As with
/// [`crate::contact::CheckedContact`], the server adds the [`Authorship`] once it knows
/// the neighbourhood's team; whether `duplicate_of` names a signal the author may link
/// to is for [`check_link`], against what the server holds.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedSignal {
    pub neighbourhood_id: NeighbourhoodId,
    occurred_at: DateTime<Utc>,
    category: SignalCategory,
    urgency: Urgency,
    description: String,
    location: Location,
    photo_id: Option<PhotoId>,
    duplicate_of: Option<RecordId>,
}

impl SignalDraft {
    /// Checks every rule of the draft's own; see [`ContactDraft::check`](crate::ContactDraft::check).
    pub fn check(&self, now: DateTime<Utc>) -> Result<CheckedSignal, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let neighbourhood_id = parse_id(&mut errors, "neighbourhood_id", &self.neighbourhood_id);
        let occurred_at = check_moment(&mut errors, "occurred_at", self.occurred_at, now);
        let category = required_code(&mut errors, "category", &self.category, SignalCategory::from_code);
        let urgency = required_code(&mut errors, "urgency", &self.urgency, Urgency::from_code);
        let description = required_text(&mut errors, "description", &self.description, DESCRIPTION_MAX_CHARS);
        let street = optional_text(&mut errors, "street", self.street.as_deref(), STREET_MAX_CHARS);
        let location = Location::from_parts(&mut errors, self.lat, self.lon, self.accuracy_m, street);

        match (neighbourhood_id, category, urgency, description) {
            (Some(neighbourhood_id), Some(category), Some(urgency), Some(description)) if errors.is_empty() => {
                Ok(CheckedSignal {
                    neighbourhood_id,
                    occurred_at,
                    category,
                    urgency,
                    description,
                    location,
                    photo_id: self.photo_id,
                    duplicate_of: self.duplicate_of,
                })
            }
            _ => Err(errors),
        }
    }

    /// [`check`](Self::check) and [`CheckedSignal::filed_by`] at once, for whoever
    /// knows the author up front (the sync reference model, tests).
    pub fn validate(
        &self,
        by: Authorship,
        author_org_id: Option<OrgId>,
    ) -> Result<NeighbourhoodSignal, ValidationErrors> {
        self.check(by.now).map(|checked| checked.filed_by(by, author_org_id))
    }
}

impl CheckedSignal {
    /// The signal as stored; a new signal always starts `Open`. `author_org_id` is the
    /// filing partner's organisation, from the account, never from the form.
    pub fn filed_by(self, by: Authorship, author_org_id: Option<OrgId>) -> NeighbourhoodSignal {
        NeighbourhoodSignal {
            id: by.id,
            author_id: by.author_id,
            team_id: by.team_id,
            neighbourhood_id: self.neighbourhood_id,
            occurred_at: self.occurred_at,
            received_at: by.now,
            category: self.category,
            urgency: self.urgency,
            status: SignalStatus::Open,
            description: self.description,
            location: self.location,
            author_org_id,
            referred_to_org_id: None,
            feedback: None,
            photo: self.photo_id.map(|id| PhotoRef { id, complete: false }),
            duplicate_of: self.duplicate_of,
        }
    }
}

impl NeighbourhoodSignal {
    /// What the policy looks at.
    pub fn resource(&self) -> Resource {
        Resource::Signal {
            team_id: self.team_id,
            author_org_id: self.author_org_id,
            referred_to_org_id: self.referred_to_org_id,
        }
    }
}

/// Checks a new signal's `duplicate_of` against the earlier signal it names, as the
/// store holds it (`None`: no such signal). It must be a signal of the new one's team
/// that `author` may read. Every failure is the same `UnknownCode` on `duplicate_of`,
/// so the answer never tells whether a signal the author may not see exists.
///
/// The earlier signal may itself be linked: the new one is then linked to that one's
/// original (`root`, when the author may read it too), so every report of one lamp is
/// counted on one signal. Returns the id to store.
pub fn check_link(
    signal: &NeighbourhoodSignal,
    earlier: Option<&NeighbourhoodSignal>,
    root: Option<&NeighbourhoodSignal>,
    author: &Actor,
) -> Result<Option<RecordId>, ValidationErrors> {
    let Some(named) = signal.duplicate_of else { return Ok(None) };
    let acceptable = |s: &NeighbourhoodSignal| {
        s.id != signal.id
            && s.team_id == signal.team_id
            && decide(author, Action::Read, &s.resource()) == Decision::Allow
    };
    match earlier {
        Some(earlier) if earlier.id == named && acceptable(earlier) => {
            let original = root.filter(|r| Some(r.id) == earlier.duplicate_of && acceptable(r));
            Ok(Some(original.map_or(earlier.id, |r| r.id)))
        }
        _ => {
            let mut errors = ValidationErrors::default();
            errors.push("duplicate_of", Problem::UnknownCode);
            Err(errors)
        }
    }
}

/// How close an open signal of the same category must be to a new one to be offered
/// as "is it one of these?": about the width of a street and its pavements, plus a
/// phone's usual GPS error, so the same lamp or dump is found from across the road.
pub const DUPLICATE_RADIUS_M: f64 = 50.0;

/// The open signals of `category` within [`DUPLICATE_RADIUS_M`] of `point`, nearest
/// first, with their distance: the likely duplicates of a signal about to be filed.
/// Resolved signals are left out (a new report then is news), as are signals without
/// a GPS point (their place is a street name, which says nothing about metres).
pub fn likely_duplicates<'a>(
    signals: impl IntoIterator<Item = &'a NeighbourhoodSignal>,
    category: SignalCategory,
    point: &GeoPoint,
) -> Vec<(&'a NeighbourhoodSignal, f64)> {
    let mut found: Vec<(&NeighbourhoodSignal, f64)> = signals
        .into_iter()
        .filter(|s| s.category == category && s.status != SignalStatus::Resolved)
        .filter_map(|s| s.location.point.map(|p| (s, p.distance_m(point))))
        .filter(|(_, distance)| *distance <= DUPLICATE_RADIUS_M)
        .collect();
    found.sort_by(|a, b| a.1.total_cmp(&b.1));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, SystemClock};
    use crate::codes::Role;

    fn by() -> Authorship {
        Authorship {
            id: RecordId::new_v7(),
            author_id: UserId::new_v7(),
            team_id: TeamId::new_v7(),
            now: SystemClock.now(),
        }
    }

    #[test]
    fn a_new_signal_starts_open() {
        let draft = SignalDraft {
            neighbourhood_id: NeighbourhoodId::new_v7().to_string(),
            category: "lighting".into(),
            urgency: "normal".into(),
            description: "Lamp at the playground is out".into(),
            lat: Some(51.2194),
            lon: Some(4.4025),
            accuracy_m: Some(12.0),
            ..SignalDraft::default()
        };
        let signal = draft.validate(by(), None).expect("valid");
        assert_eq!(signal.status, SignalStatus::Open);
        assert_eq!(signal.category, SignalCategory::Lighting);
        assert!(!signal.location.is_imprecise());
        assert_eq!(signal.photo, None);
    }

    #[test]
    fn a_photo_announced_with_the_signal_has_not_arrived_yet() {
        let photo_id = PhotoId::new_v7();
        let draft = SignalDraft {
            neighbourhood_id: NeighbourhoodId::new_v7().to_string(),
            category: "waste".into(),
            urgency: "low".into(),
            description: "Sluikstort".into(),
            photo_id: Some(photo_id),
            ..SignalDraft::default()
        };
        let signal = draft.validate(by(), None).expect("valid");
        assert_eq!(signal.photo, Some(PhotoRef { id: photo_id, complete: false }));
        let old_phone: SignalDraft = serde_json::from_str(r#"{"description": "x"}"#).expect("no photo_id");
        assert_eq!(old_phone.photo_id, None);
    }

    #[test]
    fn a_blank_description_is_required() {
        let draft = SignalDraft { description: "   ".into(), ..SignalDraft::default() };
        let errors = draft.validate(by(), None).unwrap_err();
        assert_eq!(errors.for_field("description"), Some(&Problem::Required));
        assert_eq!(errors.for_field("category"), Some(&Problem::Required));
    }

    fn signal_at(category: SignalCategory, status: SignalStatus, lat: f64, lon: f64) -> NeighbourhoodSignal {
        let draft = SignalDraft {
            neighbourhood_id: NeighbourhoodId::new_v7().to_string(),
            category: category.code().into(),
            urgency: "normal".into(),
            description: "Zwerfvuil".into(),
            lat: Some(lat),
            lon: Some(lon),
            ..SignalDraft::default()
        };
        NeighbourhoodSignal { status, ..draft.validate(by(), None).unwrap() }
    }

    #[test]
    fn distances_match_known_ones() {
        // Antwerp's cathedral to the Groenplaats is about 150 m.
        let cathedral = GeoPoint::new(51.2202, 4.4015).unwrap();
        let groenplaats = GeoPoint::new(51.2189, 4.4008).unwrap();
        let d = cathedral.distance_m(&groenplaats);
        assert!((145.0..160.0).contains(&d), "{d}");
        assert_eq!(cathedral.distance_m(&cathedral), 0.0);
        // 0.0009° of latitude is ~100 m everywhere.
        let north = GeoPoint::new(51.2211, 4.4015).unwrap();
        assert!((cathedral.distance_m(&north) - 100.1).abs() < 1.0);
    }

    #[test]
    fn likely_duplicates_are_open_same_category_nearby_and_nearest_first() {
        let here = GeoPoint::new(51.2100, 4.4200).unwrap();
        // ~30 m and ~45 m north; ~55 m north is outside the radius.
        let near = signal_at(SignalCategory::Waste, SignalStatus::Open, 51.21027, 4.4200);
        let nearer = signal_at(SignalCategory::Waste, SignalStatus::InProgress, 51.21018, 4.4200);
        let far = signal_at(SignalCategory::Waste, SignalStatus::Open, 51.21050, 4.4200);
        let other_kind = signal_at(SignalCategory::Lighting, SignalStatus::Open, 51.21001, 4.4200);
        let resolved = signal_at(SignalCategory::Waste, SignalStatus::Resolved, 51.21001, 4.4200);
        let mut no_point = signal_at(SignalCategory::Waste, SignalStatus::Open, 51.2100, 4.4200);
        no_point.location.point = None;
        let all = [near.clone(), far, other_kind, resolved, nearer.clone(), no_point];
        let found = likely_duplicates(&all, SignalCategory::Waste, &here);
        let ids: Vec<RecordId> = found.iter().map(|(s, _)| s.id).collect();
        assert_eq!(ids, vec![nearer.id, near.id]);
        assert!(found[0].1 < found[1].1 && found[1].1 <= DUPLICATE_RADIUS_M);
    }

    fn a_partner() -> Actor {
        Actor {
            user_id: UserId::new_v7(),
            role: Role::Partner,
            team_id: None,
            org_id: Some(OrgId::new_v7()),
            via: crate::policy::Via::Session,
        }
    }

    fn officer_of(team_id: TeamId) -> Actor {
        Actor {
            user_id: UserId::new_v7(),
            role: Role::Officer,
            team_id: Some(team_id),
            org_id: None,
            via: crate::policy::Via::Session,
        }
    }

    fn linked_to(earlier: &NeighbourhoodSignal) -> NeighbourhoodSignal {
        let draft = SignalDraft {
            neighbourhood_id: earlier.neighbourhood_id.to_string(),
            category: earlier.category.code().into(),
            urgency: "normal".into(),
            description: "Nog altijd".into(),
            duplicate_of: Some(earlier.id),
            ..SignalDraft::default()
        };
        let by = Authorship { team_id: earlier.team_id, ..by() };
        draft.validate(by, None).expect("valid")
    }

    #[test]
    fn a_link_is_kept_and_old_phones_send_none() {
        let earlier = signal_at(SignalCategory::Waste, SignalStatus::Open, 51.21, 4.42);
        let report = linked_to(&earlier);
        assert_eq!(report.duplicate_of, Some(earlier.id));
        assert_eq!(report.description, "Nog altijd", "the report keeps its own text");
        let old_phone: SignalDraft = serde_json::from_str(r#"{"description": "x"}"#).expect("no duplicate_of");
        assert_eq!(old_phone.duplicate_of, None);
        // What an older server sent, as a phone keeps it.
        let mut stored = serde_json::to_value(&earlier).unwrap();
        stored.as_object_mut().unwrap().remove("duplicate_of");
        let read: NeighbourhoodSignal = serde_json::from_value(stored).expect("no duplicate_of");
        assert_eq!(read.duplicate_of, None);
    }

    #[test]
    fn a_signal_cannot_be_its_own_duplicate() {
        let signal = signal_at(SignalCategory::Waste, SignalStatus::Open, 51.21, 4.42);
        let itself = NeighbourhoodSignal { duplicate_of: Some(signal.id), ..signal.clone() };
        let officer = officer_of(signal.team_id);
        // Even were the store to hold it already (a retried push), it names no *earlier* signal.
        for held in [None, Some(&signal)] {
            let errors = check_link(&itself, held, None, &officer).unwrap_err();
            assert_eq!(errors.for_field("duplicate_of"), Some(&Problem::UnknownCode));
        }
    }

    #[test]
    fn a_link_names_a_signal_of_the_team_the_author_may_read() {
        let earlier = signal_at(SignalCategory::Waste, SignalStatus::Open, 51.21, 4.42);
        let report = linked_to(&earlier);
        let officer = officer_of(earlier.team_id);
        assert_eq!(check_link(&report, Some(&earlier), None, &officer), Ok(Some(earlier.id)));
        let unlinked = NeighbourhoodSignal { duplicate_of: None, ..report.clone() };
        assert_eq!(check_link(&unlinked, None, None, &officer), Ok(None));

        let refused = |result: Result<Option<RecordId>, ValidationErrors>| {
            result.unwrap_err().for_field("duplicate_of") == Some(&Problem::UnknownCode)
        };
        assert!(refused(check_link(&report, None, None, &officer)), "no such signal");
        let elsewhere = NeighbourhoodSignal { team_id: TeamId::new_v7(), ..earlier.clone() };
        assert!(refused(check_link(&report, Some(&elsewhere), None, &officer)), "another team's");
        let stranger = officer_of(TeamId::new_v7());
        assert!(refused(check_link(&report, Some(&earlier), None, &stranger)), "not readable by the author");
        let partner = a_partner();
        assert!(refused(check_link(&report, Some(&earlier), None, &partner)), "the police's own signal");
        let own = NeighbourhoodSignal { author_org_id: partner.org_id, ..earlier.clone() };
        assert_eq!(check_link(&report, Some(&own), None, &partner), Ok(Some(earlier.id)), "the partner's own");
    }

    #[test]
    fn a_link_to_a_linked_signal_goes_to_its_original_when_the_author_may_read_it() {
        let original = signal_at(SignalCategory::Waste, SignalStatus::Open, 51.21, 4.42);
        let second = linked_to(&original);
        let third = linked_to(&second);
        let officer = officer_of(original.team_id);
        assert_eq!(check_link(&third, Some(&second), Some(&original), &officer), Ok(Some(original.id)));
        assert_eq!(check_link(&third, Some(&second), None, &officer), Ok(Some(second.id)), "original not found");
        let partner = a_partner();
        let partners = NeighbourhoodSignal { author_org_id: partner.org_id, ..second.clone() };
        assert_eq!(
            check_link(&third, Some(&partners), Some(&original), &partner),
            Ok(Some(second.id)),
            "an original the partner may not see is not even named"
        );
    }
}
