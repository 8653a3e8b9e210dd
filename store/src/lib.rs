//! Wijkpost's storage. One [`Store`] trait, two implementations on sqlx: SQLite (the
//! embedded default, a file) and PostgreSQL (production). Each has its own migrations
//! under `migrations/<backend>/`, applied by [`connect`]; the same test suite
//! (`tests/suite/`) runs against both.

use domain::{DeviceId, NeighbourhoodId, PhotoId, RecordId, UserId};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{
    District, Neighbourhood, NeighbourhoodSignal, OrgId, PartnerOrganisation, StreetContact, Team, TeamId, User,
};
use uuid::Uuid;

mod access_log;
pub mod demo;
mod error;
mod feed;
mod photos;
mod postgres;
mod resolve;
mod review;
mod rows;
mod sql;
mod sqlite;
mod sync;
#[cfg(feature = "testing")]
pub mod testing;

pub use access_log::{AccessLogEntry, AccessLogQuery, ShownFields};
pub use error::StoreError;
pub use feed::{
    ConflictRecord, FeedChange, FeedPage, FeedRecord, PullQuery, PullScope, Resolution, ResolveOutcome, SyncedRecord,
};
pub use photos::{ChunkAnswer, PhotoUpload};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use sync::{PreparedMutation, PreparedPush, Verdict};

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A logged-in session. Only a hash of the cookie's token is stored, so a leaked
/// database does not hand out live sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The phone registered in this session, if any (ended with it when revoked).
    pub device_id: Option<DeviceId>,
}

/// A user together with the stored password hash, for log-in only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// A phone registered for offline use. Its credential (a random secret the phone
/// keeps) is stored only as a SHA-256 hash, like session tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: DeviceId,
    pub user_id: UserId,
    /// What the person called it, or the browser's description ("Android · Chrome").
    pub label: String,
    pub credential_hash: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<UserId>,
    /// When its current secret was handed out: a key lives a bounded time.
    pub issued_at: DateTime<Utc>,
}

/// Which kind of record a personal-data read concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Contact,
    Signal,
}

impl RecordKind {
    /// The stored code, as the access log and the change feed write it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Contact => "contact",
            Self::Signal => "signal",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "contact" => Some(Self::Contact),
            "signal" => Some(Self::Signal),
            _ => None,
        }
    }
}

/// A one-time link to set a password (invitation or reset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordToken {
    pub token_hash: String,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Which contacts or signals to list: newest first (by `occurred_at`, then id).
#[derive(Debug, Clone, Default)]
pub struct RecordQuery {
    pub team_id: Option<TeamId>,
    pub author_id: Option<UserId>,
    pub neighbourhood_id: Option<NeighbourhoodId>,
    /// Signals only: filed by, or referred to, this organisation.
    pub org_id: Option<OrgId>,
    /// At most this many (the store caps it at 500).
    pub limit: i64,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    /// Succeeds when the database answers a trivial query.
    async fn ping(&self) -> Result<(), StoreError>;

    // --- organisation -------------------------------------------------------------
    async fn insert_district(&self, district: &District) -> Result<(), StoreError>;
    async fn insert_team(&self, team: &Team) -> Result<(), StoreError>;
    async fn insert_neighbourhood(&self, neighbourhood: &Neighbourhood) -> Result<(), StoreError>;
    async fn insert_partner_organisation(&self, org: &PartnerOrganisation) -> Result<(), StoreError>;
    /// Fails with [`StoreError::Duplicate`] when the username is taken.
    async fn insert_user(&self, user: &User, password_hash: &str) -> Result<(), StoreError>;

    async fn districts(&self) -> Result<Vec<District>, StoreError>;
    async fn teams(&self) -> Result<Vec<Team>, StoreError>;
    /// All neighbourhoods, by name.
    async fn neighbourhoods(&self) -> Result<Vec<Neighbourhood>, StoreError>;
    /// The neighbourhoods of a team's district, by name.
    async fn neighbourhoods_of_team(&self, team_id: TeamId) -> Result<Vec<Neighbourhood>, StoreError>;
    async fn neighbourhood(&self, id: NeighbourhoodId) -> Result<Option<Neighbourhood>, StoreError>;
    async fn partner_organisations(&self) -> Result<Vec<PartnerOrganisation>, StoreError>;
    async fn user(&self, id: UserId) -> Result<Option<User>, StoreError>;
    async fn users(&self) -> Result<Vec<User>, StoreError>;
    /// Looks a user up by username, case-insensitively.
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError>;
    async fn count_users(&self) -> Result<i64, StoreError>;

    // --- sessions -----------------------------------------------------------------
    async fn insert_session(&self, session: &Session) -> Result<(), StoreError>;
    /// The session with this token hash, if it exists and has not expired at `now`.
    async fn live_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Removes sessions that expired before `now`; returns how many.
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;

    // --- street contacts and signals ----------------------------------------------
    /// Fails with [`StoreError::Duplicate`] when the id exists.
    async fn insert_contact(&self, contact: &StreetContact) -> Result<(), StoreError>;
    async fn contacts(&self, query: &RecordQuery) -> Result<Vec<StreetContact>, StoreError>;
    async fn count_contacts(&self, team_id: Option<TeamId>) -> Result<i64, StoreError>;
    /// Fails with [`StoreError::Duplicate`] when the id exists.
    async fn insert_signal(&self, signal: &NeighbourhoodSignal) -> Result<(), StoreError>;
    async fn signals(&self, query: &RecordQuery) -> Result<Vec<NeighbourhoodSignal>, StoreError>;
    async fn count_signals(&self, team_id: Option<TeamId>) -> Result<i64, StoreError>;
    async fn contact(&self, id: RecordId) -> Result<Option<StreetContact>, StoreError>;
    async fn signal(&self, id: RecordId) -> Result<Option<NeighbourhoodSignal>, StoreError>;
    /// Sets status, referral and feedback of a signal as a new version written `at`;
    /// `false` when it does not exist.
    async fn update_signal(&self, signal: &NeighbourhoodSignal, at: DateTime<Utc>) -> Result<bool, StoreError>;
    /// How many signals report each of `signal_ids` again (name it as `duplicate_of`),
    /// counting only those within the scope's `team_id` and `org_id` as [`Store::signals`]
    /// filters them (its other fields are ignored). Signals reported once are left out.
    async fn linked_reports(
        &self,
        signal_ids: &[RecordId],
        scope: &RecordQuery,
    ) -> Result<std::collections::HashMap<RecordId, u64>, StoreError>;

    // --- sync (issue 4) -------------------------------------------------------------
    /// Applies a phone's push exactly once, in one transaction: replays get their
    /// stored receipts, effects and receipts are stored together, and a push that
    /// fails anywhere stores nothing. Receipts come back in the push's order (see
    /// `domain::sync` for the rules).
    async fn apply_push(&self, push: &PreparedPush) -> Result<Vec<domain::sync::Receipt>, StoreError>;

    // --- pull, conflict review, team view (issue 4) -----------------------------------
    /// One page of the change feed for a phone's pull: each record changed after the
    /// query's position once, at its latest state or as a tombstone (see `feed`).
    async fn pull(&self, query: &PullQuery) -> Result<FeedPage, StoreError>;
    /// Deletes the contacts that happened before `before`, each leaving a tombstone
    /// in the change feed; returns how many went.
    async fn delete_contacts_before(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64, StoreError>;
    /// The open conflicts of a team's signals, oldest first.
    async fn open_conflicts(&self, team_id: TeamId) -> Result<Vec<ConflictRecord>, StoreError>;
    async fn conflict(&self, mutation_id: Uuid) -> Result<Option<ConflictRecord>, StoreError>;
    /// Settles an open conflict in one transaction (see `resolve`).
    async fn resolve_conflict(&self, resolution: &Resolution) -> Result<ResolveOutcome, StoreError>;
    /// A team's records, newest arrival first, with the phone each came from.
    async fn synced_records(&self, team_id: TeamId, limit: i64) -> Result<Vec<SyncedRecord>, StoreError>;

    // --- accounts (issue 3) ---------------------------------------------------------
    /// Changes display name, role, team and organisation (not the username).
    async fn update_user(&self, user: &User) -> Result<bool, StoreError>;
    async fn set_password_hash(&self, user_id: UserId, password_hash: &str) -> Result<bool, StoreError>;
    /// Ends every session of a user (after a password change or a role change).
    async fn delete_sessions_of_user(&self, user_id: UserId) -> Result<u64, StoreError>;
    async fn insert_password_token(&self, token: &PasswordToken) -> Result<(), StoreError>;
    /// Marks the token used and returns its user, only if it exists, is unused and has
    /// not expired at `now`. A second call with the same token returns `None`.
    async fn use_password_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserId>, StoreError>;

    // --- log-in throttling --------------------------------------------------------
    /// Records a failed log-in under `key` ("user:<name>" or "addr:<ip>").
    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// The moments of failures under `key` since `since`, oldest first.
    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError>;
    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError>;
    async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    // --- devices ------------------------------------------------------------------
    async fn insert_device(&self, device: &Device) -> Result<(), StoreError>;
    async fn device(&self, id: DeviceId) -> Result<Option<Device>, StoreError>;
    /// Devices of one user, or of every member of a team, newest first.
    async fn devices_of_user(&self, user_id: UserId) -> Result<Vec<Device>, StoreError>;
    async fn devices_of_team(&self, team_id: TeamId) -> Result<Vec<Device>, StoreError>;
    /// Revokes a device; `false` when it does not exist or was already revoked.
    async fn revoke_device(&self, id: DeviceId, by: UserId, at: DateTime<Utc>) -> Result<bool, StoreError>;
    /// A new secret for a registered device, live again even if it was revoked.
    async fn reissue_device(
        &self,
        id: DeviceId,
        credential_hash: &str,
        label: &str,
        issued_at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Revokes every live device of a user (a new password); how many were live.
    async fn revoke_devices_of_user(&self, user_id: UserId, by: UserId, at: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Notes that the session `token_hash` registered `device_id`, so that revoking the
    /// device ends that session too.
    async fn bind_session_to_device(&self, token_hash: &str, device_id: DeviceId) -> Result<(), StoreError>;
    /// Ends the sessions a device was registered in; how many there were.
    async fn delete_sessions_of_device(&self, device_id: DeviceId) -> Result<u64, StoreError>;
    async fn touch_device(&self, id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError>;

    // --- signal photos (issue 4), see `photos` ---------------------------------------
    /// Declares an upload (`received` 0) and returns what is stored under its id: the
    /// new upload, the one declared before, or, when the same signal's unfinished
    /// upload was declared with other bytes, that upload restarted from 0. `None` when
    /// the photo belongs to another signal: the first signal naming a photo owns it,
    /// and an upload a later one holds under its id is dropped for the owner's.
    async fn declare_photo(&self, upload: &PhotoUpload) -> Result<Option<PhotoUpload>, StoreError>;
    async fn photo_upload(&self, id: PhotoId) -> Result<Option<PhotoUpload>, StoreError>;
    /// Stores a chunk in a transaction of its own if it is the upload's next one;
    /// `None` when the upload does not exist.
    async fn append_photo_chunk(
        &self,
        id: PhotoId,
        offset: u64,
        bytes: &[u8],
        at: DateTime<Utc>,
    ) -> Result<Option<ChunkAnswer>, StoreError>;
    /// The bytes of an unfinished upload's chunks, joined in order.
    async fn uploaded_photo_bytes(&self, id: PhotoId) -> Result<Vec<u8>, StoreError>;
    /// Stores the finished photo in place of its chunks and marks the signal's photo
    /// arrived, in one transaction; `false` when the upload was not waiting for it.
    async fn complete_photo(&self, id: PhotoId, photo: &[u8], at: DateTime<Utc>) -> Result<bool, StoreError>;
    /// Drops an unfinished upload's chunks: it starts again from 0.
    async fn restart_photo(&self, id: PhotoId, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// A signal's finished photo; `None` while it has not arrived whole.
    async fn signal_photo(&self, signal_id: RecordId) -> Result<Option<Vec<u8>>, StoreError>;
    /// Deletes unfinished uploads last touched before `before`, with their chunks.
    async fn delete_stale_photo_uploads(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    // --- access log (append-only) -------------------------------------------------
    async fn append_access_log(&self, entries: &[AccessLogEntry]) -> Result<(), StoreError>;
    async fn access_log(&self, query: &AccessLogQuery) -> Result<Vec<AccessLogEntry>, StoreError>;
}

/// Opens the store a URL names and applies its migrations: `postgres://…` or
/// `postgresql://…` for PostgreSQL, `sqlite://path` (or a bare path) for SQLite, whose
/// file and folder are created when missing.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url).await?))
    } else {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    }
}
