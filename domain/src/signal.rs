//! A neighbourhood signal: something in the street that needs attention (a broken
//! lamp, dumped waste, a group that worries neighbours), logged by an officer or a partner.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::{SignalCategory, SignalStatus, Urgency};
use crate::contact::{check_moment, parse_id, Authorship, STREET_MAX_CHARS};
use crate::photo::PhotoRef;
use crate::place::{GeoPoint, Location};
use crate::validation::{optional_text, required_code, required_text, ValidationErrors};

pub const DESCRIPTION_MAX_CHARS: usize = 2000;

/// A stored neighbourhood signal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Signal))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighbourhoodSignal {
    pub id: Uuid,
    pub author_id: Uuid,
    /// The team whose neighbourhood it is in.
    pub team_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub category: SignalCategory,
    pub urgency: Urgency,
    pub status: SignalStatus,
    pub description: String,
    pub location: Location,
    /// The partner organisation whose member filed it; `None` when the police did.
    pub author_org_id: Option<Uuid>,
    /// The city service or partner the team referred it to, who may then read and update it.
    pub referred_to_org_id: Option<Uuid>,
    /// What the team tells the partner who filed it (no personal data).
    pub feedback: Option<String>,
    /// The photo filed with it, uploaded separately (see `crate::photo`); `None`
    /// when it was filed without one.
    pub photo: Option<PhotoRef>,
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
    pub photo_id: Option<Uuid>,
}

impl SignalDraft {
    /// Checks every rule; a new signal always starts `Open`. `author_org_id` is the
    /// filing partner's organisation, from the account, never from the form.
    pub fn validate(
        &self,
        by: Authorship,
        author_org_id: Option<Uuid>,
    ) -> Result<NeighbourhoodSignal, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let neighbourhood_id = parse_id(&mut errors, "neighbourhood_id", &self.neighbourhood_id);
        let occurred_at = check_moment(&mut errors, "occurred_at", self.occurred_at, by.now);
        let category = required_code(&mut errors, "category", &self.category, SignalCategory::from_code);
        let urgency = required_code(&mut errors, "urgency", &self.urgency, Urgency::from_code);
        let description = required_text(&mut errors, "description", &self.description, DESCRIPTION_MAX_CHARS);
        let street = optional_text(&mut errors, "street", self.street.as_deref(), STREET_MAX_CHARS);
        let location = Location::from_parts(&mut errors, self.lat, self.lon, self.accuracy_m, street);

        match (neighbourhood_id, category, urgency, description) {
            (Some(neighbourhood_id), Some(category), Some(urgency), Some(description)) if errors.is_empty() => {
                Ok(NeighbourhoodSignal {
                    id: by.id,
                    author_id: by.author_id,
                    team_id: by.team_id,
                    neighbourhood_id,
                    occurred_at,
                    received_at: by.now,
                    category,
                    urgency,
                    status: SignalStatus::Open,
                    description,
                    location,
                    author_org_id,
                    referred_to_org_id: None,
                    feedback: None,
                    photo: self.photo_id.map(|id| PhotoRef { id, complete: false }),
                })
            }
            _ => Err(errors),
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
    use crate::validation::Problem;

    fn by() -> Authorship {
        Authorship { id: Uuid::now_v7(), author_id: Uuid::now_v7(), team_id: Uuid::now_v7(), now: Utc::now() }
    }

    #[test]
    fn a_new_signal_starts_open() {
        let draft = SignalDraft {
            neighbourhood_id: Uuid::now_v7().to_string(),
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
        let photo_id = Uuid::now_v7();
        let draft = SignalDraft {
            neighbourhood_id: Uuid::now_v7().to_string(),
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
            neighbourhood_id: Uuid::now_v7().to_string(),
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
        let ids: Vec<Uuid> = found.iter().map(|(s, _)| s.id).collect();
        assert_eq!(ids, vec![nearer.id, near.id]);
        assert!(found[0].1 < found[1].1 && found[1].1 <= DUPLICATE_RADIUS_M);
    }
}
