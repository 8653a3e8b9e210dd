//! The change feed on SQLite: appending inside a writer's transaction, reading a page
//! of a phone's pull, and the retention sweep that leaves tombstones.
//!
//! SQLite has one writer at a time, so feed rows commit in `seq` order by themselves:
//! no lock beyond the write lock every writer takes anyway.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::RecordId;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::{id, moment, opt_id, SqliteStore};
use crate::feed::{ChangeRow, FeedPage, PullQuery, PullScope, DELETED_CONTACT_VERSION};
use crate::rows::{self, Columns};
use crate::sql;
use crate::sync::from_db;
use crate::{FeedStore, RecordKind, StoreError};

#[async_trait]
impl FeedStore for SqliteStore {
    /// One page, read in one transaction: in WAL mode its first read fixes the snapshot,
    /// so the feed rows and the records they point to are seen at the same moment.
    async fn pull(&self, q: &PullQuery) -> Result<FeedPage, StoreError> {
        let mut tx = self.pool.begin().await.map_err(StoreError::read)?;
        let end: i64 = sqlx::query_scalar(sql::FEED_END).fetch_one(&mut *tx).await.map_err(StoreError::read)?;
        let after = crate::sync::to_db(q.after)?;
        let query = match q.scope {
            PullScope::Team { team_id, contacts_of } => sqlx::query(sql::FEED_PAGE_TEAM)
                .bind(after)
                .bind(i64::from(q.limit) + 1)
                .bind(id(team_id))
                .bind(id(contacts_of)),
            PullScope::Organisation { org_id } => {
                sqlx::query(sql::FEED_PAGE_ORGANISATION).bind(after).bind(i64::from(q.limit) + 1).bind(id(org_id))
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
            .bind(moment(before))
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
pub(super) async fn append(conn: &mut SqliteConnection, changes: &[ChangeRow]) -> Result<(), StoreError> {
    // 9 values a row: 500 rows stay far below either backend's limit on parameters.
    for chunk in changes.chunks(500) {
        let mut insert = QueryBuilder::<Sqlite>::new(sql::INSERT_CHANGES);
        insert.push_values(chunk, |mut row, c| {
            row.push_bind(c.kind.code())
                .push_bind(id(c.record_id))
                .push_bind(c.version)
                .push_bind(id(c.team_id))
                .push_bind(id(c.author_id))
                .push_bind(opt_id(c.author_org_id))
                .push_bind(opt_id(c.referred_to_org_id))
                .push_bind(c.deleted)
                .push_bind(moment(c.at));
        });
        insert.build().execute(&mut *conn).await.map_err(|e| StoreError::from_sqlx(e, "change feed"))?;
    }
    Ok(())
}

fn entry(row: &SqliteRow) -> Result<crate::feed::Entry, StoreError> {
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
    conn: &mut SqliteConnection,
    select: &str,
    entries: &[crate::feed::Entry],
    kind: RecordKind,
    convert: fn(&SqliteRow) -> Result<T, StoreError>,
) -> Result<HashMap<RecordId, T>, StoreError> {
    let ids: Vec<RecordId> = entries.iter().filter(|e| e.kind == kind && !e.deleted).map(|e| e.record_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = QueryBuilder::<Sqlite>::new(select);
    let mut list = sql.separated(", ");
    for record_id in &ids {
        list.push_bind(id(*record_id));
    }
    sql.push(")");
    let found = sql.build().fetch_all(&mut *conn).await.map_err(StoreError::read)?;
    found.iter().map(|row| Ok((row.id("id")?, convert(row)?))).collect()
}

fn tombstone(row: &SqliteRow, at: DateTime<Utc>) -> Result<ChangeRow, StoreError> {
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
