//! A team lead's review on SQLite: kept conflicts (listed, resolved) and what the
//! team's phones synced.

use async_trait::async_trait;
use domain::TeamId;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use uuid::Uuid;

use super::sync::Tx;
use super::{id, moment, SqliteStore};
use crate::feed::{ConflictRecord, Resolution, ResolveOutcome, SyncedRecord};
use crate::resolve::{self, HeldConflict, ResolveTx};
use crate::rows::Columns;
use crate::sql;
use crate::{ReviewStore, StoreError};

#[async_trait]
impl ReviewStore for SqliteStore {
    async fn open_conflicts(&self, team_id: TeamId) -> Result<Vec<ConflictRecord>, StoreError> {
        self.all(sqlx::query(sql::OPEN_CONFLICTS).bind(id(team_id)), conflict_of).await
    }

    async fn conflict(&self, mutation_id: Uuid) -> Result<Option<ConflictRecord>, StoreError> {
        self.one(sqlx::query(sql::CONFLICT).bind(id(mutation_id)), conflict_of).await
    }

    /// `BEGIN IMMEDIATE`, as for a push: the resolution writes, and holding the one write
    /// lock from the start means a second lead's resolution waits, then finds it settled.
    async fn resolve_conflict(&self, r: &Resolution) -> Result<ResolveOutcome, StoreError> {
        let what = "conflict resolution";
        let begin = self.writer.begin_with("BEGIN IMMEDIATE").await.map_err(|e| StoreError::from_sqlx(e, what))?;
        let mut tx = Tx::new(begin);
        let outcome = resolve::resolve(&mut tx, r).await?;
        tx.commit(what).await?;
        Ok(outcome)
    }

    async fn synced_records(&self, team_id: TeamId, limit: i64) -> Result<Vec<SyncedRecord>, StoreError> {
        let query = sqlx::query(sql::SYNCED_RECORDS).bind(id(team_id)).bind(crate::rows::effective_limit(limit));
        self.all(query, crate::review::synced_record).await
    }
}

fn conflict_of(row: &SqliteRow) -> Result<ConflictRecord, StoreError> {
    let int = |column: &str| -> Result<i64, StoreError> { row.try_get(column).map_err(StoreError::read) };
    crate::review::conflict(row, int("base_version")?, int("signal_version")?)
}

#[async_trait]
impl ResolveTx for Tx {
    async fn conflict_for_resolve(&mut self, mutation_id: Uuid) -> Result<Option<HeldConflict>, StoreError> {
        let row = sqlx::query(sql::CONFLICT_FOR_RESOLVE)
            .bind(id(mutation_id))
            .fetch_optional(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        row.map(|row| held(&row)).transpose()
    }

    async fn mark_resolved(&mut self, r: &Resolution) -> Result<(), StoreError> {
        sqlx::query(sql::MARK_RESOLVED)
            .bind(id(r.mutation_id))
            .bind(id(r.by))
            .bind(moment(r.at))
            .bind(r.choice.code())
            .execute(&mut *self.0)
            .await
            .map_err(|e| StoreError::from_sqlx(e, &format!("resolution of conflict {}", r.mutation_id)))?;
        Ok(())
    }
}

fn held(row: &SqliteRow) -> Result<HeldConflict, StoreError> {
    Ok(HeldConflict {
        signal_id: row.id("signal_id")?,
        body: row.text("body")?,
        resolved: row.opt_text("resolved_at")?.is_some(),
    })
}
