//! What server functions send to the page: view models, already worded for display
//! where the server knows best (local times, neighbourhood names).

use domain::{Capabilities, ContactKind, ContactOutcome, ContactReason, Mobility, Role};
use domain::{DeviceId, RecordId, UserId};
use domain::{OrgId, TeamId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod homes;

/// The logged-in person, as the navigation and home page need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    /// Shown as the person's title; never used to decide what they may do.
    pub role: Role,
    pub team_name: Option<String>,
    /// What the policy lets this person do: the navigation, forms and buttons follow it.
    pub can: Capabilities,
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
    pub id: RecordId,
    pub occurred_local: String,
    pub neighbourhood: String,
    pub mobility: Mobility,
    pub kind: ContactKind,
    pub reason: ContactReason,
    pub outcome: ContactOutcome,
    pub street: Option<String>,
    pub note: Option<String>,
}

#[cfg(feature = "ssr")]
impl ContactRow {
    /// The row of a contact the service returned (its note already left out where the
    /// policy says so), in the neighbourhood named `neighbourhood`.
    pub fn of(c: domain::StreetContact, neighbourhood: String) -> Self {
        Self {
            id: c.id,
            occurred_local: crate::ssr::format_local(c.occurred_at),
            neighbourhood,
            mobility: c.mobility,
            kind: c.kind,
            reason: c.reason,
            outcome: c.outcome,
            street: c.location.street,
            note: c.note,
        }
    }
}

/// Everything the contacts screen needs in one round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactsScreen {
    /// Whether the form belongs on the screen (the policy's answer, not the role's).
    pub can_log: bool,
    pub neighbourhoods: Vec<Choice>,
    /// "Now" in the form's local-time format, the time field's default.
    pub now_local: String,
    /// The form's neighbourhoods' boundaries and streets, for "use my location"
    /// offline (the page, and so this, is kept on the phone).
    pub map: Vec<domain::area::MappedNeighbourhood>,
    pub recent: Vec<ContactRow>,
}

/// A member of a team as the team page lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: UserId,
    pub display_name: String,
    pub username: String,
    pub role: Role,
}

/// A registered phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRow {
    pub id: DeviceId,
    pub owner: String,
    pub label: String,
    pub registered_local: String,
    pub last_seen_local: Option<String>,
    pub revoked_local: Option<String>,
    /// The phone this page is open on (the one registered in this session).
    pub is_this_phone: bool,
}

/// One line of the access log: who was shown what, when, on which screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessRow {
    pub at_local: String,
    pub reader: String,
    /// Never empty.
    pub shown: Vec<ShownCount>,
    pub purpose: String,
    /// The records the line read, by kind, place and date, when it read only a few
    /// (a line that showed a whole list is summed up by `shown`).
    pub read: Vec<ReadRecordRow>,
}

/// A page of the access log and the link to the page of older entries, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessPage {
    pub rows: Vec<AccessRow>,
    /// The cursor of the next, older page; `None` on the last page.
    pub older: Option<String>,
}

/// A record named in the access log: what it is, where and when (never its text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadRecordRow {
    pub what: SyncedWhat,
    pub place: String,
    pub at_local: String,
}

/// How many records of one kind had one field shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownCount {
    /// "contact" or "signal".
    pub kind: String,
    /// "note", "description" or "photo".
    pub field: String,
    pub records: usize,
}

/// The team lead's review: what the phones synced, and conflicts to settle. Members,
/// phones and the access log have pages of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamScreen {
    pub team_name: String,
    /// What the team's phones (and the web) stored, newest arrival first.
    pub synced: Vec<SyncedRow>,
    /// Offline edits kept as conflicts, for the lead to decide.
    pub conflicts: Vec<ConflictRow>,
}

/// The team's members (`/team/members`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamMembers {
    pub team_name: String,
    pub members: Vec<MemberRow>,
}

/// The team's phones (`/team/phones`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamPhones {
    pub team_name: String,
    pub devices: Vec<DeviceRow>,
}

/// What a synced record is: a contact of a kind, or a signal of a category.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum SyncedWhat {
    Contact(ContactKind),
    Signal(domain::SignalCategory),
}

/// A record in the team lead's review: who logged it, on which phone, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncedRow {
    pub id: RecordId,
    pub what: SyncedWhat,
    pub author: String,
    /// The phone's name; `None` when entered on the web.
    pub device: Option<String>,
    /// When it happened (or the phone saved it).
    pub logged_local: String,
    /// When the server received it.
    pub received_local: String,
}

/// A kept conflict: the signal now, and what the phone's edit would make of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictRow {
    pub mutation_id: Uuid,
    pub category: domain::SignalCategory,
    /// Which signal: its neighbourhood, street (if known) and when it happened.
    pub neighbourhood: String,
    pub street: Option<String>,
    pub occurred_local: String,
    pub status_now: domain::SignalStatus,
    pub feedback_now: Option<String>,
    /// `None`: the edit leaves the status.
    pub status_edit: Option<domain::SignalStatus>,
    /// `None`: untouched; `Some(None)`: withdrawn; `Some(Some(text))`: replaced.
    pub feedback_edit: Option<Option<String>>,
    pub device: String,
    pub author: String,
    pub saved_local: String,
    pub received_local: String,
}

/// What the signal form offers: neighbourhoods, and "now" for the time field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalFormChoices {
    pub neighbourhoods: Vec<Choice>,
    pub now_local: String,
    /// As [`ContactsScreen::map`].
    pub map: Vec<domain::area::MappedNeighbourhood>,
}

/// A signal as the signals list shows it; `description` is empty when the reader may
/// not see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalRow {
    pub id: RecordId,
    pub occurred_local: String,
    pub neighbourhood: String,
    pub street: Option<String>,
    /// Where its photo is shown, for those who may see it, once it has arrived.
    pub photo_url: Option<String>,
    pub category: domain::SignalCategory,
    pub urgency: domain::Urgency,
    pub status: domain::SignalStatus,
    pub description: String,
    pub feedback: Option<String>,
    pub referred_to: Option<String>,
    /// How many later signals the reader may see were filed as the same one.
    pub linked_reports: u64,
    /// Filed as another report of an earlier signal.
    pub is_linked: bool,
    /// The reader may change its status (from the phone, through the outbox).
    pub may_update: bool,
}

/// An account as the admin screen lists it; the ids preselect its edit form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub org_id: Option<OrgId>,
    pub belongs_to: Option<String>,
}

/// The admin screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminScreen {
    pub accounts: Vec<AccountRow>,
    pub teams: Vec<TeamRow>,
    pub organisations: Vec<OrganisationRow>,
    pub districts: Vec<Choice>,
    pub device_groups: Vec<DeviceGroup>,
    /// What the admin's last form post did, shown once (see `api::admin`).
    pub notice: Option<AdminNotice>,
}

/// A team as the admin screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamRow {
    pub id: TeamId,
    pub name: String,
    pub district: String,
}

/// A partner organisation or city service as the admin screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub id: OrgId,
    pub name: String,
    pub kind: domain::PartnerKind,
    pub district: Option<String>,
}

/// The phones of one team's members, or (`team: None`) of accounts without a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceGroup {
    pub team: Option<String>,
    pub devices: Vec<DeviceRow>,
}

/// The outcome of the admin's last successful form post. It reaches the page the
/// same way with and without JavaScript, so a one-time link is never lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AdminNotice {
    /// A new account, with the path of its one-time link.
    AccountCreated {
        display_name: String,
        link: String,
    },
    /// A fresh one-time link for an existing account.
    LinkIssued {
        user_id: UserId,
        display_name: String,
        link: String,
    },
    AccountSaved {
        user_id: UserId,
        display_name: String,
    },
    TeamCreated {
        name: String,
    },
    OrganisationCreated {
        name: String,
    },
}
