//! The access log on PostgreSQL: its writes and its listing.

use async_trait::async_trait;
use sqlx::{Postgres, QueryBuilder};

use super::PostgresStore;
use crate::access_log::{encode_shown, naming_record};
use crate::rows;
use crate::sql;
use crate::{AccessLogEntry, AccessLogQuery, AccessLogStore, StoreError};

/// Rows per statement: seven values a row stay far below PostgreSQL's 65,535 parameters.
const CHUNK: usize = 1000;

/// `shown` is JSONB, read back as its text like SQLite's.
const COLUMNS: &str = "SELECT id, at, reader_id, purpose, team_id, org_id, shown::text AS shown FROM access_log \
    WHERE TRUE";

#[async_trait]
impl AccessLogStore for PostgresStore {
    /// All entries in one statement (one transaction beyond `CHUNK`): a screen is logged
    /// whole or, if the log cannot be written, not at all (and the caller then shows
    /// nothing). PostgreSQL takes concurrent writers, so no group commit is needed.
    async fn append_access_log(&self, entries: &[AccessLogEntry]) -> Result<(), StoreError> {
        match entries {
            [] => Ok(()),
            few if few.len() <= CHUNK => {
                let mut insert = insert(few);
                insert.build().execute(&self.pool).await.map(|_| ()).map_err(entries_error(few))
            }
            many => {
                let what = || "the access log".to_owned();
                let mut tx = self.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
                for chunk in many.chunks(CHUNK) {
                    let mut insert = insert(chunk);
                    insert.build().execute(&mut *tx).await.map_err(entries_error(chunk))?;
                }
                tx.commit().await.map_err(|e| StoreError::from_sqlx(e, &what()))
            }
        }
    }

    /// Newest first. A record is looked for by JSON containment in each entry's `shown`
    /// list: no index serves it, which is right for a question asked about one record
    /// now and then.
    async fn access_log(&self, query: &AccessLogQuery) -> Result<Vec<AccessLogEntry>, StoreError> {
        let mut sql: QueryBuilder<'static, Postgres> = QueryBuilder::new(COLUMNS);
        if let Some(team) = query.team_id {
            sql.push(" AND team_id = ").push_bind(team);
        }
        if let Some(org) = query.org_id {
            sql.push(" AND org_id = ").push_bind(org);
        }
        if let Some(record) = query.record_id {
            sql.push(" AND shown @> ").push_bind(naming_record(record)).push("::jsonb");
        }
        if let Some((at, entry)) = query.before {
            sql.push(" AND (at, id) < (").push_bind(at).push(", ").push_bind(entry).push(")");
        }
        sql.push(sql::ACCESS_LOG_NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
        self.all(sql.build(), rows::access_log_entry).await
    }
}

fn insert(entries: &[AccessLogEntry]) -> QueryBuilder<'static, Postgres> {
    let mut insert = QueryBuilder::<Postgres>::new(sql::INSERT_ACCESS_LOG);
    insert.push_values(entries, |mut row, e| {
        row.push_bind(e.id)
            .push_bind(e.at)
            .push_bind(e.reader_id)
            .push_bind(e.purpose.clone())
            .push_bind(e.team_id)
            .push_bind(e.org_id)
            .push_bind(encode_shown(&e.shown))
            .push_unseparated("::jsonb");
    });
    insert
}

fn entries_error(entries: &[AccessLogEntry]) -> impl FnOnce(sqlx::Error) -> StoreError {
    let what = match entries.first() {
        Some(first) => format!("{} access log entries from {}", entries.len(), first.id),
        None => "the access log".to_owned(),
    };
    move |e| StoreError::from_sqlx(e, &what)
}
