//! Test support shared by the store's suite and the server's: a fresh PostgreSQL
//! database per test, on the server in `WIJKPOST_TEST_POSTGRES_URL`; the macro that runs
//! a test on both stores; a phone as the store keeps it. Behind the
//! `testing` feature, so it never reaches the server binary. An unreachable server
//! fails the test with a message saying how to provide one: it is never skipped.

use domain::{DeviceId, UserId};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{Connection, PgConnection};

use crate::Device;

/// Runs each named test twice: as `sqlite::name` on a fresh SQLite database and as
/// `postgres::name` on a fresh PostgreSQL database of the test server. Each test is an
/// `async fn(Arc<Db>)` in the calling module; `run` is the caller's runner, an
/// `async fn(store::Backend, test)` that makes the database, runs the test and drops the
/// database (the store's tests pass a store, the server's a database for its servers):
///
/// ```text
/// store::testing::both_stores!(run = crate::support::run; contacts_round_trip, the_demo_is_seeded_once);
/// ```
///
/// One macro for every crate's tests, so that "every store-touching test runs on both
/// stores" is written once. The calling crate needs tokio with `macros` and
/// `rt-multi-thread`.
#[macro_export]
macro_rules! both_stores {
    (run = $run:path; $($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                $run($crate::Backend::Sqlite, super::$name).await
            })+
        }
        mod postgres {
            $(#[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                $run($crate::Backend::Postgres, super::$name).await
            })+
        }
    };
}

pub use crate::both_stores;

/// A phone of `user_id`'s, registered at `created_at`, as the store keeps it: not seen
/// yet, not revoked. `credential` stands for its credential's hash and must be unique.
pub fn phone(user_id: UserId, credential: &str, created_at: DateTime<Utc>) -> Device {
    Device {
        id: DeviceId::new_v7(),
        user_id,
        label: "Android · Chrome".to_owned(),
        credential_hash: credential.to_owned(),
        created_at,
        last_seen_at: None,
        revoked_at: None,
        revoked_by: None,
        issued_at: created_at,
    }
}

pub const DEFAULT_POSTGRES_URL: &str = "postgres://root@127.0.0.1:5432/test";

/// A database made for one test; [`TestDatabase::drop_database`] removes it.
#[derive(Debug, Clone)]
pub struct TestDatabase {
    /// The URL of the new database.
    pub url: String,
    admin_url: String,
    name: String,
}

impl TestDatabase {
    /// Creates `<prefix>_<random>` on the test server.
    pub async fn create(prefix: &str) -> Self {
        let admin_url = std::env::var("WIJKPOST_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        let mut admin = admin_connection(&admin_url).await;
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        if let Err(e) = sqlx::raw_sql(&format!("CREATE DATABASE {name}")).execute(&mut admin).await {
            panic!("the test server does not let us create a database: {e}");
        }
        let _ = admin.close().await;
        let url = with_database(&admin_url, &name);
        Self { url, admin_url, name }
    }

    /// Best effort: a database left behind only costs disk space on a test server.
    pub async fn drop_database(&self) {
        let connect = PgConnection::connect(&self.admin_url);
        let Ok(Ok(mut admin)) = tokio::time::timeout(Duration::from_secs(10), connect).await else { return };
        // FORCE: pools of the test may still hold idle connections.
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        if let Err(e) = sqlx::raw_sql(&sql).execute(&mut admin).await {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
        let _ = admin.close().await;
    }
}

async fn admin_connection(admin_url: &str) -> PgConnection {
    let attempt = tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(admin_url)).await;
    let failure = match attempt {
        Ok(Ok(conn)) => return conn,
        Ok(Err(e)) => e.to_string(),
        Err(_) => "timed out".to_owned(),
    };
    panic!(
        "PostgreSQL not reachable at {} ({failure}): start one (scripts/test.sh does) or set \
         WIJKPOST_TEST_POSTGRES_URL",
        without_password(admin_url)
    )
}

/// `postgres://user:secret@host/db` → `postgres://user@host/db`.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or_default();
            format!("{scheme}://{user}{}", &rest[at..])
        }
        None => url.to_owned(),
    }
}

/// The same server URL naming another database, query parameters kept.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let path_start = base.find("://").map_or(0, |i| i + 3);
    let root = match base[path_start..].find('/') {
        Some(slash) => &base[..path_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{database}?{query}"),
        None => format!("{root}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_rewritten_and_redacted() {
        assert_eq!(with_database("postgres://root@h:5432/test", "x"), "postgres://root@h:5432/x");
        assert_eq!(with_database("postgres://h/test?sslmode=disable", "x"), "postgres://h/x?sslmode=disable");
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
        assert_eq!(without_password("postgres://u:secret@h/db"), "postgres://u@h/db");
        assert_eq!(without_password("postgres://u@h/db"), "postgres://u@h/db");
    }
}
