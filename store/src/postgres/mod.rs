//! The PostgreSQL store, for production: native uuid and timestamptz columns, a
//! connection pool shared by the server's requests.
//!
//! This file holds the connection and the [`Store`] impl, which answers one-line
//! calls itself and routes the rest to the file of their subject: `organisation`
//! (districts, teams, users, sessions, accounts), `records` (contacts, signals),
//! `credentials` (password links, devices) and `access_log`. The SQLite
//! store has the same layout, so the two can be read side by side.

mod access_log;
mod credentials;
mod feed;
mod organisation;
mod photos;
mod records;
mod review;
mod sync;

use domain::TeamId;
use domain::{DeviceId, NeighbourhoodId, PhotoId, RecordId, UserId};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{District, Neighbourhood, NeighbourhoodSignal, PartnerOrganisation, StreetContact, Team, User};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgArguments, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row};
use uuid::Uuid;

use crate::rows::{self, Columns};
use crate::sql;
use crate::{
    AccessLogEntry, AccessLogQuery, Backend, ConflictRecord, Credentials, Device, FeedPage, PasswordToken,
    PreparedPush, PullQuery, RecordQuery, Resolution, ResolveOutcome, Session, Store, StoreError, SyncedRecord,
};
use crate::{ChunkAnswer, PhotoUpload};

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

    /// The connection pool, for what the [`Store`] trait does not cover: tests that
    /// check what the schema itself refuses, or operational tooling.
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
impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query(sql::PING).execute(&self.pool).await.map_err(StoreError::read)?;
        Ok(())
    }

    async fn insert_district(&self, district: &District) -> Result<(), StoreError> {
        organisation::insert_district(self, district).await
    }

    async fn insert_team(&self, team: &Team) -> Result<(), StoreError> {
        organisation::insert_team(self, team).await
    }

    async fn insert_neighbourhood(&self, neighbourhood: &Neighbourhood) -> Result<(), StoreError> {
        organisation::insert_neighbourhood(self, neighbourhood).await
    }

    async fn insert_partner_organisation(&self, org: &PartnerOrganisation) -> Result<(), StoreError> {
        organisation::insert_partner_organisation(self, org).await
    }

    async fn insert_user(&self, user: &User, password_hash: &str) -> Result<(), StoreError> {
        organisation::insert_user(self, user, password_hash).await
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

    async fn neighbourhoods_of_team(&self, team_id: TeamId) -> Result<Vec<Neighbourhood>, StoreError> {
        self.all(sqlx::query(sql::NEIGHBOURHOODS_OF_TEAM).bind(team_id), rows::neighbourhood).await
    }

    async fn neighbourhood(&self, neighbourhood_id: NeighbourhoodId) -> Result<Option<Neighbourhood>, StoreError> {
        self.one(sqlx::query(sql::NEIGHBOURHOOD).bind(neighbourhood_id), rows::neighbourhood).await
    }

    async fn partner_organisations(&self) -> Result<Vec<PartnerOrganisation>, StoreError> {
        self.all(sqlx::query(sql::PARTNER_ORGANISATIONS), rows::partner_organisation).await
    }

    async fn user(&self, user_id: UserId) -> Result<Option<User>, StoreError> {
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

    async fn insert_session(&self, session: &Session) -> Result<(), StoreError> {
        organisation::insert_session(self, session).await
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

    async fn insert_contact(&self, contact: &StreetContact) -> Result<(), StoreError> {
        records::insert_contact(self, contact).await
    }

    async fn contacts(&self, query: &RecordQuery) -> Result<Vec<StreetContact>, StoreError> {
        records::contacts(self, query).await
    }

    async fn count_contacts(&self, team_id: Option<TeamId>) -> Result<i64, StoreError> {
        self.count(match team_id {
            Some(team) => sqlx::query(sql::COUNT_TEAM_CONTACTS).bind(team),
            None => sqlx::query(sql::COUNT_CONTACTS),
        })
        .await
    }

    async fn insert_signal(&self, signal: &NeighbourhoodSignal) -> Result<(), StoreError> {
        records::insert_signal(self, signal).await
    }

    async fn signals(&self, query: &RecordQuery) -> Result<Vec<NeighbourhoodSignal>, StoreError> {
        records::signals(self, query).await
    }

    async fn linked_reports(
        &self,
        signal_ids: &[RecordId],
        scope: &RecordQuery,
    ) -> Result<std::collections::HashMap<RecordId, u64>, StoreError> {
        records::linked_reports(self, signal_ids, scope).await
    }

    async fn count_signals(&self, team_id: Option<TeamId>) -> Result<i64, StoreError> {
        self.count(match team_id {
            Some(team) => sqlx::query(sql::COUNT_TEAM_SIGNALS).bind(team),
            None => sqlx::query(sql::COUNT_SIGNALS),
        })
        .await
    }

    async fn contact(&self, contact_id: RecordId) -> Result<Option<StreetContact>, StoreError> {
        self.one(sqlx::query(sql::CONTACT).bind(contact_id), rows::contact).await
    }

    async fn signal(&self, signal_id: RecordId) -> Result<Option<NeighbourhoodSignal>, StoreError> {
        self.one(sqlx::query(sql::SIGNAL).bind(signal_id), rows::signal).await
    }

    async fn update_signal(&self, signal: &NeighbourhoodSignal, at: DateTime<Utc>) -> Result<bool, StoreError> {
        records::update_signal(self, signal, at).await
    }

    async fn apply_push(&self, push: &PreparedPush) -> Result<Vec<domain::sync::Receipt>, StoreError> {
        sync::apply_push(self, push).await
    }

    async fn pull(&self, query: &PullQuery) -> Result<FeedPage, StoreError> {
        feed::pull(self, query).await
    }

    async fn delete_contacts_before(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64, StoreError> {
        feed::delete_contacts_before(self, before, now).await
    }

    async fn open_conflicts(&self, team_id: TeamId) -> Result<Vec<ConflictRecord>, StoreError> {
        review::open_conflicts(self, team_id).await
    }

    async fn conflict(&self, mutation_id: Uuid) -> Result<Option<ConflictRecord>, StoreError> {
        review::conflict(self, mutation_id).await
    }

    async fn resolve_conflict(&self, resolution: &Resolution) -> Result<ResolveOutcome, StoreError> {
        review::resolve(self, resolution).await
    }

    async fn synced_records(&self, team_id: TeamId, limit: i64) -> Result<Vec<SyncedRecord>, StoreError> {
        review::synced_records(self, team_id, limit).await
    }

    async fn update_user(&self, user: &User) -> Result<bool, StoreError> {
        organisation::update_user(self, user).await
    }

    async fn set_password_hash(&self, user_id: UserId, password_hash: &str) -> Result<bool, StoreError> {
        let query = sqlx::query(sql::SET_PASSWORD_HASH).bind(user_id).bind(password_hash);
        Ok(self.write(query, || format!("password of user {user_id}")).await? > 0)
    }

    async fn delete_sessions_of_user(&self, user_id: UserId) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_SESSIONS_OF_USER).bind(user_id);
        self.write(query, || format!("sessions of user {user_id}")).await
    }

    async fn insert_password_token(&self, token: &PasswordToken) -> Result<(), StoreError> {
        credentials::insert_password_token(self, token).await
    }

    async fn use_password_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserId>, StoreError> {
        credentials::use_password_token(self, token_hash, now).await
    }

    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_LOGIN_FAILURE).bind(key).bind(at);
        self.write(query, || "failed log-in".to_owned()).await.map(|_| ())
    }

    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        self.all(sqlx::query(sql::LOGIN_FAILURES_SINCE).bind(key).bind(since), rows::at).await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::CLEAR_LOGIN_FAILURES).bind(key);
        self.write(query, || "failed log-ins".to_owned()).await.map(|_| ())
    }

    async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_LOGIN_FAILURES_BEFORE).bind(before);
        self.write(query, || "old failed log-ins".to_owned()).await
    }

    async fn insert_device(&self, device: &Device) -> Result<(), StoreError> {
        credentials::insert_device(self, device).await
    }

    async fn device(&self, device_id: DeviceId) -> Result<Option<Device>, StoreError> {
        self.one(sqlx::query(sql::DEVICE).bind(device_id), rows::device).await
    }

    async fn devices_of_user(&self, user_id: UserId) -> Result<Vec<Device>, StoreError> {
        self.all(sqlx::query(sql::DEVICES_OF_USER).bind(user_id), rows::device).await
    }

    async fn devices_of_team(&self, team_id: TeamId) -> Result<Vec<Device>, StoreError> {
        self.all(sqlx::query(sql::DEVICES_OF_TEAM).bind(team_id), rows::device).await
    }

    async fn revoke_device(&self, device_id: DeviceId, by: UserId, at: DateTime<Utc>) -> Result<bool, StoreError> {
        credentials::revoke_device(self, device_id, by, at).await
    }

    async fn reissue_device(
        &self,
        device_id: DeviceId,
        credential_hash: &str,
        label: &str,
        issued_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        credentials::reissue_device(self, device_id, credential_hash, label, issued_at).await
    }

    async fn revoke_devices_of_user(&self, user_id: UserId, by: UserId, at: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::REVOKE_DEVICES_OF_USER).bind(user_id).bind(by).bind(at);
        self.write(query, || format!("devices of user {user_id}")).await
    }

    async fn bind_session_to_device(&self, token_hash: &str, device_id: DeviceId) -> Result<(), StoreError> {
        let query = sqlx::query(sql::BIND_SESSION_TO_DEVICE).bind(token_hash).bind(device_id);
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn delete_sessions_of_device(&self, device_id: DeviceId) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_SESSIONS_OF_DEVICE).bind(device_id);
        self.write(query, || format!("sessions of device {device_id}")).await
    }

    async fn touch_device(&self, device_id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let query = sqlx::query(sql::TOUCH_DEVICE).bind(device_id).bind(at);
        self.write(query, || format!("device {device_id}")).await.map(|_| ())
    }

    async fn declare_photo(&self, upload: &PhotoUpload) -> Result<Option<PhotoUpload>, StoreError> {
        photos::declare(self, upload).await
    }

    async fn photo_upload(&self, photo_id: PhotoId) -> Result<Option<PhotoUpload>, StoreError> {
        photos::upload(self, photo_id).await
    }

    async fn append_photo_chunk(
        &self,
        photo_id: PhotoId,
        offset: u64,
        bytes: &[u8],
        at: DateTime<Utc>,
    ) -> Result<Option<ChunkAnswer>, StoreError> {
        photos::append(self, photo_id, offset, bytes, at).await
    }

    async fn uploaded_photo_bytes(&self, photo_id: PhotoId) -> Result<Vec<u8>, StoreError> {
        photos::uploaded_bytes(self, photo_id).await
    }

    async fn complete_photo(&self, photo_id: PhotoId, photo: &[u8], at: DateTime<Utc>) -> Result<bool, StoreError> {
        photos::complete(self, photo_id, photo, at).await
    }

    async fn restart_photo(&self, photo_id: PhotoId, at: DateTime<Utc>) -> Result<(), StoreError> {
        photos::restart(self, photo_id, at).await
    }

    async fn signal_photo(&self, signal_id: RecordId) -> Result<Option<Vec<u8>>, StoreError> {
        photos::signal_photo(self, signal_id).await
    }

    async fn delete_stale_photo_uploads(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        photos::delete_stale(self, before).await
    }

    async fn append_access_log(&self, entries: &[AccessLogEntry]) -> Result<(), StoreError> {
        access_log::append(self, entries).await
    }

    async fn access_log(&self, query: &AccessLogQuery) -> Result<Vec<AccessLogEntry>, StoreError> {
        access_log::list(self, query).await
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
