//! BENCHMARK-ONLY SQL: the baseline the push is measured against. A raw, batched,
//! multi-row `INSERT` of the same contacts into the same table, in one transaction per
//! batch, with none of the push's checks, receipts or dedupe. The application never
//! writes contacts this way; this file exists only so the push's ingest rate has a
//! "how fast can this database take these rows at all" figure from the same run.

use domain::StreetContact;
use sqlx::{PgPool, QueryBuilder, SqlitePool};

const COLUMNS: &str = "INSERT INTO street_contacts (id, author_id, team_id, neighbourhood_id, occurred_at, \
    received_at, mobility, kind, reason, outcome, lat, lon, accuracy_m, street, note) ";

/// A direct connection to the server's database, beside the store.
pub enum RawDb {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl RawDb {
    pub async fn connect(url: &str) -> Self {
        if url.starts_with("sqlite:") {
            Self::Sqlite(SqlitePool::connect(url).await.expect("the SQLite file"))
        } else {
            Self::Postgres(PgPool::connect(url).await.expect("the PostgreSQL database"))
        }
    }

    /// One transaction, one multi-row statement.
    pub async fn insert_contacts(&self, rows: &[StreetContact]) {
        match self {
            Self::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.expect("a transaction");
                let mut sql = QueryBuilder::new(COLUMNS);
                // The store's SQLite encodings: hyphenated text ids, fixed-width UTC text.
                let moment = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
                sql.push_values(rows, |mut row, c| {
                    let point = c.location.point;
                    row.push_bind(c.id.to_string())
                        .push_bind(c.author_id.to_string())
                        .push_bind(c.team_id.to_string())
                        .push_bind(c.neighbourhood_id.to_string())
                        .push_bind(moment(c.occurred_at))
                        .push_bind(moment(c.received_at))
                        .push_bind(c.mobility.code())
                        .push_bind(c.kind.code())
                        .push_bind(c.reason.code())
                        .push_bind(c.outcome.code())
                        .push_bind(point.map(|p| p.lat))
                        .push_bind(point.map(|p| p.lon))
                        .push_bind(c.location.accuracy_m)
                        .push_bind(c.location.street.clone())
                        .push_bind(c.note.clone());
                });
                sql.build().execute(&mut *tx).await.expect("the raw insert");
                tx.commit().await.expect("commit");
            }
            Self::Postgres(pool) => {
                let mut tx = pool.begin().await.expect("a transaction");
                let mut sql = QueryBuilder::new(COLUMNS);
                sql.push_values(rows, |mut row, c| {
                    let point = c.location.point;
                    row.push_bind(c.id)
                        .push_bind(c.author_id)
                        .push_bind(c.team_id)
                        .push_bind(c.neighbourhood_id)
                        .push_bind(c.occurred_at)
                        .push_bind(c.received_at)
                        .push_bind(c.mobility.code())
                        .push_bind(c.kind.code())
                        .push_bind(c.reason.code())
                        .push_bind(c.outcome.code())
                        .push_bind(point.map(|p| p.lat))
                        .push_bind(point.map(|p| p.lon))
                        .push_bind(c.location.accuracy_m)
                        .push_bind(c.location.street.clone())
                        .push_bind(c.note.clone());
                });
                sql.build().execute(&mut *tx).await.expect("the raw insert");
                tx.commit().await.expect("commit");
            }
        }
    }

    pub async fn close(self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }
}
