//! The SQLite store: one file, for a single server or a laptop demo.
//!
//! Ids are stored as hyphenated text and moments as fixed-width UTC text (see the
//! migration), both converted in `columns` rather than by sqlx's defaults: sqlx would
//! store a uuid as a blob and a moment in a variable-width form that does not sort.
//!
//! This file holds the connection, its pools, the helpers every subject's queries go
//! through and the [`Database`] impl. Each other subject of the [`Store`](crate::Store)
//! is implemented in the file of its name: `organisation` (districts, teams,
//! neighbourhoods, partner organisations, users), `sessions`, `login_throttle`,
//! `records` (contacts, signals), `sync` (a phone's push), `feed` (pull, retention),
//! `review` (conflicts, synced records), `credentials` (password links, devices),
//! `photos` and `access_log` (its listing and group commit); `checkpoint` and
//! `columns` serve them all.

mod access_log;
mod checkpoint;
mod columns;
mod credentials;
mod feed;
mod login_throttle;
mod organisation;
mod photos;
mod records;
mod review;
mod sessions;
mod sync;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Row, Sqlite};

use columns::{id, moment, opt_id, opt_moment};

use crate::rows;
use crate::sql;
use crate::{Backend, Database, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Long enough to ride out another connection's write, short enough to fail visibly.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// SQLite has one writer at a time; a few connections are for concurrent readers.
const MAX_CONNECTIONS: u32 = 4;

/// A [`Store`](crate::Store) on a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// One connection for the writes that meet under load: pushes, resolutions, photo
    /// chunks and one-line writes. Waiting for it is a fair queue that wakes the next
    /// writer at once. Writers spread over `pool` instead waited in SQLite's busy
    /// handler, which polls with sleeps of up to 100 ms and is not woken when the lock
    /// frees, each holding a connection the readers needed: with 200 phones pushing,
    /// p99 went to 0.6 s. And a connection that made the last write keeps its page
    /// cache, where one that finds another's write must drop it and read the pages
    /// again. Other processes on the file still meet `BUSY_TIMEOUT`; the lock itself
    /// stays SQLite's.
    writer: SqlitePool,
    /// The access log's rows, written on `writer` many requests to a transaction.
    access_log: access_log::AccessLogWriter,
    /// `None` in memory, where there is no WAL to checkpoint.
    _checkpointer: Option<checkpoint::Checkpointer>,
}

impl SqliteStore {
    /// Opens (creating when missing) the database that `url` names, `sqlite://path`,
    /// `sqlite:path` or a bare path, and applies the migrations. `sqlite::memory:` gives
    /// a private in-memory database, for experiments; it is gone when the store is.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = if url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url).map_err(StoreError::Unavailable)?
        } else {
            SqliteConnectOptions::new().filename(url)
        };
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if !in_memory {
            create_parent_folder(options.get_filename()).await?;
        }
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL is still crash-safe; only the last commits before a
            // power cut may be lost, and commits no longer wait for a disk flush.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = if in_memory {
            // Every connection to an in-memory database must stay open, or its data goes.
            SqlitePoolOptions::new().max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None)
        } else {
            SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS)
        };
        let pool = pool
            .acquire_timeout(BUSY_TIMEOUT * 2)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::from_sqlx(e, "the database file"))?;
        MIGRATOR.run(&pool).await?;
        let (writer, checkpointer) = if in_memory {
            // A second pool would open a second, empty in-memory database.
            (pool.clone(), None)
        } else {
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(BUSY_TIMEOUT * 2)
                .connect_with(options.pragma("wal_autocheckpoint", checkpoint::WRITER_AUTOCHECKPOINT_PAGES))
                .await
                .map_err(|e| StoreError::from_sqlx(e, "the database file"))?;
            (writer, Some(checkpoint::Checkpointer::start(pool.clone())))
        };
        let access_log = access_log::AccessLogWriter::start(writer.clone());
        Ok(Self { pool, writer, access_log, _checkpointer: checkpointer })
    }

    /// The connection pool, for what the [`Store`](crate::Store) trait does not cover:
    /// tests that check what the schema itself refuses, or operational tooling.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

async fn create_parent_folder(file: &Path) -> Result<(), StoreError> {
    match file.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => {
            tokio::fs::create_dir_all(folder).await.map_err(|e| StoreError::Unavailable(sqlx::Error::Io(e)))
        }
        _ => Ok(()),
    }
}

type Query<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>;
type Convert<T> = fn(&SqliteRow) -> Result<T, StoreError>;

impl SqliteStore {
    /// Runs a write; `what` names the record for a duplicate's message.
    async fn write(&self, query: Query<'_>, what: impl FnOnce() -> String) -> Result<u64, StoreError> {
        match query.execute(&self.writer).await {
            Ok(done) => Ok(done.rows_affected()),
            Err(e) => Err(StoreError::from_sqlx(e, &what())),
        }
    }

    async fn all<T>(&self, query: Query<'_>, convert: Convert<T>) -> Result<Vec<T>, StoreError> {
        let found = query.fetch_all(&self.pool).await.map_err(StoreError::read)?;
        rows::all(&found, convert)
    }

    async fn one<T>(&self, query: Query<'_>, convert: Convert<T>) -> Result<Option<T>, StoreError> {
        let found = query.fetch_optional(&self.pool).await.map_err(StoreError::read)?;
        found.as_ref().map(convert).transpose()
    }

    async fn count(&self, query: Query<'_>) -> Result<i64, StoreError> {
        let row = query.fetch_one(&self.pool).await.map_err(StoreError::read)?;
        row.try_get(0).map_err(StoreError::read)
    }
}

#[async_trait]
impl Database for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query(sql::PING).execute(&self.pool).await.map_err(StoreError::read)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use domain::District;

    #[tokio::test]
    async fn urls_in_every_form_create_their_folder_and_file() {
        let folder = tempfile::tempdir().expect("folder");
        let base = folder.path().display();
        for url in
            [format!("sqlite://{base}/a/one.db"), format!("sqlite:{base}/b/two.db"), format!("{base}/c/d/three.db")]
        {
            SqliteStore::connect(&url).await.expect(&url).ping().await.expect("ping");
        }
        for file in ["a/one.db", "b/two.db", "c/d/three.db"] {
            assert!(folder.path().join(file).is_file(), "{file}");
        }
        let memory = SqliteStore::connect("sqlite::memory:").await.expect("in memory");
        memory
            .insert_district(&District { id: domain::DistrictId::new_v7(), name: "Lillo".into() })
            .await
            .expect("insert");
        assert_eq!(memory.districts().await.expect("read").len(), 1, "one database across the pool");
    }
}
