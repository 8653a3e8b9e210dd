//! The SQLite store: one file, for a single server or a laptop demo.
//!
//! Ids are stored as hyphenated text and moments as fixed-width UTC text (see the
//! migration), both converted in `columns` rather than by sqlx's defaults: sqlx would
//! store a uuid as a blob and a moment in a variable-width form that does not sort.
//!
//! This file holds the connection and the [`Store`] impl, which answers one-line
//! calls itself and routes the rest to the file of their subject: `organisation`
//! (districts, teams, users, sessions, accounts), `records` (contacts, signals),
//! `credentials` (password links, devices) and `access_log` (its listing and group
//! commit).

mod access_log;
mod checkpoint;
mod columns;
mod credentials;
mod feed;
mod organisation;
mod photos;
mod records;
mod review;
mod sync;

use domain::TeamId;
use domain::{DeviceId, NeighbourhoodId, PhotoId, RecordId, UserId};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{District, Neighbourhood, NeighbourhoodSignal, PartnerOrganisation, StreetContact, Team, User};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Row, Sqlite};
use uuid::Uuid;

use columns::{id, moment, opt_id, opt_moment};

use crate::rows;
use crate::sql;
use crate::{
    AccessLogEntry, AccessLogQuery, Backend, ConflictRecord, Credentials, Device, FeedPage, PasswordToken,
    PreparedPush, PullQuery, RecordQuery, Resolution, ResolveOutcome, Session, Store, StoreError, SyncedRecord,
};
use crate::{ChunkAnswer, PhotoUpload};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Long enough to ride out another connection's write, short enough to fail visibly.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// SQLite has one writer at a time; a few connections are for concurrent readers.
const MAX_CONNECTIONS: u32 = 4;

/// A [`Store`] on a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// One connection for the writes that meet under load: pushes, resolutions, photo
    /// chunks and one-line writes. Waiting for it is a fair queue that wakes the next
    /// writer at once. Writers spread over `pool` instead waited in SQLite's busy
    /// handler, which polls with sleeps of up to 100 ms and is not woken when the lock
    /// frees, each holding a connection the readers needed: with 200 phones pushing,
    /// p99 went to 0.6 s. And a connection that made the last write keeps its page
    /// cache, where one that finds another's write must drop it and read the pages
    /// again. Other processes on the file still meet `BUSY_TIMEOUT`; the lock itself
    /// stays SQLite's.
    writer: SqlitePool,
    /// The access log's rows, written on `writer` many requests to a transaction.
    access_log: access_log::AccessLogWriter,
    /// `None` in memory, where there is no WAL to checkpoint.
    _checkpointer: Option<checkpoint::Checkpointer>,
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
            SqlitePoolOptions::new().max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None)
        } else {
            SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS)
        };
        let pool = pool
            .acquire_timeout(BUSY_TIMEOUT * 2)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::from_sqlx(e, "the database file"))?;
        MIGRATOR.run(&pool).await?;
        let (writer, checkpointer) = if in_memory {
            // A second pool would open a second, empty in-memory database.
            (pool.clone(), None)
        } else {
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(BUSY_TIMEOUT * 2)
                .connect_with(options.pragma("wal_autocheckpoint", checkpoint::WRITER_AUTOCHECKPOINT_PAGES))
                .await
                .map_err(|e| StoreError::from_sqlx(e, "the database file"))?;
            (writer, Some(checkpoint::Checkpointer::start(pool.clone())))
        };
        let access_log = access_log::AccessLogWriter::start(writer.clone());
        Ok(Self { pool, writer, access_log, _checkpointer: checkpointer })
    }

    /// The connection pool, for what the [`Store`] trait does not cover: tests that
    /// check what the schema itself refuses, or operational tooling.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

async fn create_parent_folder(file: &Path) -> Result<(), StoreError> {
    match file.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => {
            tokio::fs::create_dir_all(folder).await.map_err(|e| StoreError::Unavailable(sqlx::Error::Io(e)))
        }
        _ => Ok(()),
    }
}

type Query<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>;
type Convert<T> = fn(&SqliteRow) -> Result<T, StoreError>;

impl SqliteStore {
    /// Runs a write; `what` names the record for a duplicate's message.
    async fn write(&self, query: Query<'_>, what: impl FnOnce() -> String) -> Result<u64, StoreError> {
        match query.execute(&self.writer).await {
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
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
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
        self.all(sqlx::query(sql::NEIGHBOURHOODS_OF_TEAM).bind(id(team_id)), rows::neighbourhood).await
    }

    async fn neighbourhood(&self, neighbourhood_id: NeighbourhoodId) -> Result<Option<Neighbourhood>, StoreError> {
        self.one(sqlx::query(sql::NEIGHBOURHOOD).bind(id(neighbourhood_id)), rows::neighbourhood).await
    }

    async fn partner_organisations(&self) -> Result<Vec<PartnerOrganisation>, StoreError> {
        self.all(sqlx::query(sql::PARTNER_ORGANISATIONS), rows::partner_organisation).await
    }

    async fn user(&self, user_id: UserId) -> Result<Option<User>, StoreError> {
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

    async fn insert_session(&self, session: &Session) -> Result<(), StoreError> {
        organisation::insert_session(self, session).await
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

    async fn insert_contact(&self, contact: &StreetContact) -> Result<(), StoreError> {
        records::insert_contact(self, contact).await
    }

    async fn contacts(&self, query: &RecordQuery) -> Result<Vec<StreetContact>, StoreError> {
        records::contacts(self, query).await
    }

    async fn count_contacts(&self, team_id: Option<TeamId>) -> Result<i64, StoreError> {
        self.count(match team_id {
            Some(team) => sqlx::query(sql::COUNT_TEAM_CONTACTS).bind(id(team)),
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
            Some(team) => sqlx::query(sql::COUNT_TEAM_SIGNALS).bind(id(team)),
            None => sqlx::query(sql::COUNT_SIGNALS),
        })
        .await
    }

    async fn contact(&self, contact_id: RecordId) -> Result<Option<StreetContact>, StoreError> {
        self.one(sqlx::query(sql::CONTACT).bind(id(contact_id)), rows::contact).await
    }

    async fn signal(&self, signal_id: RecordId) -> Result<Option<NeighbourhoodSignal>, StoreError> {
        self.one(sqlx::query(sql::SIGNAL).bind(id(signal_id)), rows::signal).await
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
        let query = sqlx::query(sql::SET_PASSWORD_HASH).bind(id(user_id)).bind(password_hash);
        Ok(self.write(query, || format!("password of user {user_id}")).await? > 0)
    }

    async fn delete_sessions_of_user(&self, user_id: UserId) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_SESSIONS_OF_USER).bind(id(user_id));
        self.write(query, || format!("sessions of user {user_id}")).await
    }

    async fn insert_password_token(&self, token: &PasswordToken) -> Result<(), StoreError> {
        credentials::insert_password_token(self, token).await
    }

    async fn use_password_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserId>, StoreError> {
        credentials::use_password_token(self, token_hash, now).await
    }

    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_LOGIN_FAILURE).bind(key).bind(moment(at));
        self.write(query, || "failed log-in".to_owned()).await.map(|_| ())
    }

    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        self.all(sqlx::query(sql::LOGIN_FAILURES_SINCE).bind(key).bind(moment(since)), rows::at).await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::CLEAR_LOGIN_FAILURES).bind(key);
        self.write(query, || "failed log-ins".to_owned()).await.map(|_| ())
    }

    async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_LOGIN_FAILURES_BEFORE).bind(moment(before));
        self.write(query, || "old failed log-ins".to_owned()).await
    }

    async fn insert_device(&self, device: &Device) -> Result<(), StoreError> {
        credentials::insert_device(self, device).await
    }

    async fn device(&self, device_id: DeviceId) -> Result<Option<Device>, StoreError> {
        self.one(sqlx::query(sql::DEVICE).bind(id(device_id)), rows::device).await
    }

    async fn devices_of_user(&self, user_id: UserId) -> Result<Vec<Device>, StoreError> {
        self.all(sqlx::query(sql::DEVICES_OF_USER).bind(id(user_id)), rows::device).await
    }

    async fn devices_of_team(&self, team_id: TeamId) -> Result<Vec<Device>, StoreError> {
        self.all(sqlx::query(sql::DEVICES_OF_TEAM).bind(id(team_id)), rows::device).await
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
        let query = sqlx::query(sql::REVOKE_DEVICES_OF_USER).bind(id(user_id)).bind(id(by)).bind(moment(at));
        self.write(query, || format!("devices of user {user_id}")).await
    }

    async fn bind_session_to_device(&self, token_hash: &str, device_id: DeviceId) -> Result<(), StoreError> {
        let query = sqlx::query(sql::BIND_SESSION_TO_DEVICE).bind(token_hash).bind(id(device_id));
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn delete_sessions_of_device(&self, device_id: DeviceId) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_SESSIONS_OF_DEVICE).bind(id(device_id));
        self.write(query, || format!("sessions of device {device_id}")).await
    }

    async fn touch_device(&self, device_id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let query = sqlx::query(sql::TOUCH_DEVICE).bind(id(device_id)).bind(moment(at));
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
        self.access_log.append(entries).await
    }

    async fn access_log(&self, query: &AccessLogQuery) -> Result<Vec<AccessLogEntry>, StoreError> {
        access_log::list(self, query).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn urls_in_every_form_create_their_folder_and_file() {
        let folder = tempfile::tempdir().expect("folder");
        let base = folder.path().display();
        for url in
            [format!("sqlite://{base}/a/one.db"), format!("sqlite:{base}/b/two.db"), format!("{base}/c/d/three.db")]
        {
            SqliteStore::connect(&url).await.expect(&url).ping().await.expect("ping");
        }
        for file in ["a/one.db", "b/two.db", "c/d/three.db"] {
            assert!(folder.path().join(file).is_file(), "{file}");
        }
        let memory = SqliteStore::connect("sqlite::memory:").await.expect("in memory");
        memory
            .insert_district(&District { id: domain::DistrictId::new_v7(), name: "Lillo".into() })
            .await
            .expect("insert");
        assert_eq!(memory.districts().await.expect("read").len(), 1, "one database across the pool");
    }
}
