//! The PostgreSQL store, for production: native uuid and timestamptz columns, a
//! connection pool shared by the server's requests.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{
    District, Neighbourhood, NeighbourhoodSignal, PartnerOrganisation, StreetContact, Team, User,
};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgArguments, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::rows::{self, Columns};
use crate::sql;
use crate::{Backend, Credentials, RecordQuery, Session, Store, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Enough for a district server's concurrent requests without crowding the
/// server's own connection limit (100 by default).
const MAX_CONNECTIONS: u32 = 10;
/// A request waits this long for a free connection before failing as unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// A [`Store`] on a PostgreSQL database.
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

type Query<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

/// A listing of `table`, filtered by the query, newest first.
fn listing(columns: &str, table: &str, query: &RecordQuery) -> QueryBuilder<'static, Postgres> {
    let mut sql = QueryBuilder::new(format!("SELECT {columns} FROM {table} WHERE TRUE"));
    if let Some(team) = query.team_id {
        sql.push(" AND team_id = ").push_bind(team);
    }
    if let Some(author) = query.author_id {
        sql.push(" AND author_id = ").push_bind(author);
    }
    if let Some(neighbourhood) = query.neighbourhood_id {
        sql.push(" AND neighbourhood_id = ").push_bind(neighbourhood);
    }
    sql.push(sql::NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
    sql
}

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

type Convert<T> = fn(&PgRow) -> Result<T, StoreError>;

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query(sql::PING).execute(&self.pool).await.map_err(StoreError::read)?;
        Ok(())
    }

    async fn insert_district(&self, d: &District) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_DISTRICT).bind(d.id).bind(&d.name);
        self.write(query, || format!("district {:?}", d.name)).await.map(|_| ())
    }

    async fn insert_team(&self, t: &Team) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_TEAM).bind(t.id).bind(t.district_id).bind(&t.name);
        self.write(query, || format!("team {:?}", t.name)).await.map(|_| ())
    }

    async fn insert_neighbourhood(&self, n: &Neighbourhood) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_NEIGHBOURHOOD)
            .bind(n.id)
            .bind(n.district_id)
            .bind(&n.name)
            .bind(&n.boundary_geojson);
        self.write(query, || format!("neighbourhood {:?}", n.name)).await.map(|_| ())
    }

    async fn insert_partner_organisation(&self, o: &PartnerOrganisation) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_PARTNER_ORGANISATION)
            .bind(o.id)
            .bind(&o.name)
            .bind(o.kind.code())
            .bind(o.district_id);
        self.write(query, || format!("partner organisation {:?}", o.name)).await.map(|_| ())
    }

    async fn insert_user(&self, u: &User, password_hash: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_USER)
            .bind(u.id)
            .bind(&u.username)
            .bind(rows::username_key(&u.username))
            .bind(&u.display_name)
            .bind(password_hash)
            .bind(u.role.code())
            .bind(u.team_id)
            .bind(u.partner_org_id);
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
        let query = sqlx::query(sql::NEIGHBOURHOODS_OF_TEAM).bind(team_id);
        self.all(query, rows::neighbourhood).await
    }

    async fn neighbourhood(&self, neighbourhood_id: Uuid) -> Result<Option<Neighbourhood>, StoreError> {
        let query = sqlx::query(sql::NEIGHBOURHOOD).bind(neighbourhood_id);
        self.one(query, rows::neighbourhood).await
    }

    async fn partner_organisations(&self) -> Result<Vec<PartnerOrganisation>, StoreError> {
        self.all(sqlx::query(sql::PARTNER_ORGANISATIONS), rows::partner_organisation).await
    }

    async fn user(&self, user_id: Uuid) -> Result<Option<User>, StoreError> {
        self.one(sqlx::query(sql::USER).bind(user_id), rows::user).await
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
            .bind(s.user_id)
            .bind(s.created_at)
            .bind(s.expires_at);
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn live_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError> {
        let query = sqlx::query(sql::LIVE_SESSION).bind(token_hash).bind(now);
        self.one(query, rows::session).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::DELETE_SESSION).bind(token_hash);
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_EXPIRED_SESSIONS).bind(now);
        self.write(query, || "expired sessions".to_owned()).await
    }

    async fn insert_contact(&self, c: &StreetContact) -> Result<(), StoreError> {
        let point = c.location.point;
        let query = sqlx::query(sql::INSERT_CONTACT)
            .bind(c.id)
            .bind(c.author_id)
            .bind(c.team_id)
            .bind(c.neighbourhood_id)
            .bind(c.occurred_at)
            .bind(c.received_at)
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
            Some(team) => sqlx::query(sql::COUNT_TEAM_CONTACTS).bind(team),
            None => sqlx::query(sql::COUNT_CONTACTS),
        })
        .await
    }

    async fn insert_signal(&self, s: &NeighbourhoodSignal) -> Result<(), StoreError> {
        let point = s.location.point;
        let query = sqlx::query(sql::INSERT_SIGNAL)
            .bind(s.id)
            .bind(s.author_id)
            .bind(s.team_id)
            .bind(s.neighbourhood_id)
            .bind(s.occurred_at)
            .bind(s.received_at)
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
            Some(team) => sqlx::query(sql::COUNT_TEAM_SIGNALS).bind(team),
            None => sqlx::query(sql::COUNT_SIGNALS),
        })
        .await
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
