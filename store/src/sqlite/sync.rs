//! A push's reads and writes on one SQLite transaction (see `crate::sync`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::sync::Receipt;
use domain::{DeviceId, NeighbourhoodSignal, RecordId, StreetContact};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use uuid::Uuid;

use super::records::{contact_values, signal_insert, version_insert};
use super::{id, moment, SqliteStore};
use crate::feed::ChangeRow;
use crate::rows;
use crate::sql;
use crate::sync::{self, from_db, to_db, ConflictRow, Held, Keys, PreparedPush, SyncTx};
use crate::StoreError;

/// `BEGIN IMMEDIATE`: the push writes anyway, and taking the write lock first means
/// waiting for (not failing on) another writer, which a read-then-write upgrade in
/// WAL mode would do with SQLITE_BUSY.
pub(super) async fn apply_push(db: &SqliteStore, push: &PreparedPush) -> Result<Vec<Receipt>, StoreError> {
    let begin = db.writer.begin_with("BEGIN IMMEDIATE").await.map_err(|e| StoreError::from_sqlx(e, "sync push"))?;
    let mut tx = Tx::new(begin);
    let receipts = sync::apply(&mut tx, push).await?;
    tx.commit("sync push").await?;
    Ok(receipts)
}

/// Rows per multi-row statement: 500 contacts of 15 columns stay well below the
/// backends' limits on bound parameters (32,766 in SQLite, 65,535 in PostgreSQL).
const CHUNK: usize = 1000;

/// The push's (or a resolution's) transaction, and the change-feed rows its writes
/// owe, appended by [`Tx::commit`] as the last step.
pub(super) struct Tx(pub(super) Transaction<'static, Sqlite>, pub(super) Vec<ChangeRow>);

impl Tx {
    pub(super) fn new(tx: Transaction<'static, Sqlite>) -> Self {
        Self(tx, Vec::new())
    }

    /// Appends the owed feed rows and commits.
    pub(super) async fn commit(mut self, what: &str) -> Result<(), StoreError> {
        super::feed::append(&mut self.0, &self.1).await?;
        self.0.commit().await.map_err(|e| StoreError::from_sqlx(e, what))
    }
}

fn write_error(what: String) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::from_sqlx(e, &what)
}

/// `ids` as a JSON array of their stored form (see `columns::id`), for `json_each`.
fn json_ids(ids: &[impl Into<Uuid> + Copy]) -> String {
    let mut json = String::with_capacity(2 + ids.len() * 39);
    json.push('[');
    for x in ids {
        let x: Uuid = (*x).into();
        if json.len() > 1 {
            json.push(',');
        }
        json.push('"');
        json.push_str(x.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
        json.push('"');
    }
    json.push(']');
    json
}

#[async_trait]
impl SyncTx for Tx {
    async fn held(&mut self, keys: &Keys<'_>) -> Result<Held, StoreError> {
        let seqs = keys.seqs.iter().map(|seq| to_db(*seq).map(|n| n.to_string())).collect::<Result<Vec<_>, _>>()?;
        let seqs = format!("[{}]", seqs.join(","));
        let rows = sqlx::query(sql::HELD_KEYS_SQLITE)
            .bind(json_ids(keys.mutation_ids))
            .bind(id(keys.device_id))
            .bind(seqs)
            .bind(json_ids(keys.record_ids))
            .bind(json_ids(keys.photo_ids))
            .fetch_all(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        Held::from_rows(&rows)
    }

    async fn settled_below(&mut self, device_id: DeviceId, seq: u64) -> Result<u64, StoreError> {
        let row = sqlx::query(sql::SETTLED_BELOW)
            .bind(id(device_id))
            .bind(to_db(seq)?)
            .fetch_one(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        from_db(row.try_get(0).map_err(StoreError::read)?, "count")
    }

    async fn insert_contacts(&mut self, contacts: &[&StreetContact]) -> Result<(), StoreError> {
        for chunk in contacts.chunks(CHUNK) {
            let mut query = QueryBuilder::new(sql::INSERT_CONTACTS);
            query.push_values(chunk.iter().copied(), contact_values);
            let what = format!("{} street contacts from {}", chunk.len(), chunk[0].id);
            query.build().execute(&mut *self.0).await.map_err(write_error(what))?;
        }
        self.1.extend(contacts.iter().map(|c| ChangeRow::contact(c, c.received_at)));
        Ok(())
    }

    async fn insert_signal(&mut self, signal: &NeighbourhoodSignal) -> Result<(), StoreError> {
        let what = format!("neighbourhood signal {}", signal.id);
        signal_insert(signal).execute(&mut *self.0).await.map_err(write_error(what))?;
        self.1.push(ChangeRow::signal(signal, 1, signal.received_at));
        Ok(())
    }

    async fn signal_for_edit(&mut self, signal_id: RecordId) -> Result<Option<(NeighbourhoodSignal, u64)>, StoreError> {
        // The transaction already holds SQLite's one write lock: nobody can change it.
        let row = sqlx::query(sql::SIGNAL_WITH_VERSION)
            .bind(id(signal_id))
            .fetch_optional(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        let Some(row) = row else { return Ok(None) };
        let version: i64 = row.try_get("version").map_err(StoreError::read)?;
        Ok(Some((rows::signal(&row)?, from_db(version, "signal version")?)))
    }

    async fn others_since(
        &mut self,
        signal_id: RecordId,
        base_version: u64,
        device_id: DeviceId,
    ) -> Result<bool, StoreError> {
        let row = sqlx::query(sql::OTHERS_SINCE)
            .bind(id(signal_id))
            .bind(to_db(base_version)?)
            .bind(id(device_id))
            .fetch_one(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        let count: i64 = row.try_get(0).map_err(StoreError::read)?;
        Ok(count > 0)
    }

    async fn write_edit(
        &mut self,
        signal: &NeighbourhoodSignal,
        version: u64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::APPLY_EDIT)
            .bind(id(signal.id))
            .bind(signal.status.code())
            .bind(&signal.feedback)
            .bind(to_db(version)?)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("neighbourhood signal {}", signal.id)))?;
        self.1.push(ChangeRow::signal(signal, to_db(version)?, at));
        Ok(())
    }

    async fn insert_version(
        &mut self,
        signal_id: RecordId,
        version: u64,
        device_id: Option<DeviceId>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        version_insert(signal_id, to_db(version)?, device_id, at)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("version {version} of signal {signal_id}")))?;
        Ok(())
    }

    async fn insert_conflict(&mut self, c: &ConflictRow<'_>) -> Result<(), StoreError> {
        sqlx::query(sql::INSERT_CONFLICT)
            .bind(id(c.mutation_id))
            .bind(id(c.signal_id))
            .bind(id(c.device_id))
            .bind(id(c.author_id))
            .bind(to_db(c.base_version)?)
            .bind(to_db(c.current_version)?)
            .bind(c.body)
            .bind(moment(c.created_at))
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("conflict of mutation {}", c.mutation_id)))?;
        Ok(())
    }

    async fn insert_receipts(
        &mut self,
        device_id: DeviceId,
        receipts: &[(Receipt, String)],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for chunk in receipts.chunks(CHUNK) {
            let mut query = QueryBuilder::new(sql::INSERT_RECEIPTS);
            let seqs = chunk.iter().map(|(receipt, _)| to_db(receipt.seq)).collect::<Result<Vec<_>, _>>()?;
            query.push_values(chunk.iter().zip(seqs), |mut row, ((receipt, outcome), seq)| {
                row.push_bind(id(receipt.mutation_id))
                    .push_bind(id(device_id))
                    .push_bind(seq)
                    .push_bind(outcome.clone())
                    .push_bind(moment(at));
            });
            let what = format!("{} receipts from mutation {}", chunk.len(), chunk[0].0.mutation_id);
            query.build().execute(&mut *self.0).await.map_err(write_error(what))?;
        }
        Ok(())
    }
}

#[async_trait]
impl crate::SyncStore for SqliteStore {
    async fn apply_push(&self, push: &PreparedPush) -> Result<Vec<Receipt>, StoreError> {
        apply_push(self, push).await
    }
}
