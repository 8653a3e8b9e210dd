//! What server functions send to the page: view models, already worded for display
//! where the server knows best (local times, neighbourhood names).

use domain::{ContactKind, ContactOutcome, ContactReason, Mobility, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The logged-in person, as the navigation and home page need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team_name: Option<String>,
}

impl CurrentUser {
    /// Whether the street-contact screens belong in this person's navigation.
    pub fn logs_contacts(&self) -> bool {
        matches!(self.role, Role::Officer | Role::TeamLead)
    }
}

/// One option of a select list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub name: String,
}

/// A street contact as the team's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactRow {
    pub id: Uuid,
    pub occurred_local: String,
    pub neighbourhood: String,
    pub mobility: Mobility,
    pub kind: ContactKind,
    pub reason: ContactReason,
    pub outcome: ContactOutcome,
    pub street: Option<String>,
    pub note: Option<String>,
}

/// Everything the contacts screen needs in one round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactsScreen {
    pub neighbourhoods: Vec<Choice>,
    /// "Now" in the form's local-time format, the time field's default.
    pub now_local: String,
    pub recent: Vec<ContactRow>,
}

/// Figures for a role's home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeFigures {
    pub contacts: i64,
    pub signals: i64,
}
