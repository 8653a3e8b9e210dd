//! A street contact: a neighbourhood officer's short record of meeting someone on the
//! street. It deliberately has no field for who the person was: Wijkpost records that
//! police and neighbourhood met, and how it went, not whom.

use crate::ids::{NeighbourhoodId, RecordId, UserId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::{ContactKind, ContactOutcome, ContactReason, Mobility};
use crate::ids::TeamId;
use crate::place::Location;
use crate::validation::{optional_text, required_code, Problem, ValidationErrors};

/// Free notes stay short: they are reminders, not reports.
pub const NOTE_MAX_CHARS: usize = 1000;
pub const STREET_MAX_CHARS: usize = 120;
/// Phones' clocks drift; a few minutes ahead is tolerated.
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;
/// An entry kept offline for weeks is still accepted, but not one from last year.
pub const MAX_BACKDATE_DAYS: i64 = 60;

/// A stored street contact.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Contact))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreetContact {
    pub id: RecordId,
    pub author_id: UserId,
    pub team_id: TeamId,
    pub neighbourhood_id: NeighbourhoodId,
    pub occurred_at: DateTime<Utc>,
    /// When the server received it; differs from `occurred_at` when logged offline.
    pub received_at: DateTime<Utc>,
    pub mobility: Mobility,
    pub kind: ContactKind,
    pub reason: ContactReason,
    pub outcome: ContactOutcome,
    pub location: Location,
    pub note: Option<String>,
}

/// A contact as submitted, before any rule has been checked.
/// Missing fields read as empty, so a client that leaves some out hears about all of
/// them at once (422, every field named) rather than about the first (400).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactDraft {
    pub neighbourhood_id: String,
    /// `None` means "now".
    pub occurred_at: Option<DateTime<Utc>>,
    pub mobility: String,
    pub kind: String,
    pub reason: String,
    pub outcome: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub street: Option<String>,
    pub note: Option<String>,
}

/// Who records an entry, and when the server received it: the server's to say, from
/// the account and the neighbourhood's team, never the form's.
#[derive(Debug, Clone, Copy)]
pub struct Authorship {
    /// The new record's id: on a push, its create mutation's id.
    pub id: RecordId,
    pub author_id: UserId,
    pub team_id: TeamId,
    pub now: DateTime<Utc>,
}

/// A draft that passed its own rules: everything of a contact but who recorded it. The
/// phone and the form check this far on their own; the server adds the [`Authorship`]
/// once it knows the neighbourhood's team.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedContact {
    pub neighbourhood_id: NeighbourhoodId,
    occurred_at: DateTime<Utc>,
    mobility: Mobility,
    kind: ContactKind,
    reason: ContactReason,
    outcome: ContactOutcome,
    location: Location,
    note: Option<String>,
}

impl ContactDraft {
    /// Checks every rule of the draft's own and returns either the checked contact or
    /// every problem found. `now` is the checker's clock (the server's, or the phone's
    /// for its early answer).
    pub fn check(&self, now: DateTime<Utc>) -> Result<CheckedContact, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let neighbourhood_id = parse_id(&mut errors, "neighbourhood_id", &self.neighbourhood_id);
        let occurred_at = check_moment(&mut errors, "occurred_at", self.occurred_at, now);
        let mobility = required_code(&mut errors, "mobility", &self.mobility, Mobility::from_code);
        let kind = required_code(&mut errors, "kind", &self.kind, ContactKind::from_code);
        let reason = required_code(&mut errors, "reason", &self.reason, ContactReason::from_code);
        let outcome = required_code(&mut errors, "outcome", &self.outcome, ContactOutcome::from_code);
        let street = optional_text(&mut errors, "street", self.street.as_deref(), STREET_MAX_CHARS);
        let note = optional_text(&mut errors, "note", self.note.as_deref(), NOTE_MAX_CHARS);
        let location = Location::from_parts(&mut errors, self.lat, self.lon, self.accuracy_m, street);

        match (neighbourhood_id, mobility, kind, reason, outcome) {
            (Some(neighbourhood_id), Some(mobility), Some(kind), Some(reason), Some(outcome)) if errors.is_empty() => {
                Ok(CheckedContact { neighbourhood_id, occurred_at, mobility, kind, reason, outcome, location, note })
            }
            _ => Err(errors),
        }
    }

    /// [`check`](Self::check) and [`CheckedContact::recorded_by`] at once, for whoever
    /// knows the author up front (the sync reference model, tests).
    pub fn validate(&self, by: Authorship) -> Result<StreetContact, ValidationErrors> {
        self.check(by.now).map(|checked| checked.recorded_by(by))
    }
}

impl CheckedContact {
    /// The contact as stored: `by.now` is when the server received it.
    pub fn recorded_by(self, by: Authorship) -> StreetContact {
        StreetContact {
            id: by.id,
            author_id: by.author_id,
            team_id: by.team_id,
            neighbourhood_id: self.neighbourhood_id,
            occurred_at: self.occurred_at,
            received_at: by.now,
            mobility: self.mobility,
            kind: self.kind,
            reason: self.reason,
            outcome: self.outcome,
            location: self.location,
            note: self.note,
        }
    }
}

/// Parses a required id field, as the id it names.
pub(crate) fn parse_id<T: From<Uuid>>(errors: &mut ValidationErrors, field: &str, raw: &str) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.push(field, Problem::Required);
        return None;
    }
    Uuid::parse_str(raw).map(T::from).map_err(|_| errors.push(field, Problem::Malformed)).ok()
}

/// Checks when something happened: defaults to now, not in the future, not too old.
pub(crate) fn check_moment(
    errors: &mut ValidationErrors,
    field: &str,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let Some(at) = at else { return now };
    if at > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        errors.push(field, Problem::InFuture);
    } else if at < now - Duration::days(MAX_BACKDATE_DAYS) {
        errors.push(field, Problem::TooOld { max_days: MAX_BACKDATE_DAYS });
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, SystemClock};

    fn by() -> Authorship {
        Authorship {
            id: RecordId::new_v7(),
            author_id: UserId::new_v7(),
            team_id: TeamId::new_v7(),
            now: SystemClock.now(),
        }
    }

    fn complete() -> ContactDraft {
        ContactDraft {
            neighbourhood_id: NeighbourhoodId::new_v7().to_string(),
            mobility: "bike".into(),
            kind: "conversation".into(),
            reason: "acquaintance".into(),
            outcome: "informed".into(),
            ..ContactDraft::default()
        }
    }

    #[test]
    fn a_complete_draft_becomes_a_contact_at_now() {
        let by = by();
        let contact = complete().validate(by).expect("valid");
        assert_eq!(contact.occurred_at, by.now);
        assert_eq!(contact.kind, ContactKind::Conversation);
        assert_eq!(contact.location.point, None);
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let errors = ContactDraft::default().validate(by()).unwrap_err();
        for field in ["neighbourhood_id", "mobility", "kind", "reason", "outcome"] {
            assert_eq!(errors.for_field(field), Some(&Problem::Required), "{field}");
        }
    }

    #[test]
    fn unknown_codes_and_malformed_ids_are_named() {
        let draft = ContactDraft { kind: "arrest".into(), neighbourhood_id: "12".into(), ..complete() };
        let errors = draft.validate(by()).unwrap_err();
        assert_eq!(errors.for_field("kind"), Some(&Problem::UnknownCode));
        assert_eq!(errors.for_field("neighbourhood_id"), Some(&Problem::Malformed));
    }

    #[test]
    fn moments_in_the_future_or_long_ago_are_refused() {
        let by = by();
        let future = ContactDraft { occurred_at: Some(by.now + Duration::hours(1)), ..complete() };
        assert_eq!(future.validate(by).unwrap_err().for_field("occurred_at"), Some(&Problem::InFuture));
        let skewed = ContactDraft { occurred_at: Some(by.now + Duration::minutes(2)), ..complete() };
        assert!(skewed.validate(by).is_ok(), "small clock skew is tolerated");
        let old = ContactDraft { occurred_at: Some(by.now - Duration::days(400)), ..complete() };
        assert!(matches!(old.validate(by).unwrap_err().for_field("occurred_at"), Some(Problem::TooOld { .. })));
    }

    #[test]
    fn overlong_notes_are_refused_not_cut() {
        let draft = ContactDraft { note: Some("x".repeat(NOTE_MAX_CHARS + 1)), ..complete() };
        let errors = draft.validate(by()).unwrap_err();
        assert_eq!(errors.for_field("note"), Some(&Problem::TooLong { max: NOTE_MAX_CHARS }));
    }
}
