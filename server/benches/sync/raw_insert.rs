//! BENCHMARK-ONLY SQL: the baseline the push is measured against. The same three rows
//! per entry the push writes (the street contact, the phone's receipt, the change-feed
//! row), raw: one multi-row `INSERT` per table, in one transaction per batch, with
//! none of the push's checks, dedupe reads or locks. The application never writes
//! entries this way; this file exists only so the push's ingest rate has a "how fast
//! can this database take these rows at all" figure from the same run. Each statement
//! has the form the store's push uses on that database (`VALUES` rows on SQLite, an
//! array per column on PostgreSQL, where it is faster than `VALUES` rows): the ratio
//! then shows what the push does beyond the rows, not a difference in how they are sent.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use domain::{DeviceId, StreetContact};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{PgPool, QueryBuilder, SqlitePool};

// SQLite: followed by `VALUES` rows.
const CONTACTS: &str = "INSERT INTO street_contacts (id, author_id, team_id, neighbourhood_id, occurred_at, \
    received_at, mobility, kind, reason, outcome, lat, lon, accuracy_m, street, note) ";
const RECEIPTS: &str = "INSERT INTO sync_receipts (mutation_id, device_id, seq, outcome, received_at) ";
const FEED: &str = "INSERT INTO sync_changes (record_kind, record_id, version, team_id, author_id, \
    author_org_id, referred_to_org_id, deleted, changed_at) ";

// PostgreSQL: one array per column.
const CONTACTS_UNNEST: &str = "INSERT INTO street_contacts (id, author_id, team_id, neighbourhood_id, \
    occurred_at, received_at, mobility, kind, reason, outcome, lat, lon, accuracy_m, street, note) \
    SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], \
    $7::text[], $8::text[], $9::text[], $10::text[], $11::float8[], $12::float8[], $13::float8[], $14::text[], \
    $15::text[])";
const RECEIPTS_UNNEST: &str = "INSERT INTO sync_receipts (mutation_id, device_id, seq, outcome, received_at) \
    SELECT m, $2, s, o, $5 FROM UNNEST($1::uuid[], $3::bigint[], $4::text[]) AS r (m, s, o)";
const FEED_UNNEST: &str = "INSERT INTO sync_changes (record_kind, record_id, version, team_id, author_id, \
    author_org_id, referred_to_org_id, deleted, changed_at) \
    SELECT 'contact', r, 1, t, a, NULL, NULL, FALSE, w FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], \
    $4::timestamptz[]) AS c (r, t, a, w)";

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// One synced entry as the push stores it: the contact (its id is the mutation id),
/// and the receipt's seq and outcome (the JSON a replay answers).
pub struct Entry {
    pub contact: StreetContact,
    pub seq: i64,
    pub outcome: String,
}

/// A direct connection to the server's database, beside the store.
pub enum RawDb {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl RawDb {
    pub async fn connect(url: &str) -> Self {
        if url.starts_with("sqlite:") {
            // The store writer's settings (see `store::sqlite`): its durability, not
            // sqlx's default synchronous=FULL, which waits for a disk flush at every
            // commit; and its WAL checkpoints left to the store's background task, not
            // run inside every few commits.
            let options = SqliteConnectOptions::from_str(url)
                .expect("a SQLite URL")
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .pragma("wal_autocheckpoint", "10000");
            Self::Sqlite(SqlitePool::connect_with(options).await.expect("the SQLite file"))
        } else {
            Self::Postgres(PgPool::connect(url).await.expect("the PostgreSQL database"))
        }
    }

    /// One transaction, one multi-row statement per table; `device` is the phone the
    /// receipts are stored for, `at` when the batch was received.
    pub async fn insert(&self, entries: &[Entry], device: DeviceId, at: DateTime<Utc>) {
        match self {
            Self::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.expect("a transaction");
                for mut statement in sqlite_statements(entries, device, at) {
                    statement.build().execute(&mut *tx).await.expect("the raw insert");
                }
                tx.commit().await.expect("commit");
            }
            Self::Postgres(pool) => {
                let mut tx = pool.begin().await.expect("a transaction");
                for statement in postgres_statements(entries, device, at) {
                    statement.execute(&mut *tx).await.expect("the raw insert");
                }
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

/// The store's SQLite encodings: hyphenated text ids, fixed-width UTC text.
fn sqlite_statements(entries: &[Entry], device: DeviceId, at: DateTime<Utc>) -> [QueryBuilder<'_, sqlx::Sqlite>; 3] {
    let moment = |at: DateTime<Utc>| at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let mut contacts = QueryBuilder::new(CONTACTS);
    contacts.push_values(entries, |mut row, Entry { contact: c, .. }| {
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
    let mut receipts = QueryBuilder::new(RECEIPTS);
    receipts.push_values(entries, |mut row, e| {
        row.push_bind(e.contact.id.to_string())
            .push_bind(device.to_string())
            .push_bind(e.seq)
            .push_bind(e.outcome.clone())
            .push_bind(moment(at));
    });
    let mut feed = QueryBuilder::new(FEED);
    feed.push_values(entries, |mut row, Entry { contact: c, .. }| {
        row.push_bind("contact")
            .push_bind(c.id.to_string())
            .push_bind(1_i64)
            .push_bind(c.team_id.to_string())
            .push_bind(c.author_id.to_string())
            .push_bind(None::<String>)
            .push_bind(None::<String>)
            .push_bind(false)
            .push_bind(moment(c.received_at));
    });
    [contacts, receipts, feed]
}

/// The form the store's PostgreSQL push writes in: one array per column, one
/// statement per table whatever the batch's size. The feed's constant columns are
/// written as constants, not arrays.
fn postgres_statements(entries: &[Entry], device: DeviceId, at: DateTime<Utc>) -> [PgQuery<'_>; 3] {
    let contacts: Vec<&StreetContact> = entries.iter().map(|e| &e.contact).collect();
    let column = |value: fn(&StreetContact) -> Option<f64>| contacts.iter().map(|c| value(c)).collect::<Vec<_>>();
    let contacts_insert = sqlx::query(CONTACTS_UNNEST)
        .bind(contacts.iter().map(|c| c.id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.author_id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.team_id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.neighbourhood_id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.occurred_at).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.received_at).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.mobility.code()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.kind.code()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.reason.code()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.outcome.code()).collect::<Vec<_>>())
        .bind(column(|c| c.location.point.map(|p| p.lat)))
        .bind(column(|c| c.location.point.map(|p| p.lon)))
        .bind(column(|c| c.location.accuracy_m))
        .bind(contacts.iter().map(|c| c.location.street.as_deref()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.note.as_deref()).collect::<Vec<_>>());
    let receipts = sqlx::query(RECEIPTS_UNNEST)
        .bind(entries.iter().map(|e| e.contact.id).collect::<Vec<_>>())
        .bind(device)
        .bind(entries.iter().map(|e| e.seq).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.outcome.as_str()).collect::<Vec<_>>())
        .bind(at);
    let feed = sqlx::query(FEED_UNNEST)
        .bind(contacts.iter().map(|c| c.id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.team_id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.author_id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.received_at).collect::<Vec<_>>());
    [contacts_insert, receipts, feed]
}
