//! The access log's entries, as both stores keep them: one entry per screen (or API
//! answer) and per organisation whose records it showed, with the records and fields
//! it showed. One row per screen rather than per field: a team lead's list of 50
//! signals is one thing that happened, is read as one line, and costs one row to
//! write before the answer leaves (issue 9, item 10).
//!
//! The records and fields are kept in one JSON column (`shown`) rather than a child
//! table: an entry is written once, read whole and never changed, and a child table
//! would bring back the row per field this layout removes.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use domain::{OrgId, RecordId, TeamId, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::RecordKind;

/// What one screen showed of one team's records (and, for signals a partner filed,
/// of that organisation's). Append-only: the store offers no way to change or delete
/// an entry, and its tables refuse UPDATE and DELETE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLogEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub reader_id: UserId,
    /// Why: the screen or API call that showed it ("contacts_page", "api_signal").
    pub purpose: String,
    /// The team whose records they are.
    pub team_id: TeamId,
    /// For signals filed by a partner: that organisation, so it can see who read them.
    pub org_id: Option<OrgId>,
    /// Never empty; one element per kind of record and field.
    pub shown: Vec<ShownFields>,
}

impl AccessLogEntry {
    /// How many records' fields the entry says were shown.
    pub fn records_shown(&self) -> usize {
        self.shown.iter().map(|s| s.records.len()).sum()
    }
}

/// One field of some records of one kind, e.g. the description of 50 signals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownFields {
    pub kind: RecordKind,
    /// Which field: "note", "description", "photo".
    pub field: String,
    /// In the order they were shown.
    pub records: Vec<RecordId>,
}

/// Which access-log entries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct AccessLogQuery {
    pub team_id: Option<TeamId>,
    pub org_id: Option<OrgId>,
    /// Only entries that showed something of this record.
    pub record_id: Option<RecordId>,
    /// At most this many (capped at 500; <= 0 means 100).
    pub limit: i64,
    /// Only entries older than this one (keyset paging: the last entry of the page
    /// before, by moment and id, so a deep page costs what the first does).
    pub before: Option<(DateTime<Utc>, Uuid)>,
}

/// The stored form of one [`ShownFields`]; the kind by its code.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    kind: Cow<'a, str>,
    field: Cow<'a, str>,
    records: Cow<'a, [RecordId]>,
}

/// The `shown` column's JSON.
pub(crate) fn encode_shown(shown: &[ShownFields]) -> String {
    let stored: Vec<Stored<'_>> = shown
        .iter()
        .map(|s| Stored {
            kind: Cow::Borrowed(s.kind.code()),
            field: Cow::Borrowed(&s.field),
            records: Cow::Borrowed(&s.records),
        })
        .collect();
    // Serialising strings and UUIDs into a String cannot fail; the fallback keeps a
    // bug from panicking and is refused by the table's CHECK (an empty list).
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".to_owned())
}

/// Reads the `shown` column back; the error says what is wrong with it.
pub(crate) fn decode_shown(json: &str) -> Result<Vec<ShownFields>, String> {
    let stored: Vec<Stored<'_>> =
        serde_json::from_str(json).map_err(|e| format!("shown is not the expected JSON: {e}"))?;
    stored
        .into_iter()
        .map(|s| {
            let kind = RecordKind::from_code(&s.kind).ok_or_else(|| format!("unknown record kind {:?}", s.kind))?;
            Ok(ShownFields { kind, field: s.field.into_owned(), records: s.records.into_owned() })
        })
        .collect()
}

/// The JSON a record's id is looked for with, by PostgreSQL's containment (`@>`).
pub(crate) fn naming_record(record: RecordId) -> String {
    format!(r#"[{{"records":["{record}"]}}]"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_fields_read_back_as_written() {
        let shown = vec![
            ShownFields { kind: RecordKind::Signal, field: "description".into(), records: vec![RecordId::new_v7()] },
            ShownFields {
                kind: RecordKind::Contact,
                field: "note".into(),
                records: vec![RecordId::new_v7(), RecordId::new_v7()],
            },
        ];
        assert_eq!(decode_shown(&encode_shown(&shown)), Ok(shown));
    }

    #[test]
    fn a_stored_list_that_does_not_parse_says_why() {
        assert!(decode_shown(r#"[{"kind":"photo","field":"x","records":[]}]"#).unwrap_err().contains("photo"));
        assert!(decode_shown("{").unwrap_err().contains("JSON"));
    }

    #[test]
    fn the_containment_pattern_is_json_naming_the_record() {
        let record = RecordId::new_v7();
        let value: serde_json::Value = serde_json::from_str(&naming_record(record)).unwrap();
        assert_eq!(value[0]["records"][0], record.to_string());
    }
}
