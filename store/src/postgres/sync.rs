//! A push's reads and writes on one PostgreSQL transaction (see `crate::sync`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::sync::Receipt;
use domain::{DeviceId, NeighbourhoodSignal, RecordId, StreetContact};
use sqlx::{Postgres, Row, Transaction};
use uuid::Uuid;

use super::records::{contacts_insert, signal_insert, version_insert};
use super::PostgresStore;
use crate::feed::ChangeRow;
use crate::rows;
use crate::sql;
use crate::sync::{self, from_db, to_db, ConflictRow, Held, Keys, PreparedPush, SyncTx};
use crate::StoreError;

/// Read committed, with two locks held until commit: the device's row, so two pushes
/// of one phone (a retry racing its slow original) run one after the other and the
/// second reads the first's receipts; and each edited signal's row (see
/// [`SyncTx::signal_for_edit`]), so two devices' edits are decided one after the other.
/// Last, at commit, the change feed's lock (see `feed`), so feed rows commit in order.
pub(super) async fn apply_push(db: &PostgresStore, push: &PreparedPush) -> Result<Vec<Receipt>, StoreError> {
    let begin = db.pool.begin_with(begin_locking_device(push.device_id)).await;
    let mut tx = Tx::new(begin.map_err(|e| StoreError::from_sqlx(e, "sync push"))?);
    let receipts = sync::apply(&mut tx, push).await?;
    tx.commit("sync push").await?;
    Ok(receipts)
}

/// `BEGIN` and the lock on the device's row, in one round trip. NO KEY: the receipts'
/// foreign key to the device takes a KEY SHARE lock, which this one must not block.
/// Sent as a simple query, which takes no parameters: the id is written in, and a
/// uuid's text is hex digits and hyphens only. Every later statement of the push reads
/// a snapshot taken after the lock is held, so it sees what a push of the same device
/// committed before.
fn begin_locking_device(device_id: DeviceId) -> String {
    format!("BEGIN; SELECT id FROM devices WHERE id = '{}' FOR NO KEY UPDATE", device_id.uuid().hyphenated())
}

/// The push's (or a resolution's) transaction, and the change-feed rows its writes
/// owe, appended by [`Tx::commit`] as the last step.
pub(super) struct Tx(pub(super) Transaction<'static, Postgres>, pub(super) Vec<ChangeRow>);

impl Tx {
    pub(super) fn new(tx: Transaction<'static, Postgres>) -> Self {
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

#[async_trait]
impl SyncTx for Tx {
    async fn held(&mut self, keys: &Keys<'_>) -> Result<Held, StoreError> {
        let seqs = keys.seqs.iter().map(|seq| to_db(*seq)).collect::<Result<Vec<_>, _>>()?;
        let rows = sqlx::query(sql::HELD_KEYS_POSTGRES)
            .bind(keys.mutation_ids)
            .bind(keys.device_id)
            .bind(seqs)
            .bind(keys.record_ids)
            .bind(keys.photo_ids)
            .fetch_all(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        Held::from_rows(&rows)
    }

    async fn settled_below(&mut self, device_id: DeviceId, seq: u64) -> Result<u64, StoreError> {
        let row = sqlx::query(sql::SETTLED_BELOW)
            .bind(device_id)
            .bind(to_db(seq)?)
            .fetch_one(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        from_db(row.try_get(0).map_err(StoreError::read)?, "count")
    }

    async fn insert_contacts(&mut self, contacts: &[&StreetContact]) -> Result<(), StoreError> {
        if let Some(first) = contacts.first() {
            let what = format!("{} street contacts from {}", contacts.len(), first.id);
            contacts_insert(contacts).execute(&mut *self.0).await.map_err(write_error(what))?;
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
        // Locked until commit: a concurrent edit waits and then sees this version.
        let row = sqlx::query(sql::SIGNAL_WITH_VERSION_LOCKED)
            .bind(signal_id)
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
            .bind(signal_id)
            .bind(to_db(base_version)?)
            .bind(device_id)
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
            .bind(signal.id)
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
            .bind(c.mutation_id)
            .bind(c.signal_id)
            .bind(c.device_id)
            .bind(c.author_id)
            .bind(to_db(c.base_version)?)
            .bind(to_db(c.current_version)?)
            .bind(c.body)
            .bind(c.created_at)
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
        let Some((first, _)) = receipts.first() else { return Ok(()) };
        let what = format!("{} receipts from mutation {}", receipts.len(), first.mutation_id);
        let ids: Vec<Uuid> = receipts.iter().map(|(receipt, _)| receipt.mutation_id).collect();
        let seqs = receipts.iter().map(|(receipt, _)| to_db(receipt.seq)).collect::<Result<Vec<_>, _>>()?;
        let outcomes: Vec<&str> = receipts.iter().map(|(_, outcome)| outcome.as_str()).collect();
        sqlx::query(sql::INSERT_RECEIPTS_UNNEST)
            .bind(ids)
            .bind(device_id)
            .bind(seqs)
            .bind(outcomes)
            .bind(at)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(what))?;
        Ok(())
    }
}

#[async_trait]
impl crate::SyncStore for PostgresStore {
    async fn apply_push(&self, push: &PreparedPush) -> Result<Vec<Receipt>, StoreError> {
        apply_push(self, push).await
    }
}
