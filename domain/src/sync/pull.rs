//! What a phone pulls from the server: the changes since its cursor, a page at a time.
//!
//! The server keeps a change feed with a sequence that only grows; a cursor names a
//! position in it. A page holds every record that changed after the cursor once, at
//! its latest state (or as a tombstone when it was deleted), oldest change first, and
//! the cursor to ask from next. A phone that loses its connection mid-pull asks again
//! with the last cursor it stored: nothing is skipped, and a record it already has is
//! simply sent again in its newer state.

use crate::contact::StreetContact;
use crate::ids::RecordId;
use crate::signal::NeighbourhoodSignal;
use serde::{Deserialize, Serialize};

/// A page holds at most this many changes: one page stays quick on a slow connection.
pub const MAX_PULL_LIMIT: u32 = 500;
/// What a page holds when the phone does not say.
pub const DEFAULT_PULL_LIMIT: u32 = 200;

/// One page of changes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    /// Oldest change first; each record at most once.
    pub changes: Vec<Change>,
    /// Where to continue from. Opaque: store it and send it back as it is.
    pub cursor: String,
    /// More changes are waiting: pull again with `cursor` straight away.
    pub more: bool,
}

/// A record that changed: its latest state, or its deletion.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Contact {
        id: RecordId,
        /// The record's version after this change (a contact is written once: 1; its
        /// deletion is version 2).
        version: u64,
        #[serde(flatten)]
        state: Box<ChangeState<StreetContact>>,
    },
    Signal {
        id: RecordId,
        version: u64,
        #[serde(flatten)]
        state: Box<ChangeState<NeighbourhoodSignal>>,
    },
}

/// A record as it now is, or the fact that it is gone. Flattened into the change, so
/// a change carries either `"record": {…}` or `"deleted": true`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ChangeState<T> {
    Record {
        record: T,
    },
    Deleted {
        #[cfg_attr(feature = "openapi", schema(value_type = bool))]
        deleted: Tombstone,
    },
}

/// Always `true`: a field of its own, so a phone tests `deleted` and needs nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "bool", into = "bool")]
pub struct Tombstone;

impl From<Tombstone> for bool {
    fn from(_: Tombstone) -> bool {
        true
    }
}

impl TryFrom<bool> for Tombstone {
    type Error = &'static str;

    fn try_from(deleted: bool) -> Result<Self, Self::Error> {
        deleted.then_some(Tombstone).ok_or("`deleted` is only ever true")
    }
}

impl Change {
    pub fn id(&self) -> RecordId {
        match self {
            Change::Contact { id, .. } | Change::Signal { id, .. } => *id,
        }
    }

    pub fn version(&self) -> u64 {
        match self {
            Change::Contact { version, .. } | Change::Signal { version, .. } => *version,
        }
    }

    pub fn is_deleted(&self) -> bool {
        match self {
            Change::Contact { state, .. } => matches!(**state, ChangeState::Deleted { .. }),
            Change::Signal { state, .. } => matches!(**state, ChangeState::Deleted { .. }),
        }
    }
}

/// A cursor a phone sent that this server did not make.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("this cursor was not handed out by this server ({0:?}); pull again without a cursor to start over")]
pub struct BadCursor(pub String);

/// The prefix names the cursor's form, so a later form can be told from this one.
const CURSOR_PREFIX: &str = "c1.";

/// The cursor for a position in the change feed (0: before every change).
pub fn cursor_at(position: u64) -> String {
    format!("{CURSOR_PREFIX}{position}")
}

/// The feed position a cursor names; an absent or empty cursor is the beginning.
pub fn cursor_position(cursor: Option<&str>) -> Result<u64, BadCursor> {
    let raw = cursor.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Ok(0);
    }
    raw.strip_prefix(CURSOR_PREFIX)
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse::<u64>().ok())
        .filter(|position| i64::try_from(*position).is_ok())
        .ok_or_else(|| BadCursor(raw.chars().take(40).collect()))
}

/// The page size actually used for a requested one: 1 to [`MAX_PULL_LIMIT`].
pub fn pull_limit(requested: Option<u32>) -> Result<u32, u32> {
    match requested {
        None => Ok(DEFAULT_PULL_LIMIT),
        Some(n) if (1..=MAX_PULL_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn cursors_read_back_what_they_write() {
        for position in [0, 1, 42, i64::MAX as u64] {
            assert_eq!(cursor_position(Some(&cursor_at(position))), Ok(position));
        }
        assert_eq!(cursor_position(None), Ok(0), "no cursor: from the beginning");
        assert_eq!(cursor_position(Some("  ")), Ok(0));
    }

    #[test]
    fn foreign_cursors_are_refused_not_guessed() {
        for bad in ["42", "c1.", "c1.-3", "c1.4x", "c2.5", "c1.99999999999999999999", "c1.9223372036854775808"] {
            assert!(cursor_position(Some(bad)).is_err(), "{bad}");
        }
        let err = cursor_position(Some("c1.x")).unwrap_err();
        assert!(err.to_string().contains("without a cursor"), "says how to recover: {err}");
    }

    #[test]
    fn limits_default_and_refuse_out_of_range() {
        assert_eq!(pull_limit(None), Ok(DEFAULT_PULL_LIMIT));
        assert_eq!(pull_limit(Some(1)), Ok(1));
        assert_eq!(pull_limit(Some(MAX_PULL_LIMIT)), Ok(MAX_PULL_LIMIT));
        assert_eq!(pull_limit(Some(0)), Err(0));
        assert_eq!(pull_limit(Some(501)), Err(501));
    }

    #[test]
    fn a_change_carries_either_the_record_or_deleted_true() {
        let gone = Change::Contact {
            id: RecordId::from_uuid(Uuid::nil()),
            version: 2,
            state: Box::new(ChangeState::Deleted { deleted: Tombstone }),
        };
        let json = serde_json::to_value(&gone).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "contact", "id": Uuid::nil(), "version": 2, "deleted": true}));
        assert_eq!(serde_json::from_value::<Change>(json).unwrap(), gone);
        assert!(gone.is_deleted());
        let refused = serde_json::json!({"kind": "contact", "id": Uuid::nil(), "version": 2, "deleted": false});
        assert!(serde_json::from_value::<Change>(refused).is_err());
    }
}
