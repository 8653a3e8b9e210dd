//! The SQLite store: one file, for a single server or a laptop demo.
//!
//! Ids are stored as hyphenated text and moments as fixed-width UTC text (see the
//! migration), both converted here rather than by sqlx's defaults: sqlx would store
//! a uuid as a blob and a moment in a variable-width form that does not sort.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{
    District, Neighbourhood, NeighbourhoodSignal, PartnerOrganisation, StreetContact, Team, User,
};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite};
use uuid::Uuid;

use crate::rows::{self, Columns};
use crate::sql;
use crate::{Backend, Credentials, RecordQuery, Session, Store, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Long enough to ride out another connection's write, short enough to fail visibly.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// SQLite has one writer at a time; a few connections are for concurrent readers.
const MAX_CONNECTIONS: u32 = 4;

/// A [`Store`] on a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
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
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS)
        };
        let pool = pool
            .acquire_timeout(BUSY_TIMEOUT * 2)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::from_sqlx(e, "the database file"))?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }
}

async fn create_parent_folder(file: &Path) -> Result<(), StoreError> {
    match file.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => tokio::fs::create_dir_all(folder)
            .await
            .map_err(|e| StoreError::Unavailable(sqlx::Error::Io(e))),
        _ => Ok(()),
    }
}

/// The stored form of an id.
fn id(id: Uuid) -> String {
    id.hyphenated().to_string()
}

fn opt_id(id: Option<Uuid>) -> Option<String> {
    id.map(self::id)
}

/// The stored form of a moment: always six fractional digits and a `Z`, so that text
/// order is time order. Sub-microsecond digits are cut, as PostgreSQL does.
fn moment(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

impl Columns for SqliteRow {
    fn uuid(&self, column: &str) -> Result<Uuid, StoreError> {
        rows::parse_uuid(&self.text(column)?, column)
    }

    fn opt_uuid(&self, column: &str) -> Result<Option<Uuid>, StoreError> {
        self.opt_text(column)?.map(|raw| rows::parse_uuid(&raw, column)).transpose()
    }

    fn moment(&self, column: &str) -> Result<DateTime<Utc>, StoreError> {
        rows::parse_moment(&self.text(column)?, column)
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
}

type Query<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>;

/// A listing of `table`, filtered by the query, newest first.
fn listing(columns: &str, table: &str, query: &RecordQuery) -> QueryBuilder<'static, Sqlite> {
    let mut sql = QueryBuilder::new(format!("SELECT {columns} FROM {table} WHERE 1 = 1"));
    if let Some(team) = query.team_id {
        sql.push(" AND team_id = ").push_bind(id(team));
    }
    if let Some(author) = query.author_id {
        sql.push(" AND author_id = ").push_bind(id(author));
    }
    if let Some(neighbourhood) = query.neighbourhood_id {
        sql.push(" AND neighbourhood_id = ").push_bind(id(neighbourhood));
    }
    sql.push(sql::NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
    sql
}

impl SqliteStore {
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

type Convert<T> = fn(&SqliteRow) -> Result<T, StoreError>;

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query(sql::PING).execute(&self.pool).await.map_err(StoreError::read)?;
        Ok(())
    }

    async fn insert_district(&self, d: &District) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_DISTRICT).bind(id(d.id)).bind(&d.name);
        self.write(query, || format!("district {:?}", d.name)).await.map(|_| ())
    }

    async fn insert_team(&self, t: &Team) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_TEAM).bind(id(t.id)).bind(id(t.district_id)).bind(&t.name);
        self.write(query, || format!("team {:?}", t.name)).await.map(|_| ())
    }

    async fn insert_neighbourhood(&self, n: &Neighbourhood) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_NEIGHBOURHOOD)
            .bind(id(n.id))
            .bind(id(n.district_id))
            .bind(&n.name)
            .bind(&n.boundary_geojson);
        self.write(query, || format!("neighbourhood {:?}", n.name)).await.map(|_| ())
    }

    async fn insert_partner_organisation(&self, o: &PartnerOrganisation) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_PARTNER_ORGANISATION)
            .bind(id(o.id))
            .bind(&o.name)
            .bind(o.kind.code())
            .bind(opt_id(o.district_id));
        self.write(query, || format!("partner organisation {:?}", o.name)).await.map(|_| ())
    }

    async fn insert_user(&self, u: &User, password_hash: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_USER)
            .bind(id(u.id))
            .bind(&u.username)
            .bind(rows::username_key(&u.username))
            .bind(&u.display_name)
            .bind(password_hash)
            .bind(u.role.code())
            .bind(opt_id(u.team_id))
            .bind(opt_id(u.partner_org_id));
        self.write(query, || format!("user {:?}", u.username)).await.map(|_| ())
    }

    async fn districts(&self) -> Result<Vec<District>, StoreError> {
        self.all(sqlx::query(sql::DISTRICTS), rows::district).await
    }

    async fn teams(&self) -> Result<Vec<Team>, StoreError> {
        self.all(sqlx::query(sql::TEAMS), rows::team).await
    }

    async fn neighbourhoods(&self) -> Result<Vec<Neighbourhood>, StoreError> {
        self.all(sqlx::query(sql::NEIGHBOURHOODS), rows::neighbourhood).await
    }

    async fn neighbourhoods_of_team(&self, team_id: Uuid) -> Result<Vec<Neighbourhood>, StoreError> {
        let query = sqlx::query(sql::NEIGHBOURHOODS_OF_TEAM).bind(id(team_id));
        self.all(query, rows::neighbourhood).await
    }

    async fn neighbourhood(&self, neighbourhood_id: Uuid) -> Result<Option<Neighbourhood>, StoreError> {
        let query = sqlx::query(sql::NEIGHBOURHOOD).bind(id(neighbourhood_id));
        self.one(query, rows::neighbourhood).await
    }

    async fn partner_organisations(&self) -> Result<Vec<PartnerOrganisation>, StoreError> {
        self.all(sqlx::query(sql::PARTNER_ORGANISATIONS), rows::partner_organisation).await
    }

    async fn user(&self, user_id: Uuid) -> Result<Option<User>, StoreError> {
        self.one(sqlx::query(sql::USER).bind(id(user_id)), rows::user).await
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        self.all(sqlx::query(sql::USERS), rows::user).await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let query = sqlx::query(sql::CREDENTIALS).bind(rows::username_key(username));
        self.one(query, rows::credentials).await
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        self.count(sqlx::query(sql::COUNT_USERS)).await
    }

    async fn insert_session(&self, s: &Session) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_SESSION)
            .bind(&s.token_hash)
            .bind(id(s.user_id))
            .bind(moment(s.created_at))
            .bind(moment(s.expires_at));
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn live_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError> {
        let query = sqlx::query(sql::LIVE_SESSION).bind(token_hash).bind(moment(now));
        self.one(query, rows::session).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::DELETE_SESSION).bind(token_hash);
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_EXPIRED_SESSIONS).bind(moment(now));
        self.write(query, || "expired sessions".to_owned()).await
    }

    async fn insert_contact(&self, c: &StreetContact) -> Result<(), StoreError> {
        let point = c.location.point;
        let query = sqlx::query(sql::INSERT_CONTACT)
            .bind(id(c.id))
            .bind(id(c.author_id))
            .bind(id(c.team_id))
            .bind(id(c.neighbourhood_id))
            .bind(moment(c.occurred_at))
            .bind(moment(c.received_at))
            .bind(c.mobility.code())
            .bind(c.kind.code())
            .bind(c.reason.code())
            .bind(c.outcome.code())
            .bind(point.map(|p| p.lat))
            .bind(point.map(|p| p.lon))
            .bind(c.location.accuracy_m)
            .bind(&c.location.street)
            .bind(&c.note);
        self.write(query, || format!("street contact {}", c.id)).await.map(|_| ())
    }

    async fn contacts(&self, query: &RecordQuery) -> Result<Vec<StreetContact>, StoreError> {
        let mut sql = listing(sql::CONTACT_COLUMNS, "street_contacts", query);
        self.all(sql.build(), rows::contact).await
    }

    async fn count_contacts(&self, team_id: Option<Uuid>) -> Result<i64, StoreError> {
        self.count(match team_id {
            Some(team) => sqlx::query(sql::COUNT_TEAM_CONTACTS).bind(id(team)),
            None => sqlx::query(sql::COUNT_CONTACTS),
        })
        .await
    }

    async fn insert_signal(&self, s: &NeighbourhoodSignal) -> Result<(), StoreError> {
        let point = s.location.point;
        let query = sqlx::query(sql::INSERT_SIGNAL)
            .bind(id(s.id))
            .bind(id(s.author_id))
            .bind(id(s.team_id))
            .bind(id(s.neighbourhood_id))
            .bind(moment(s.occurred_at))
            .bind(moment(s.received_at))
            .bind(s.category.code())
            .bind(s.urgency.code())
            .bind(s.status.code())
            .bind(&s.description)
            .bind(point.map(|p| p.lat))
            .bind(point.map(|p| p.lon))
            .bind(s.location.accuracy_m)
            .bind(&s.location.street);
        self.write(query, || format!("neighbourhood signal {}", s.id)).await.map(|_| ())
    }

    async fn signals(&self, query: &RecordQuery) -> Result<Vec<NeighbourhoodSignal>, StoreError> {
        let mut sql = listing(sql::SIGNAL_COLUMNS, "neighbourhood_signals", query);
        self.all(sql.build(), rows::signal).await
    }

    async fn count_signals(&self, team_id: Option<Uuid>) -> Result<i64, StoreError> {
        self.count(match team_id {
            Some(team) => sqlx::query(sql::COUNT_TEAM_SIGNALS).bind(id(team)),
            None => sqlx::query(sql::COUNT_SIGNALS),
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn moments_have_one_width_so_text_order_is_time_order() {
        let whole = Utc.with_ymd_and_hms(2024, 5, 1, 8, 30, 0).single().unwrap_or_default();
        let later = whole + chrono::Duration::nanoseconds(1_500);
        assert_eq!(moment(whole), "2024-05-01T08:30:00.000000Z");
        assert_eq!(moment(later), "2024-05-01T08:30:00.000001Z");
        assert!(moment(whole) < moment(later));
    }

    #[tokio::test]
    async fn urls_in_every_form_create_their_folder_and_file() {
        let folder = tempfile::tempdir().expect("folder");
        let base = folder.path().display();
        for url in [format!("sqlite://{base}/a/one.db"), format!("sqlite:{base}/b/two.db"), format!("{base}/c/d/three.db")] {
            SqliteStore::connect(&url).await.expect(&url).ping().await.expect("ping");
        }
        for file in ["a/one.db", "b/two.db", "c/d/three.db"] {
            assert!(folder.path().join(file).is_file(), "{file}");
        }
        let memory = SqliteStore::connect("sqlite::memory:").await.expect("in memory");
        memory.insert_district(&District { id: Uuid::now_v7(), name: "Lillo".into() }).await.expect("insert");
        assert_eq!(memory.districts().await.expect("read").len(), 1, "one database across the pool");
    }
}
