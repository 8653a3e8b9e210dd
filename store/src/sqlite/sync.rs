//! A push's reads and writes on one SQLite transaction (see `crate::sync`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::sync::Receipt;
use domain::{NeighbourhoodSignal, StreetContact};
use sqlx::{Row, Sqlite, Transaction};
use uuid::Uuid;

use super::records::{contact_insert, signal_insert, version_insert};
use super::{id, moment, SqliteStore};
use crate::rows::{self, Columns};
use crate::sql;
use crate::sync::{self, from_db, to_db, ConflictRow, PreparedPush, SyncTx};
use crate::StoreError;

/// `BEGIN IMMEDIATE`: the push writes anyway, and taking the write lock first means
/// waiting for (not failing on) another writer, which a read-then-write upgrade in
/// WAL mode would do with SQLITE_BUSY.
pub(super) async fn apply_push(db: &SqliteStore, push: &PreparedPush) -> Result<Vec<Receipt>, StoreError> {
    let begin = db.pool.begin_with("BEGIN IMMEDIATE").await.map_err(|e| StoreError::from_sqlx(e, "sync push"))?;
    let mut tx = Tx(begin);
    let receipts = sync::apply(&mut tx, push).await?;
    tx.0.commit().await.map_err(|e| StoreError::from_sqlx(e, "sync push"))?;
    Ok(receipts)
}

struct Tx(Transaction<'static, Sqlite>);

fn write_error(what: String) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::from_sqlx(e, &what)
}

#[async_trait]
impl SyncTx for Tx {
    async fn stored_receipt(&mut self, mutation_id: Uuid) -> Result<Option<(Uuid, Receipt)>, StoreError> {
        let row = sqlx::query(sql::STORED_RECEIPT)
            .bind(id(mutation_id))
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
            .bind(id(device_id))
            .bind(to_db(seq)?)
            .fetch_optional(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        row.map(|row| row.uuid("mutation_id")).transpose()
    }

    async fn settled_below(&mut self, device_id: Uuid, seq: u64) -> Result<u64, StoreError> {
        let row = sqlx::query(sql::SETTLED_BELOW)
            .bind(id(device_id))
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

    async fn others_since(&mut self, signal_id: Uuid, base_version: u64, device_id: Uuid) -> Result<bool, StoreError> {
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

    async fn write_edit(&mut self, signal: &NeighbourhoodSignal, version: u64) -> Result<(), StoreError> {
        sqlx::query(sql::APPLY_EDIT)
            .bind(id(signal.id))
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

    async fn insert_receipt(
        &mut self,
        device_id: Uuid,
        receipt: &Receipt,
        outcome: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::INSERT_RECEIPT)
            .bind(id(receipt.mutation_id))
            .bind(id(device_id))
            .bind(to_db(receipt.seq)?)
            .bind(outcome)
            .bind(moment(at))
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("receipt of mutation {}", receipt.mutation_id)))?;
        Ok(())
    }
}
