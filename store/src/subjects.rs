//! The [`Store`] trait, split by subject: one trait per subject, which each backend
//! implements in the file of that subject (`sqlite/organisation.rs` implements
//! [`OrganisationStore`] for SQLite, and so on; [`Database`] in each `mod.rs`).
//!
//! [`Store`] is every subject together, implemented for whatever implements them all,
//! so `Arc<dyn Store>` is still the one handle the server passes around. On a
//! `dyn Store` (or an `S: Store`) every subject's methods can be called with no more
//! imports, as Rust looks through a trait object's supertraits; on a concrete store
//! (`SqliteStore`, `PostgresStore`) each subject's trait must be in scope:
//! `use store::prelude::*;`.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::sync::Receipt;
use domain::{
    DeviceId, District, Neighbourhood, NeighbourhoodId, NeighbourhoodSignal, PartnerOrganisation, PhotoId, RecordId,
    Street, StreetContact, Team, TeamId, User, UserId,
};
use uuid::Uuid;

use crate::{
    AccessLogEntry, AccessLogQuery, Backend, ChunkAnswer, ConflictRecord, Credentials, Device, FeedPage, PasswordToken,
    PhotoUpload, PreparedPush, PullQuery, RecordQuery, Resolution, ResolveOutcome, Session, StoreError, SyncedRecord,
    Visit,
};

/// The whole store: every subject below. Nobody implements it by hand; whatever
/// implements every subject is a `Store`.
pub trait Store:
    Database
    + OrganisationStore
    + SessionStore
    + LoginThrottleStore
    + RecordStore
    + SyncStore
    + FeedStore
    + ReviewStore
    + CredentialStore
    + PhotoStore
    + AccessLogStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: Database
        + OrganisationStore
        + SessionStore
        + LoginThrottleStore
        + RecordStore
        + SyncStore
        + FeedStore
        + ReviewStore
        + CredentialStore
        + PhotoStore
        + AccessLogStore
        + Send
        + Sync
        + 'static
{
}

/// The database itself: which one, and whether it answers.
#[async_trait]
pub trait Database: Send + Sync {
    fn backend(&self) -> Backend;

    /// Succeeds when the database answers a trivial query.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// The organisation: districts, teams, neighbourhoods, partner organisations and
/// users (their accounts, issue 3).
#[async_trait]
pub trait OrganisationStore: Send + Sync {
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
    /// Every neighbourhood with each team of its district, the district's teams by
    /// name: ids only, for a push or a form that must find the team of an entry's
    /// neighbourhood (the first listed), without reading every boundary.
    async fn neighbourhood_teams(&self) -> Result<Vec<(NeighbourhoodId, TeamId)>, StoreError>;
    /// A street of a neighbourhood, for "nearest street" on the phone.
    async fn insert_street(&self, street: &Street) -> Result<(), StoreError>;
    /// Every known street, by name; with `team`, only those of the team's neighbourhoods.
    async fn streets(&self, team: Option<TeamId>) -> Result<Vec<Street>, StoreError>;
    async fn partner_organisations(&self) -> Result<Vec<PartnerOrganisation>, StoreError>;
    async fn user(&self, id: UserId) -> Result<Option<User>, StoreError>;
    async fn users(&self) -> Result<Vec<User>, StoreError>;
    /// Looks a user up by username, case-insensitively.
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError>;
    async fn count_users(&self) -> Result<i64, StoreError>;

    /// Changes display name, role, team and organisation (not the username).
    async fn update_user(&self, user: &User) -> Result<bool, StoreError>;
    async fn set_password_hash(&self, user_id: UserId, password_hash: &str) -> Result<bool, StoreError>;
}

/// Log-in sessions, and the phones registered in them.
#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn insert_session(&self, session: &Session) -> Result<(), StoreError>;
    /// The session with this token hash, if it exists and has not expired at `now`.
    async fn live_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Removes sessions that expired before `now`; returns how many.
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Ends every session of a user (after a password change or a role change).
    async fn delete_sessions_of_user(&self, user_id: UserId) -> Result<u64, StoreError>;
    /// Notes that the session `token_hash` registered `device_id`, so that revoking the
    /// device ends that session too.
    async fn bind_session_to_device(&self, token_hash: &str, device_id: DeviceId) -> Result<(), StoreError>;
    /// Ends the sessions a device was registered in; how many there were.
    async fn delete_sessions_of_device(&self, device_id: DeviceId) -> Result<u64, StoreError>;
    /// The person's last visit to `screen`, if any.
    async fn visit(&self, user_id: UserId, screen: &str) -> Result<Option<Visit>, StoreError>;
    /// Stores the person's visit to `screen`, replacing the last one.
    async fn save_visit(&self, user_id: UserId, screen: &str, visit: &Visit) -> Result<(), StoreError>;
}

/// Log-in throttling: the failed log-ins counted against a name or an address.
#[async_trait]
pub trait LoginThrottleStore: Send + Sync {
    /// Records a failed log-in under `key` (`user:<name>` or `addr:<ip>`).
    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// The moments of failures under `key` since `since`, oldest first.
    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError>;
    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError>;
    async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;
}

/// Street contacts and neighbourhood signals.
#[async_trait]
pub trait RecordStore: Send + Sync {
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
    /// counting only those within the scope's `team_id` and `org_id` as
    /// [`RecordStore::signals`] filters them (its other fields are ignored). Signals
    /// reported once are left out.
    async fn linked_reports(
        &self,
        signal_ids: &[RecordId],
        scope: &RecordQuery,
    ) -> Result<HashMap<RecordId, u64>, StoreError>;
    /// When each of `signal_ids` was last changed after it was filed (status,
    /// referral, feedback: its newest version after the first). Signals never changed
    /// are left out.
    async fn signals_changed_at(&self, signal_ids: &[RecordId])
        -> Result<HashMap<RecordId, DateTime<Utc>>, StoreError>;
}

/// A phone's push (issue 4).
#[async_trait]
pub trait SyncStore: Send + Sync {
    /// Applies a phone's push exactly once, in one transaction: replays get their
    /// stored receipts, effects and receipts are stored together, and a push that
    /// fails anywhere stores nothing. Receipts come back in the push's order (see
    /// `domain::sync` for the rules).
    async fn apply_push(&self, push: &PreparedPush) -> Result<Vec<Receipt>, StoreError>;
}

/// The change feed (issue 4): a phone's pull, and the retention sweep's tombstones.
#[async_trait]
pub trait FeedStore: Send + Sync {
    /// One page of the change feed for a phone's pull: each record changed after the
    /// query's position once, at its latest state or as a tombstone (see `feed`).
    async fn pull(&self, query: &PullQuery) -> Result<FeedPage, StoreError>;
    /// Deletes the contacts that happened before `before`, each leaving a tombstone
    /// in the change feed; returns how many went.
    async fn delete_contacts_before(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64, StoreError>;
}

/// A team lead's review (issue 4): kept conflicts, and the team view of what the
/// phones synced.
#[async_trait]
pub trait ReviewStore: Send + Sync {
    /// The open conflicts of a team's signals, oldest first.
    async fn open_conflicts(&self, team_id: TeamId) -> Result<Vec<ConflictRecord>, StoreError>;
    async fn conflict(&self, mutation_id: Uuid) -> Result<Option<ConflictRecord>, StoreError>;
    /// Settles an open conflict in one transaction (see `resolve`).
    async fn resolve_conflict(&self, resolution: &Resolution) -> Result<ResolveOutcome, StoreError>;
    /// A team's records, newest arrival first, with the phone each came from.
    async fn synced_records(&self, team_id: TeamId, limit: i64) -> Result<Vec<SyncedRecord>, StoreError>;
}

/// Credentials other than passwords: one-time password links and registered phones
/// (their keys).
#[async_trait]
pub trait CredentialStore: Send + Sync {
    async fn insert_password_token(&self, token: &PasswordToken) -> Result<(), StoreError>;
    /// Marks the token used and returns its user, only if it exists, is unused and has
    /// not expired at `now`. A second call with the same token returns `None`.
    async fn use_password_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserId>, StoreError>;

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
    async fn touch_device(&self, id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError>;
}

/// Signal photos (issue 4), uploaded in chunks; see `photos`.
#[async_trait]
pub trait PhotoStore: Send + Sync {
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
}

/// The access log (append-only): who was shown what.
#[async_trait]
pub trait AccessLogStore: Send + Sync {
    async fn append_access_log(&self, entries: &[AccessLogEntry]) -> Result<(), StoreError>;
    async fn access_log(&self, query: &AccessLogQuery) -> Result<Vec<AccessLogEntry>, StoreError>;
}
