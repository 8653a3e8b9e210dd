//! The fault test's parts: the server process and its killer, the phone, and the
//! final count taken straight from the database.

mod phone;
mod process;

pub use phone::Phone;
pub use process::ServerProcess;

/// The fault test's contacts in the database: distinct markers, and rows.
#[derive(Debug, PartialEq, Eq)]
pub struct Counts {
    pub distinct: usize,
    pub rows: usize,
}

/// Read with SQL rather than through the server, so nothing between the count and the
/// table (a listing's page size, a cache) can hide a duplicate.
pub async fn count_contacts(url: &str) -> Counts {
    const SQL: &str = "SELECT COUNT(DISTINCT note), COUNT(*) FROM street_contacts WHERE note LIKE 'fault-test %'";
    let (distinct, rows): (i64, i64) = if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("the SQLite file");
        let counts = sqlx::query_as(SQL).fetch_one(&pool).await.expect("the count");
        pool.close().await;
        counts
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("the PostgreSQL database");
        let counts = sqlx::query_as(SQL).fetch_one(&pool).await.expect("the count");
        pool.close().await;
        counts
    };
    Counts { distinct: distinct as usize, rows: rows as usize }
}
