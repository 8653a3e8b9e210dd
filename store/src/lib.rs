//! Wijkpost's storage. One [`Store`] trait, two implementations on sqlx: SQLite (the
//! embedded default, a file) and PostgreSQL (production). Each has its own migrations
//! under `migrations/<backend>/`, applied by [`connect`]; the same test suite
//! (`tests/suite.rs`) runs against both.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{
    District, Neighbourhood, NeighbourhoodSignal, PartnerOrganisation, StreetContact, Team, User,
};
use uuid::Uuid;

pub mod demo;
mod error;
mod postgres;
mod rows;
mod sql;
mod sqlite;

pub use error::StoreError;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

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
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A user together with the stored password hash, for log-in only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// Which contacts or signals to list: newest first (by `occurred_at`, then id).
#[derive(Debug, Clone, Default)]
pub struct RecordQuery {
    pub team_id: Option<Uuid>,
    pub author_id: Option<Uuid>,
    pub neighbourhood_id: Option<Uuid>,
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
    async fn neighbourhoods_of_team(&self, team_id: Uuid) -> Result<Vec<Neighbourhood>, StoreError>;
    async fn neighbourhood(&self, id: Uuid) -> Result<Option<Neighbourhood>, StoreError>;
    async fn partner_organisations(&self) -> Result<Vec<PartnerOrganisation>, StoreError>;
    async fn user(&self, id: Uuid) -> Result<Option<User>, StoreError>;
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
    async fn count_contacts(&self, team_id: Option<Uuid>) -> Result<i64, StoreError>;
    /// Fails with [`StoreError::Duplicate`] when the id exists.
    async fn insert_signal(&self, signal: &NeighbourhoodSignal) -> Result<(), StoreError>;
    async fn signals(&self, query: &RecordQuery) -> Result<Vec<NeighbourhoodSignal>, StoreError>;
    async fn count_signals(&self, team_id: Option<Uuid>) -> Result<i64, StoreError>;
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
