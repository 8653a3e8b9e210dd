//! The change feed on PostgreSQL: appending inside a writer's transaction, reading a
//! page of a phone's pull, and the retention sweep that leaves tombstones.
//!
//! An identity column numbers rows when they are inserted, not when they commit. Were
//! two writers free to append at once, the one with the lower `seq` could commit
//! last, after a pull had already read past it: that change would never reach the
//! phone. So every appender takes one transaction-level advisory lock (in
//! [`sql::APPEND_CHANGES_LOCKED`]) with its feed rows and holds it to commit; appends, and so commits, happen
//! in `seq` order. The lock is the last one a transaction takes (after its row locks),
//! so its holder never waits for anyone and cannot deadlock; only the final insert and
//! the commit are serialised. The alternative, reading only below a "safe horizon" of
//! in-flight transactions, needs xid bookkeeping that is easy to get subtly wrong.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::RecordId;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};

use super::PostgresStore;
use crate::feed::{ChangeRow, FeedPage, PullQuery, PullScope, DELETED_CONTACT_VERSION};
use crate::rows::{self, Columns};
use crate::sql;
use crate::sync::from_db;
use crate::{FeedStore, RecordKind, StoreError};

#[async_trait]
impl FeedStore for PostgresStore {
    /// One page, read in one repeatable-read transaction: one snapshot for the feed rows
    /// and the records they point to.
    async fn pull(&self, q: &PullQuery) -> Result<FeedPage, StoreError> {
        let mut tx =
            self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await.map_err(StoreError::read)?;
        let end: i64 = sqlx::query_scalar(sql::FEED_END).fetch_one(&mut *tx).await.map_err(StoreError::read)?;
        let after = crate::sync::to_db(q.after)?;
        let query = match q.scope {
            PullScope::Team { team_id, contacts_of } => sqlx::query(sql::FEED_PAGE_TEAM)
                .bind(after)
                .bind(i64::from(q.limit) + 1)
                .bind(team_id)
                .bind(contacts_of),
            PullScope::Organisation { org_id } => {
                sqlx::query(sql::FEED_PAGE_ORGANISATION).bind(after).bind(i64::from(q.limit) + 1).bind(org_id)
            }
        };
        let found = query.fetch_all(&mut *tx).await.map_err(StoreError::read)?;
        let mut entries = found.iter().map(entry).collect::<Result<Vec<_>, _>>()?;
        let more = entries.len() > q.limit as usize;
        entries.truncate(q.limit as usize);
        let contacts = by_id(&mut tx, sql::CONTACTS_BY_ID, &entries, RecordKind::Contact, rows::contact).await?;
        let signals = by_id(&mut tx, sql::SIGNALS_BY_ID, &entries, RecordKind::Signal, rows::signal).await?;
        tx.commit().await.map_err(StoreError::read)?;
        Ok(crate::feed::page(entries, contacts, signals, from_db(end, "feed end")?, q.after, more))
    }

    /// Deletes the contacts that happened before `before`, each leaving a tombstone in
    /// the same transaction.
    async fn delete_contacts_before(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let what = || "retention of street contacts".to_owned();
        let mut tx = self.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
        let gone = sqlx::query(sql::RETENTION_DELETE)
            .bind(before)
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| StoreError::from_sqlx(e, &what()))?;
        let tombstones = gone.iter().map(|row| tombstone(row, now)).collect::<Result<Vec<_>, _>>()?;
        append(&mut tx, &tombstones).await?;
        tx.commit().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
        Ok(tombstones.len() as u64)
    }
}

/// Appends the rows on the writer's open transaction.
pub(super) async fn append(conn: &mut PgConnection, changes: &[ChangeRow]) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    sqlx::query(sql::APPEND_CHANGES_LOCKED)
        .bind(changes.iter().map(|c| c.kind.code()).collect::<Vec<_>>())
        .bind(changes.iter().map(|c| c.record_id).collect::<Vec<_>>())
        .bind(changes.iter().map(|c| c.version).collect::<Vec<_>>())
        .bind(changes.iter().map(|c| c.team_id).collect::<Vec<_>>())
        .bind(changes.iter().map(|c| c.author_id).collect::<Vec<_>>())
        .bind(changes.iter().map(|c| c.author_org_id).collect::<Vec<_>>())
        .bind(changes.iter().map(|c| c.referred_to_org_id).collect::<Vec<_>>())
        .bind(changes.iter().map(|c| c.deleted).collect::<Vec<_>>())
        .bind(changes.iter().map(|c| c.at).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await
        .map_err(|e| StoreError::from_sqlx(e, "change feed"))?;
    Ok(())
}

fn entry(row: &PgRow) -> Result<crate::feed::Entry, StoreError> {
    let kind: String = row.text("record_kind")?;
    Ok(crate::feed::Entry {
        seq: from_db(row.try_get("seq").map_err(StoreError::read)?, "feed seq")?,
        kind: RecordKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("feed kind {kind:?}")))?,
        record_id: row.id("record_id")?,
        version: from_db(row.try_get("version").map_err(StoreError::read)?, "feed version")?,
        deleted: row.try_get("deleted").map_err(StoreError::read)?,
    })
}

/// The live records of `kind` among the entries, by id.
async fn by_id<T>(
    conn: &mut PgConnection,
    select: &str,
    entries: &[crate::feed::Entry],
    kind: RecordKind,
    convert: fn(&PgRow) -> Result<T, StoreError>,
) -> Result<HashMap<RecordId, T>, StoreError> {
    let ids: Vec<RecordId> = entries.iter().filter(|e| e.kind == kind && !e.deleted).map(|e| e.record_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = QueryBuilder::<Postgres>::new(select);
    let mut list = sql.separated(", ");
    for record_id in &ids {
        list.push_bind(*record_id);
    }
    sql.push(")");
    let found = sql.build().fetch_all(&mut *conn).await.map_err(StoreError::read)?;
    found.iter().map(|row| Ok((row.id("id")?, convert(row)?))).collect()
}

fn tombstone(row: &PgRow, at: DateTime<Utc>) -> Result<ChangeRow, StoreError> {
    Ok(ChangeRow {
        kind: RecordKind::Contact,
        record_id: row.id("id")?,
        version: DELETED_CONTACT_VERSION,
        team_id: row.id("team_id")?,
        author_id: row.id("author_id")?,
        author_org_id: None,
        referred_to_org_id: None,
        deleted: true,
        at,
    })
}
