//! A push's reads and writes on one PostgreSQL transaction (see `crate::sync`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::sync::Receipt;
use domain::{NeighbourhoodSignal, StreetContact};
use sqlx::{Postgres, Row, Transaction};
use uuid::Uuid;

use super::records::{contact_insert, signal_insert, version_insert};
use super::PostgresStore;
use crate::rows::{self, Columns};
use crate::sql;
use crate::sync::{self, from_db, to_db, ConflictRow, PreparedPush, SyncTx};
use crate::StoreError;

/// Read committed, with two locks held until commit: the device's row, so two pushes
/// of one phone (a retry racing its slow original) run one after the other and the
/// second reads the first's receipts; and each edited signal's row (see
/// [`SyncTx::signal_for_edit`]), so two devices' edits are decided one after the other.
pub(super) async fn apply_push(db: &PostgresStore, push: &PreparedPush) -> Result<Vec<Receipt>, StoreError> {
    let begin = db.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, "sync push"))?;
    let mut tx = Tx(begin);
    sqlx::query(sql::LOCK_DEVICE).bind(push.device_id).fetch_optional(&mut *tx.0).await.map_err(StoreError::read)?;
    let receipts = sync::apply(&mut tx, push).await?;
    tx.0.commit().await.map_err(|e| StoreError::from_sqlx(e, "sync push"))?;
    Ok(receipts)
}

struct Tx(Transaction<'static, Postgres>);

fn write_error(what: String) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::from_sqlx(e, &what)
}

#[async_trait]
impl SyncTx for Tx {
    async fn stored_receipt(&mut self, mutation_id: Uuid) -> Result<Option<(Uuid, Receipt)>, StoreError> {
        let row = sqlx::query(sql::STORED_RECEIPT)
            .bind(mutation_id)
            .fetch_optional(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        let Some(row) = row else { return Ok(None) };
        let seq: i64 = row.try_get("seq").map_err(StoreError::read)?;
        let receipt = sync::stored_receipt(mutation_id, seq, &row.text("outcome")?)?;
        Ok(Some((row.uuid("device_id")?, receipt)))
    }

    async fn seq_holder(&mut self, device_id: Uuid, seq: u64) -> Result<Option<Uuid>, StoreError> {
        let row = sqlx::query(sql::SEQ_HOLDER)
            .bind(device_id)
            .bind(to_db(seq)?)
            .fetch_optional(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        row.map(|row| row.uuid("mutation_id")).transpose()
    }

    async fn settled_below(&mut self, device_id: Uuid, seq: u64) -> Result<u64, StoreError> {
        let row = sqlx::query(sql::SETTLED_BELOW)
            .bind(device_id)
            .bind(to_db(seq)?)
            .fetch_one(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        from_db(row.try_get(0).map_err(StoreError::read)?, "count")
    }

    async fn insert_contact(&mut self, contact: &StreetContact) -> Result<(), StoreError> {
        let what = format!("street contact {}", contact.id);
        contact_insert(contact).execute(&mut *self.0).await.map_err(write_error(what))?;
        Ok(())
    }

    async fn insert_signal(&mut self, signal: &NeighbourhoodSignal) -> Result<(), StoreError> {
        let what = format!("neighbourhood signal {}", signal.id);
        signal_insert(signal).execute(&mut *self.0).await.map_err(write_error(what))?;
        Ok(())
    }

    async fn signal_for_edit(&mut self, signal_id: Uuid) -> Result<Option<(NeighbourhoodSignal, u64)>, StoreError> {
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

    async fn others_since(&mut self, signal_id: Uuid, base_version: u64, device_id: Uuid) -> Result<bool, StoreError> {
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

    async fn write_edit(&mut self, signal: &NeighbourhoodSignal, version: u64) -> Result<(), StoreError> {
        sqlx::query(sql::APPLY_EDIT)
            .bind(signal.id)
            .bind(signal.status.code())
            .bind(&signal.feedback)
            .bind(to_db(version)?)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("neighbourhood signal {}", signal.id)))?;
        Ok(())
    }

    async fn insert_version(
        &mut self,
        signal_id: Uuid,
        version: u64,
        device_id: Option<Uuid>,
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

    async fn insert_receipt(
        &mut self,
        device_id: Uuid,
        receipt: &Receipt,
        outcome: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::INSERT_RECEIPT)
            .bind(receipt.mutation_id)
            .bind(device_id)
            .bind(to_db(receipt.seq)?)
            .bind(outcome)
            .bind(at)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("receipt of mutation {}", receipt.mutation_id)))?;
        Ok(())
    }
}
