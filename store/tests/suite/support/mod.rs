//! A fresh database per test, for either backend: a SQLite file in its own temporary
//! folder, or a PostgreSQL database of its own on the test server, dropped afterwards,
//! so tests run in parallel without seeing each other's rows.

pub mod fixtures;

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;

use sqlx::postgres::PgPool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use store::testing::TestDatabase;
use store::{Backend, PostgresStore, SqliteStore, Store};
use tempfile::TempDir;

pub struct TestDb {
    pub backend: Backend,
    /// The URL the store was opened with, to open it again.
    pub url: String,
    pub store: Arc<dyn Store>,
    /// The store's own pool, for SQL behind its back.
    raw: RawPool,
    cleanup: Cleanup,
}

enum RawPool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

enum Cleanup {
    /// The folder (and the database in it) goes when this is dropped.
    Folder {
        _folder: TempDir,
    },
    Database(TestDatabase),
}

/// Runs one test against a fresh database of `backend`. A PostgreSQL database is
/// dropped afterwards even when the test panics; the panic then carries on.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Arc<TestDb>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_from(backend, None, test).await
}

/// A schema to start from, as an install of an earlier version would have it.
pub struct Earlier<'a> {
    /// How many of the backend's migrations were applied.
    pub migrations: usize,
    /// SQL that puts rows in it (for both backends: ids and moments as text literals).
    pub fill: &'a str,
}

/// Like [`run`], but the database first gets an earlier schema and its rows; the
/// store then opens it and applies the remaining migrations, as an upgrade would.
pub async fn run_from<F, Fut>(backend: Backend, earlier: Option<Earlier<'_>>, test: F)
where
    F: FnOnce(Arc<TestDb>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = Arc::new(match backend {
        Backend::Sqlite => TestDb::sqlite(earlier).await,
        Backend::Postgres => TestDb::postgres(earlier).await,
    });
    let outcome = tokio::spawn(test(db.clone())).await;
    match Arc::try_unwrap(db) {
        Ok(db) => db.drop_database().await,
        Err(_) => eprintln!("a test kept its database open; it is left behind"),
    }
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

/// Applies the first migrations only and runs the fill, on a pool of its own.
async fn prepare(backend: Backend, url: &str, earlier: &Earlier<'_>) {
    let mut migrator = match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    };
    migrator.migrations = migrator.migrations[..earlier.migrations].to_vec().into();
    match backend {
        Backend::Sqlite => {
            let options =
                SqliteConnectOptions::from_str(url).expect("SQLite URL").create_if_missing(true).foreign_keys(true);
            let pool = SqlitePool::connect_with(options).await.expect("raw SQLite pool");
            migrator.run(&pool).await.expect("the earlier migrations apply");
            sqlx::raw_sql(earlier.fill).execute(&pool).await.expect("the earlier rows go in");
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = PgPool::connect(url).await.expect("raw PostgreSQL pool");
            migrator.run(&pool).await.expect("the earlier migrations apply");
            sqlx::raw_sql(earlier.fill).execute(&pool).await.expect("the earlier rows go in");
            pool.close().await;
        }
    }
}

impl TestDb {
    async fn sqlite(earlier: Option<Earlier<'_>>) -> Self {
        let folder = tempfile::tempdir().expect("a temporary folder");
        // A folder that does not exist yet: connect must create it.
        let path = folder.path().join("data").join("wijkpost.db");
        let url = format!("sqlite://{}", path.display());
        if let Some(earlier) = earlier {
            std::fs::create_dir_all(folder.path().join("data")).expect("the data folder");
            prepare(Backend::Sqlite, &url, &earlier).await;
        }
        let store = SqliteStore::connect(&url).await.expect("SQLite store opens");
        let raw = RawPool::Sqlite(store.pool().clone());
        let cleanup = Cleanup::Folder { _folder: folder };
        Self { backend: Backend::Sqlite, url, store: Arc::new(store), raw, cleanup }
    }

    async fn postgres(earlier: Option<Earlier<'_>>) -> Self {
        let database = TestDatabase::create("wijkpost_t").await;
        let url = database.url.clone();
        if let Some(earlier) = earlier {
            prepare(Backend::Postgres, &url, &earlier).await;
        }
        let store = PostgresStore::connect(&url).await.expect("PostgreSQL store opens");
        let raw = RawPool::Postgres(store.pool().clone());
        let cleanup = Cleanup::Database(database);
        Self { backend: Backend::Postgres, url, store: Arc::new(store), raw, cleanup }
    }

    /// Opens the same database again, through a second store.
    pub async fn reconnect(&self) -> Arc<dyn Store> {
        store::connect(&self.url).await.expect("the store opens again")
    }

    /// Runs SQL on the store's own connections, behind the store's back, as anyone
    /// with access to the database could; returns how many rows it changed.
    pub async fn raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match &self.raw {
            RawPool::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|done| done.rows_affected()),
            RawPool::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|done| done.rows_affected()),
        }
    }

    /// How many rows `table` holds, read behind the store's back.
    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let counted = match &self.raw {
            RawPool::Sqlite(pool) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await,
            RawPool::Postgres(pool) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await,
        };
        counted.unwrap_or_else(|e| panic!("counting {table}: {e}"))
    }

    /// Runs SQL behind the store's back with `constraints` out of the way, to plant a
    /// value the store itself would never write. SQLite cannot drop a constraint, but
    /// can be told to ignore CHECKs for one connection.
    pub async fn force(&self, table: &str, constraints: &[&str], sql: &str) {
        // Pools rather than single connections: awaiting sqlx's `&mut Connection`
        // executors inside a spawned test trips the compiler's Send check.
        match self.backend {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(&self.url)
                    .expect("SQLite URL")
                    .pragma("ignore_check_constraints", "ON");
                let pool = SqlitePool::connect_with(options).await.expect("raw SQLite pool");
                sqlx::raw_sql(sql).execute(&pool).await.expect("forced SQL runs");
                pool.close().await;
            }
            Backend::Postgres => {
                let pool = PgPool::connect(&self.url).await.expect("raw PostgreSQL pool");
                for constraint in constraints {
                    let drop = format!("ALTER TABLE {table} DROP CONSTRAINT {constraint}");
                    sqlx::raw_sql(&drop).execute(&pool).await.expect("the constraint exists");
                }
                sqlx::raw_sql(sql).execute(&pool).await.expect("forced SQL runs");
                pool.close().await;
            }
        }
    }

    /// Best effort: a database left behind only costs disk space on a test server.
    async fn drop_database(self) {
        let Cleanup::Database(database) = &self.cleanup else { return };
        // The store's pool closes first, so the database is free to go.
        drop(self.store);
        drop(self.raw);
        database.drop_database().await;
    }
}
