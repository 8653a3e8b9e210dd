//! A fresh database for each case, so cases never see each other's rows (the simulator
//! numbers its ids from the same start every time): a SQLite file in its own temporary
//! folder, or a PostgreSQL database of its own on the test server, dropped afterwards.

use std::sync::Arc;

use sqlx::postgres::{PgPool, PgRow};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::FromRow;
use store::testing::TestDatabase;
use store::{Backend, PostgresStore, SqliteStore, Store};
use tempfile::TempDir;

pub struct Database {
    pub store: Arc<dyn Store>,
    /// The store's own pool, to read what the store offers no method for.
    raw: Raw,
    cleanup: Cleanup,
}

enum Raw {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

enum Cleanup {
    /// The folder (and the database file in it) goes when this is dropped.
    Folder {
        _folder: TempDir,
    },
    Database(TestDatabase),
}

impl Database {
    /// A new, migrated database of `backend`. An unreachable PostgreSQL server fails the
    /// test with a message saying how to provide one (`store::testing`): never skipped.
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let folder = tempfile::tempdir().expect("a temporary folder");
                let url = format!("sqlite://{}", folder.path().join("wijkpost.db").display());
                let store = SqliteStore::connect(&url).await.expect("SQLite store opens");
                let raw = Raw::Sqlite(store.pool().clone());
                Self { store: Arc::new(store), raw, cleanup: Cleanup::Folder { _folder: folder } }
            }
            Backend::Postgres => {
                let database = TestDatabase::create("wijkpost_model").await;
                let store = PostgresStore::connect(&database.url).await.expect("PostgreSQL store opens");
                let raw = Raw::Postgres(store.pool().clone());
                Self { store: Arc::new(store), raw, cleanup: Cleanup::Database(database) }
            }
        }
    }

    /// Rows read behind the store's back. The SQL must read the same on both backends
    /// (ids as `CAST(… AS TEXT)`, numbers as `BIGINT`).
    pub async fn rows<T>(&self, sql: &str) -> Vec<T>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let rows = match &self.raw {
            Raw::Sqlite(pool) => sqlx::query_as::<_, T>(sql).fetch_all(pool).await,
            Raw::Postgres(pool) => sqlx::query_as::<_, T>(sql).fetch_all(pool).await,
        };
        rows.unwrap_or_else(|e| panic!("reading {sql}: {e}"))
    }

    /// Best effort, like the store suite's: a database left behind only costs disk space.
    pub async fn drop_database(self) {
        let Self { store, raw, cleanup } = self;
        // The pools close first, so the database is free to go.
        drop(store);
        match raw {
            Raw::Sqlite(pool) => pool.close().await,
            Raw::Postgres(pool) => pool.close().await,
        }
        if let Cleanup::Database(database) = cleanup {
            database.drop_database().await;
        }
    }
}
