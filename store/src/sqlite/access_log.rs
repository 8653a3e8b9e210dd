//! The access log on SQLite: its listing, and its writes by group commit.
//!
//! Every read that shows personal data waits for its entries to be committed before
//! the answer leaves, and SQLite has one writer: with one transaction per request, a
//! busy server's reads queued for the writer one by one, each paying a hand-over
//! between tasks and the connection's thread. Here one task takes whatever requests
//! are waiting, writes all their entries in one transaction and answers each after
//! the commit: under load one commit serves many screens, and alone a request is
//! written at once, with no waiting for company.
//!
//! Durability is unchanged: nobody is answered before the commit holding their rows.
//! Each request is still logged whole or not at all: when a shared transaction fails
//! (one request's rows break a rule), it is rolled back and every request in it is
//! written again on its own, so each gets the answer it would have had alone.

use async_trait::async_trait;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::{id, moment, opt_id, SqliteStore};
use crate::access_log::encode_shown;
use crate::rows;
use crate::sql;
use crate::{AccessLogEntry, AccessLogQuery, AccessLogStore, StoreError};

/// Rows per statement: seven values a row stay far below SQLite's 32,766 parameters.
const CHUNK: usize = 1000;

/// The rows one transaction takes at most, so a flood of requests still gets answers
/// in steps of a few milliseconds.
const MAX_ROWS: usize = 2000;

const COLUMNS: &str = "SELECT id, at, reader_id, purpose, team_id, org_id, shown FROM access_log WHERE 1 = 1";

#[async_trait]
impl AccessLogStore for SqliteStore {
    /// Through the group commit (see the top of this file): returns once the entries
    /// are committed, or with why they were not.
    async fn append_access_log(&self, entries: &[AccessLogEntry]) -> Result<(), StoreError> {
        self.access_log.append(entries).await
    }

    /// Newest first. A record is looked for in each entry's `shown` list: no index
    /// serves it, which is right for a question asked about one record now and then.
    async fn access_log(&self, query: &AccessLogQuery) -> Result<Vec<AccessLogEntry>, StoreError> {
        let mut sql: QueryBuilder<'static, Sqlite> = QueryBuilder::new(COLUMNS);
        if let Some(team) = query.team_id {
            sql.push(" AND team_id = ").push_bind(id(team));
        }
        if let Some(org) = query.org_id {
            sql.push(" AND org_id = ").push_bind(id(org));
        }
        if let Some(record) = query.record_id {
            sql.push(
                " AND EXISTS (SELECT 1 FROM json_each(access_log.shown) AS fields, \
                 json_each(fields.value, '$.records') AS shown_record WHERE shown_record.value = ",
            )
            .push_bind(id(record))
            .push(")");
        }
        if let Some((at, entry)) = query.before {
            sql.push(" AND (at < ")
                .push_bind(moment(at))
                .push(" OR (at = ")
                .push_bind(moment(at))
                .push(" AND id < ")
                .push_bind(id(entry))
                .push("))");
        }
        sql.push(sql::ACCESS_LOG_NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
        self.all(sql.build(), rows::access_log_entry).await
    }
}

/// The queue to the writing task; the task ends once the last store clone is dropped.
#[derive(Debug, Clone)]
pub(super) struct AccessLogWriter {
    queue: mpsc::UnboundedSender<Request>,
}

struct Request {
    entries: Vec<AccessLogEntry>,
    answer: oneshot::Sender<Result<(), StoreError>>,
}

impl AccessLogWriter {
    /// Starts the writing task on `writer`, the store's one writing connection.
    pub(super) fn start(writer: SqlitePool) -> Self {
        let (queue, requests) = mpsc::unbounded_channel();
        tokio::spawn(run(writer, requests));
        Self { queue }
    }

    /// Returns once the entries are committed, or with why they were not.
    pub(super) async fn append(&self, entries: &[AccessLogEntry]) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let (answer, answered) = oneshot::channel();
        self.queue.send(Request { entries: entries.to_vec(), answer }).map_err(stopped)?;
        answered.await.map_err(stopped)?
    }
}

/// The writing task is gone: only when the runtime that ran it shut down.
fn stopped<E>(_: E) -> StoreError {
    StoreError::Unavailable(sqlx::Error::PoolClosed)
}

async fn run(writer: SqlitePool, mut requests: mpsc::UnboundedReceiver<Request>) {
    while let Some(first) = requests.recv().await {
        let mut rows = first.entries.len();
        let mut batch = vec![first];
        while rows < MAX_ROWS {
            let Ok(next) = requests.try_recv() else { break };
            rows += next.entries.len();
            batch.push(next);
        }
        if batch.len() > 1 {
            let all: Vec<&AccessLogEntry> = batch.iter().flat_map(|r| &r.entries).collect();
            if write(&writer, &all).await.is_ok() {
                for request in batch {
                    let _ = request.answer.send(Ok(()));
                }
                continue;
            }
        }
        // Alone, or after a shared transaction failed: each request on its own.
        for request in batch {
            let entries: Vec<&AccessLogEntry> = request.entries.iter().collect();
            // A requester that stopped waiting (its client went away) needs no answer.
            let _ = request.answer.send(write(&writer, &entries).await);
        }
    }
}

/// The entries in one transaction, one multi-row statement per `CHUNK`.
async fn write(writer: &SqlitePool, entries: &[&AccessLogEntry]) -> Result<(), StoreError> {
    let what = || "the access log".to_owned();
    let mut tx = writer.begin_with("BEGIN IMMEDIATE").await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    for chunk in entries.chunks(CHUNK) {
        let mut insert = QueryBuilder::<Sqlite>::new(sql::INSERT_ACCESS_LOG);
        insert.push_values(chunk, |mut row, e| {
            row.push_bind(id(e.id))
                .push_bind(moment(e.at))
                .push_bind(id(e.reader_id))
                .push_bind(e.purpose.clone())
                .push_bind(id(e.team_id))
                .push_bind(opt_id(e.org_id))
                .push_bind(encode_shown(&e.shown));
        });
        let what = format!("{} access log entries from {}", chunk.len(), chunk[0].id);
        insert.build().execute(&mut *tx).await.map_err(|e| StoreError::from_sqlx(e, &what))?;
    }
    tx.commit().await.map_err(|e| StoreError::from_sqlx(e, &what()))
}
