//! The PostgreSQL store, for production: native uuid and timestamptz columns, a
//! connection pool shared by the server's requests.
//!
//! This file holds the connection, its pool, the helpers every subject's queries go
//! through and the [`Database`] impl. Each other subject of the [`Store`](crate::Store)
//! is implemented in the file of its name: `organisation` (districts, teams,
//! neighbourhoods, partner organisations, users), `sessions`, `login_throttle`,
//! `records` (contacts, signals), `sync` (a phone's push), `feed` (pull, retention),
//! `review` (conflicts, synced records), `credentials` (password links, devices),
//! `photos` and `access_log`. The SQLite store has the same layout, so the two can be
//! read side by side.

mod access_log;
mod credentials;
mod feed;
mod login_throttle;
mod organisation;
mod photos;
mod records;
mod review;
mod sessions;
mod sync;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgArguments, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row};
use uuid::Uuid;

use crate::rows::{self, Columns};
use crate::sql;
use crate::{Backend, Database, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Enough for a district server's concurrent requests without crowding the
/// server's own connection limit (100 by default).
const MAX_CONNECTIONS: u32 = 10;
/// A request waits this long for a free connection before failing as unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// A [`Store`](crate::Store) on a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database `url` names (`postgres://user:password@host/db`) and
    /// applies the migrations. Migrating concurrently from several servers is safe:
    /// sqlx serialises it with an advisory lock.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await
            .map_err(|e| StoreError::from_sqlx(e, "the database"))?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// The connection pool, for what the [`Store`](crate::Store) trait does not cover:
    /// tests that check what the schema itself refuses, or operational tooling.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

impl Columns for PgRow {
    fn uuid(&self, column: &str) -> Result<Uuid, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn opt_uuid(&self, column: &str) -> Result<Option<Uuid>, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn moment(&self, column: &str) -> Result<DateTime<Utc>, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn opt_moment(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn text(&self, column: &str) -> Result<String, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn opt_f64(&self, column: &str) -> Result<Option<f64>, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn opt_i64(&self, column: &str) -> Result<Option<i64>, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }
}

type Query<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;
type Convert<T> = fn(&PgRow) -> Result<T, StoreError>;

impl PostgresStore {
    /// Runs a write; `what` names the record for a duplicate's message.
    async fn write(&self, query: Query<'_>, what: impl FnOnce() -> String) -> Result<u64, StoreError> {
        match query.execute(&self.pool).await {
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
impl Database for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query(sql::PING).execute(&self.pool).await.map_err(StoreError::read)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn connection_errors_show_no_password() {
        let refused = PostgresStore::connect("postgres://wijkpost:hunter2@127.0.0.1:1/wijkpost").await;
        let Err(err) = refused else { panic!("nothing listens on port 1") };
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        let mut chain = format!("{err} {err:?}");
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        assert!(!chain.contains("hunter2"), "{chain}");
    }
}
