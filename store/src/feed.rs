//! The change feed behind a phone's pull, a team lead's review of what phones synced,
//! and the resolution of kept conflicts: the types both backends share.
//!
//! Every write of a contact or signal (web form, JSON API, sync push, conflict
//! resolution, retention sweep) appends a [`ChangeRow`] in its own transaction, so the
//! feed can never miss a change nor show one that was rolled back.

use domain::{DeviceId, RecordId, UserId};
use domain::{OrgId, TeamId};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::sync::conflicts::{KeptEdit, ResolutionChoice};
use domain::{NeighbourhoodSignal, StreetContact};
use uuid::Uuid;

use crate::{RecordKind, StoreError};

/// Which part of the feed a pull may see. The service layer picks it from the
/// caller's role and still checks every record against the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullScope {
    /// Police: the team's signals, and the contacts this person logged.
    Team { team_id: TeamId, contacts_of: UserId },
    /// Partners and city services: signals filed by or referred to the organisation.
    Organisation { org_id: OrgId },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PullQuery {
    /// The feed position the phone already has (0: nothing yet).
    pub after: u64,
    /// At most this many changes (the caller keeps it within 1..=500).
    pub limit: u32,
    pub scope: PullScope,
}

/// A record's latest change after the asked position.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedChange {
    pub seq: u64,
    pub record_id: RecordId,
    pub version: u64,
    pub record: FeedRecord,
}

/// The record as it is now; `None` when it was deleted.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedRecord {
    Contact(Option<StreetContact>),
    Signal(Option<NeighbourhoodSignal>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedPage {
    pub changes: Vec<FeedChange>,
    /// Where the next pull continues: after the last change on this page, or, when
    /// nothing more is waiting, the end of the feed as it stood (so changes this
    /// caller may not see are not read again).
    pub position: u64,
    pub more: bool,
}

/// A kept conflict with the signal as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRecord {
    pub mutation_id: Uuid,
    pub device_id: DeviceId,
    pub device_label: String,
    pub author_id: UserId,
    pub author_name: String,
    pub base_version: u64,
    pub edit: KeptEdit,
    /// When the server kept it.
    pub kept_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub signal: NeighbourhoodSignal,
    pub signal_version: u64,
}

/// A team lead's decision on a kept conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    pub mutation_id: Uuid,
    pub choice: ResolutionChoice,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// What became of a resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveOutcome {
    /// Settled; the signal is now at `version`.
    Resolved { signal_id: RecordId, version: u64 },
    /// No such conflict.
    Unknown,
    /// Someone settled it first; nothing changed.
    AlreadyResolved,
}

/// A record in the team lead's review of what was synced.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncedRecord {
    pub kind: RecordKind,
    pub id: RecordId,
    /// The contact's kind or the signal's category (a code).
    pub what: String,
    pub author_name: String,
    /// The phone it came from; `None` when entered on the web.
    pub device_label: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
}

/// One row of the change feed, as a write appends it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChangeRow {
    pub kind: RecordKind,
    pub record_id: RecordId,
    pub version: i64,
    pub team_id: TeamId,
    pub author_id: UserId,
    pub author_org_id: Option<OrgId>,
    pub referred_to_org_id: Option<OrgId>,
    pub deleted: bool,
    pub at: DateTime<Utc>,
}

impl ChangeRow {
    /// A contact is written once, so it is always version 1.
    pub(crate) fn contact(c: &StreetContact, at: DateTime<Utc>) -> Self {
        Self {
            kind: RecordKind::Contact,
            record_id: c.id,
            version: 1,
            team_id: c.team_id,
            author_id: c.author_id,
            author_org_id: None,
            referred_to_org_id: None,
            deleted: false,
            at,
        }
    }

    /// The signal as written at `version`, with the organisations that may see it then.
    pub(crate) fn signal(s: &NeighbourhoodSignal, version: i64, at: DateTime<Utc>) -> Self {
        Self {
            kind: RecordKind::Signal,
            record_id: s.id,
            version,
            team_id: s.team_id,
            author_id: s.author_id,
            author_org_id: s.author_org_id,
            referred_to_org_id: s.referred_to_org_id,
            deleted: false,
            at,
        }
    }
}

/// The version a contact's tombstone carries: one after its only version.
pub(crate) const DELETED_CONTACT_VERSION: i64 = 2;

/// The stored conflict body (see `sync::conflict_body`) read back.
pub(crate) fn kept_edit(mutation_id: Uuid, body: &str) -> Result<KeptEdit, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("conflict of mutation {mutation_id}: {e}")))
}

/// A feed row as a page query returns it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub seq: u64,
    pub kind: RecordKind,
    pub record_id: RecordId,
    pub version: u64,
    pub deleted: bool,
}

/// Puts a page together from its feed rows and the live records they name. A row
/// whose record is missing (deleted behind the store's back) reads as a deletion: the
/// phone then drops what it cannot be sent.
pub(crate) fn page(
    entries: Vec<Entry>,
    mut contacts: HashMap<RecordId, StreetContact>,
    mut signals: HashMap<RecordId, NeighbourhoodSignal>,
    feed_end: u64,
    after: u64,
    more: bool,
) -> FeedPage {
    let position = match (more, entries.last()) {
        (true, Some(last)) => last.seq,
        _ => feed_end.max(after),
    };
    let changes = entries
        .into_iter()
        .map(|e| FeedChange {
            seq: e.seq,
            record_id: e.record_id,
            version: e.version,
            record: match e.kind {
                RecordKind::Contact => FeedRecord::Contact(contacts.remove(&e.record_id)),
                RecordKind::Signal => FeedRecord::Signal(signals.remove(&e.record_id)),
            },
        })
        .collect();
    FeedPage { changes, position, more }
}
