//! Reading a team lead's review rows, shared by both backends (see `rows`).

use crate::feed::{kept_edit, ConflictRecord, SyncedRecord};
use crate::rows::{self, Columns};
use crate::sync::from_db;
use crate::{RecordKind, StoreError};

/// A conflict row of `sql::OPEN_CONFLICTS`; the backend reads the two integers.
pub(crate) fn conflict(
    row: &impl Columns,
    base_version: i64,
    signal_version: i64,
) -> Result<ConflictRecord, StoreError> {
    let mutation_id = row.id("mutation_id")?;
    Ok(ConflictRecord {
        mutation_id,
        device_id: row.id("edit_device_id")?,
        device_label: row.text("device_label")?,
        author_id: row.id("edit_author_id")?,
        author_name: row.text("edit_author_name")?,
        base_version: from_db(base_version, "base version")?,
        edit: kept_edit(mutation_id, &row.text("body")?)?,
        kept_at: row.moment("kept_at")?,
        resolved_at: row.opt_moment("resolved_at")?,
        signal: rows::signal(row)?,
        signal_version: from_db(signal_version, "signal version")?,
    })
}

pub(crate) fn synced_record(row: &impl Columns) -> Result<SyncedRecord, StoreError> {
    let kind = row.text("record_kind")?;
    Ok(SyncedRecord {
        kind: RecordKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("record kind {kind:?}")))?,
        id: row.id("id")?,
        what: row.text("what")?,
        author_name: row.text("author_name")?,
        device_label: row.opt_text("device_label")?,
        occurred_at: row.moment("occurred_at")?,
        received_at: row.moment("received_at")?,
    })
}
