//! Wijkpost's storage. One [`Store`] trait, two implementations on sqlx: SQLite (the
//! embedded default, a file) and PostgreSQL (production). Each has its own migrations
//! under `migrations/<backend>/`, applied by [`connect`]; the same test suite
//! (`tests/suite/`) runs against both.
//!
//! [`Store`] is split by subject (`subjects`): [`Database`], [`OrganisationStore`],
//! [`SessionStore`], [`LoginThrottleStore`], [`RecordStore`], [`SyncStore`],
//! [`FeedStore`], [`ReviewStore`], [`CredentialStore`], [`PhotoStore`] and
//! [`AccessLogStore`]. Each backend implements each subject in the file of that name
//! under `sqlite/` and `postgres/`. Callers hold an `Arc<dyn Store>`, on which every
//! subject's methods can be called; code that holds a concrete store brings the subjects
//! into scope with `use store::prelude::*;`. This file holds the types the subjects
//! share and [`connect`].

use domain::{DeviceId, NeighbourhoodId, UserId};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use domain::{OrgId, TeamId, User};

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
mod subjects;
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
pub use subjects::{
    AccessLogStore, CredentialStore, Database, FeedStore, LoginThrottleStore, OrganisationStore, PhotoStore,
    RecordStore, ReviewStore, SessionStore, Store, SyncStore,
};
pub use sync::{PreparedMutation, PreparedPush, Verdict};

/// `use store::prelude::*;` brings [`Store`] and every subject trait into scope, for
/// calling a subject's methods on a concrete store ([`SqliteStore`], [`PostgresStore`]);
/// on a `dyn Store` they need no import.
pub mod prelude {
    pub use crate::{
        AccessLogStore, CredentialStore, Database, FeedStore, LoginThrottleStore, OrganisationStore, PhotoStore,
        RecordStore, ReviewStore, SessionStore, Store, SyncStore,
    };
}

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

/// A person's last visit to a screen (see migration 0014).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub seen_at: DateTime<Utc>,
    /// Where the screen's "changed since your last visit" starts.
    pub changes_since: DateTime<Utc>,
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
    /// Only what happened at or after this moment (a home's "today").
    pub since: Option<DateTime<Utc>>,
    /// Keyset paging: only what comes after this (`occurred_at`, id) in the listing's
    /// order, i.e. the last row of the previous page. Stable while new rows arrive,
    /// which an offset is not.
    pub before: Option<(DateTime<Utc>, domain::RecordId)>,
    /// Signals only: leave out the resolved ones.
    pub open_only: bool,
    /// At most this many (the store caps it at 500).
    pub limit: i64,
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
