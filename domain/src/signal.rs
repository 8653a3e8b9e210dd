//! A neighbourhood signal: something in the street that needs attention (a broken
//! lamp, dumped waste, a group that worries neighbours), logged by an officer or a partner.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::{SignalCategory, SignalStatus, Urgency};
use crate::contact::{check_moment, parse_id, Authorship, STREET_MAX_CHARS};
use crate::place::Location;
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
                })
            }
            _ => Err(errors),
        }
    }
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
    }

    #[test]
    fn a_blank_description_is_required() {
        let draft = SignalDraft { description: "   ".into(), ..SignalDraft::default() };
        let errors = draft.validate(by(), None).unwrap_err();
        assert_eq!(errors.for_field("description"), Some(&Problem::Required));
        assert_eq!(errors.for_field("category"), Some(&Problem::Required));
    }
}
