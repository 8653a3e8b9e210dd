//! Kept conflicts, as a team lead reviews and resolves them: an offline edit of a
//! signal that someone else had changed since the phone last heard of it. The edit was
//! kept, not applied; the lead decides whether the signal stays as it is or takes it.

use crate::ids::{DeviceId, RecordId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::SignalStatus;
use crate::signal::NeighbourhoodSignal;
use crate::sync::rules::SignalEdit;

/// What the team lead decided.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionChoice {
    /// The signal stays as it is; the phone's edit is set aside (and stays on record).
    KeepCurrent,
    /// The phone's status and feedback are written over the current signal, as a new
    /// version by the lead.
    ApplyEdit,
}

impl ResolutionChoice {
    pub fn code(self) -> &'static str {
        match self {
            Self::KeepCurrent => "keep_current",
            Self::ApplyEdit => "apply_edit",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "keep_current" => Some(Self::KeepCurrent),
            "apply_edit" => Some(Self::ApplyEdit),
            _ => None,
        }
    }
}

/// The body of `POST /sync/conflicts/{mutation_id}/resolve`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolve {
    pub choice: ResolutionChoice,
}

/// What the phone's edit would have changed. A field left out was not touched.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeptEdit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SignalStatus>,
    /// Absent: untouched. `null`: the phone withdrew the feedback. Text: replaced.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub feedback: Option<Option<String>>,
    /// When the person saved the edit on the phone.
    pub saved_at: DateTime<Utc>,
}

/// Tells a field sent as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl KeptEdit {
    /// The edit as the sync rules apply it.
    pub fn as_edit(&self) -> SignalEdit {
        SignalEdit { status: self.status, feedback: self.feedback.clone() }
    }
}

/// An open conflict, with what a lead needs to decide it in one look.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenConflict {
    /// The phone's mutation that was kept; the id to resolve it by.
    pub mutation_id: Uuid,
    /// The signal as it is now (its text only for those who may read it).
    pub signal: NeighbourhoodSignal,
    pub current_version: u64,
    /// The version the phone's edit was based on.
    pub base_version: u64,
    pub edit: KeptEdit,
    pub device_id: DeviceId,
    /// What the phone is called ("Android · Chrome", "Dienst-gsm 4").
    pub device_label: String,
    pub author_id: UserId,
    pub author_name: String,
    /// When the server received the edit and kept it.
    pub received_at: DateTime<Utc>,
}

/// The answer to a resolution.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolved {
    pub mutation_id: Uuid,
    pub signal_id: RecordId,
    pub choice: ResolutionChoice,
    /// The signal's version afterwards: unchanged for `keep_current`, one more for
    /// `apply_edit`.
    pub version: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_snake_case_and_nothing_else() {
        let body: Resolve = serde_json::from_str(r#"{"choice":"apply_edit"}"#).unwrap();
        assert_eq!(body.choice, ResolutionChoice::ApplyEdit);
        assert!(serde_json::from_str::<Resolve>(r#"{"choice":"both"}"#).is_err());
        assert!(serde_json::from_str::<Resolve>(r#"{"choice":"keep_current","x":1}"#).is_err());
        for choice in [ResolutionChoice::KeepCurrent, ResolutionChoice::ApplyEdit] {
            assert_eq!(ResolutionChoice::from_code(choice.code()), Some(choice));
        }
    }

    #[test]
    fn a_kept_edit_tells_withdrawn_feedback_from_untouched() {
        let withdrawn: KeptEdit =
            serde_json::from_str(r#"{"status":"resolved","feedback":null,"saved_at":"2025-06-01T10:00:00Z"}"#).unwrap();
        assert_eq!(withdrawn.feedback, Some(None));
        assert_eq!(withdrawn.as_edit().status, Some(SignalStatus::Resolved));
        let untouched: KeptEdit = serde_json::from_str(r#"{"saved_at":"2025-06-01T10:00:00Z"}"#).unwrap();
        assert_eq!(untouched.feedback, None);
        let json = serde_json::to_value(&withdrawn).unwrap();
        assert!(json["feedback"].is_null() && json.get("feedback").is_some(), "{json}");
    }
}
