//! The statements both backends run. Written once: PostgreSQL and SQLite (through
//! sqlx) both understand `$1`-style parameters, and the schemas have the same tables
//! and columns; only what is bound differs (text ids and moments in SQLite, native
//! uuid and timestamptz in PostgreSQL), which each backend's module decides.
//!
//! Listings are built per backend with a `QueryBuilder`, because their filters vary.

pub(crate) const PING: &str = "SELECT 1";

pub(crate) const INSERT_DISTRICT: &str = "INSERT INTO districts (id, name) VALUES ($1, $2)";
pub(crate) const INSERT_TEAM: &str = "INSERT INTO teams (id, district_id, name) VALUES ($1, $2, $3)";
pub(crate) const INSERT_NEIGHBOURHOOD: &str =
    "INSERT INTO neighbourhoods (id, district_id, name, boundary_geojson) VALUES ($1, $2, $3, $4)";
pub(crate) const INSERT_PARTNER_ORGANISATION: &str =
    "INSERT INTO partner_organisations (id, name, kind, district_id) VALUES ($1, $2, $3, $4)";
pub(crate) const INSERT_USER: &str = "INSERT INTO users (id, username, username_key, display_name, \
    password_hash, role, team_id, partner_org_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub(crate) const DISTRICTS: &str = "SELECT id, name FROM districts ORDER BY name, id";
pub(crate) const TEAMS: &str = "SELECT id, district_id, name FROM teams ORDER BY name, id";
pub(crate) const NEIGHBOURHOODS: &str =
    "SELECT id, district_id, name, boundary_geojson FROM neighbourhoods ORDER BY name, id";
/// A team covers the neighbourhoods of its district; an unknown team covers none.
pub(crate) const NEIGHBOURHOODS_OF_TEAM: &str = "SELECT n.id, n.district_id, n.name, \
    n.boundary_geojson FROM neighbourhoods n JOIN teams t ON t.district_id = n.district_id \
    WHERE t.id = $1 ORDER BY n.name, n.id";
pub(crate) const NEIGHBOURHOOD: &str =
    "SELECT id, district_id, name, boundary_geojson FROM neighbourhoods WHERE id = $1";
pub(crate) const PARTNER_ORGANISATIONS: &str =
    "SELECT id, name, kind, district_id FROM partner_organisations ORDER BY name, id";

pub(crate) const USER: &str =
    "SELECT id, username, display_name, role, team_id, partner_org_id FROM users WHERE id = $1";
pub(crate) const USERS: &str = "SELECT id, username, display_name, role, team_id, partner_org_id \
    FROM users ORDER BY username_key, id";
/// The only read that selects the password hash.
pub(crate) const CREDENTIALS: &str = "SELECT id, username, display_name, role, team_id, \
    partner_org_id, password_hash FROM users WHERE username_key = $1";
pub(crate) const COUNT_USERS: &str = "SELECT COUNT(*) FROM users";
/// The username stays: it is how the person logs in, and what the access log shows.
pub(crate) const UPDATE_USER: &str = "UPDATE users SET display_name = $2, role = $3, team_id = $4, \
    partner_org_id = $5 WHERE id = $1";
pub(crate) const SET_PASSWORD_HASH: &str = "UPDATE users SET password_hash = $2 WHERE id = $1";

pub(crate) const INSERT_SESSION: &str =
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
pub(crate) const LIVE_SESSION: &str = "SELECT token_hash, user_id, created_at, expires_at \
    FROM sessions WHERE token_hash = $1 AND expires_at > $2";
pub(crate) const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";
/// `<=`, the complement of [`LIVE_SESSION`]'s `>`: whatever is no longer live goes.
pub(crate) const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";
pub(crate) const DELETE_SESSIONS_OF_USER: &str = "DELETE FROM sessions WHERE user_id = $1";

/// Column lists as macros, not consts: `concat!` only takes literals, and each list
/// should be written once for its listing and its single-record read.
macro_rules! contact_columns {
    () => {
        "id, author_id, team_id, neighbourhood_id, occurred_at, received_at, mobility, kind, \
         reason, outcome, lat, lon, accuracy_m, street, note"
    };
}
macro_rules! signal_columns {
    () => {
        "id, author_id, team_id, neighbourhood_id, occurred_at, received_at, category, urgency, \
         status, description, lat, lon, accuracy_m, street, author_org_id, referred_to_org_id, feedback"
    };
}
macro_rules! device_columns {
    () => {
        "id, user_id, label, credential_hash, created_at, last_seen_at, revoked_at, revoked_by"
    };
}

pub(crate) const CONTACT_COLUMNS: &str = contact_columns!();
pub(crate) const INSERT_CONTACT: &str = "INSERT INTO street_contacts (id, author_id, team_id, \
    neighbourhood_id, occurred_at, received_at, mobility, kind, reason, outcome, lat, lon, \
    accuracy_m, street, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
pub(crate) const COUNT_CONTACTS: &str = "SELECT COUNT(*) FROM street_contacts";
pub(crate) const COUNT_TEAM_CONTACTS: &str = "SELECT COUNT(*) FROM street_contacts WHERE team_id = $1";

pub(crate) const CONTACT: &str = concat!("SELECT ", contact_columns!(), " FROM street_contacts WHERE id = $1");

pub(crate) const SIGNAL_COLUMNS: &str = signal_columns!();
pub(crate) const INSERT_SIGNAL: &str = "INSERT INTO neighbourhood_signals (id, author_id, team_id, \
    neighbourhood_id, occurred_at, received_at, category, urgency, status, description, lat, lon, \
    accuracy_m, street, author_org_id, referred_to_org_id, feedback) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
pub(crate) const SIGNAL: &str = concat!("SELECT ", signal_columns!(), " FROM neighbourhood_signals WHERE id = $1");
/// Only what handling a signal changes; what was observed stays as filed. Every
/// change is a new version, so a phone's offline edit based on the old one conflicts.
pub(crate) const UPDATE_SIGNAL: &str = "UPDATE neighbourhood_signals \
    SET status = $2, referred_to_org_id = $3, feedback = $4, version = version + 1 \
    WHERE id = $1 RETURNING version";
/// `$3` is the device that wrote the version; NULL for the web.
pub(crate) const INSERT_SIGNAL_VERSION: &str = "INSERT INTO signal_versions \
    (signal_id, version, written_by_device, written_at) VALUES ($1, $2, $3, $4)";
pub(crate) const COUNT_SIGNALS: &str = "SELECT COUNT(*) FROM neighbourhood_signals";
pub(crate) const COUNT_TEAM_SIGNALS: &str = "SELECT COUNT(*) FROM neighbourhood_signals WHERE team_id = $1";

/// The tail of every listing: newest first, ties broken by id so pages are stable.
pub(crate) const NEWEST_FIRST: &str = " ORDER BY occurred_at DESC, id DESC LIMIT ";

pub(crate) const INSERT_PASSWORD_TOKEN: &str = "INSERT INTO password_tokens \
    (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
/// Checks and spends the token in one statement, so two simultaneous uses of one
/// link cannot both succeed: the second finds `used_at` already set. `$2` is now.
pub(crate) const USE_PASSWORD_TOKEN: &str = "UPDATE password_tokens SET used_at = $2 \
    WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id";

pub(crate) const INSERT_LOGIN_FAILURE: &str = "INSERT INTO login_failures (key, at) VALUES ($1, $2)";
pub(crate) const LOGIN_FAILURES_SINCE: &str =
    "SELECT at FROM login_failures WHERE key = $1 AND at >= $2 ORDER BY at, id";
pub(crate) const CLEAR_LOGIN_FAILURES: &str = "DELETE FROM login_failures WHERE key = $1";
pub(crate) const DELETE_LOGIN_FAILURES_BEFORE: &str = "DELETE FROM login_failures WHERE at < $1";

pub(crate) const INSERT_DEVICE: &str = "INSERT INTO devices (id, user_id, label, credential_hash, \
    created_at, last_seen_at, revoked_at, revoked_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const DEVICE: &str = concat!("SELECT ", device_columns!(), " FROM devices WHERE id = $1");
pub(crate) const DEVICES_OF_USER: &str =
    concat!("SELECT ", device_columns!(), " FROM devices WHERE user_id = $1 ORDER BY created_at DESC, id DESC");
/// The devices of the team's current members (someone who moved on takes theirs
/// along). Joined to users as a semi-join, so the column list needs no table prefix.
pub(crate) const DEVICES_OF_TEAM: &str = concat!(
    "SELECT ",
    device_columns!(),
    " FROM devices WHERE user_id IN (SELECT id FROM users WHERE team_id = $1)",
    " ORDER BY created_at DESC, id DESC"
);
/// Only a live device is revoked, so the first revocation's moment and author stay.
pub(crate) const REVOKE_DEVICE: &str = "UPDATE devices SET revoked_at = $3, revoked_by = $2 \
    WHERE id = $1 AND revoked_at IS NULL";
/// Never backwards: of two overlapping requests from one phone, the later moment wins.
pub(crate) const TOUCH_DEVICE: &str = "UPDATE devices SET last_seen_at = $2 \
    WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < $2)";

pub(crate) const INSERT_ACCESS_LOG: &str = "INSERT INTO access_log (id, at, reader_id, record_kind, \
    record_id, field, purpose, team_id, org_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub(crate) const ACCESS_LOG_COLUMNS: &str =
    "id, at, reader_id, record_kind, record_id, field, purpose, team_id, org_id";
/// The tail of an access-log listing: newest first, ties broken by id.
pub(crate) const ACCESS_LOG_NEWEST_FIRST: &str = " ORDER BY at DESC, id DESC LIMIT ";

// --- sync (issue 4): read and written inside one push's transaction -------------------
pub(crate) const STORED_RECEIPT: &str = "SELECT device_id, seq, outcome FROM sync_receipts WHERE mutation_id = $1";
pub(crate) const SEQ_HOLDER: &str = "SELECT mutation_id FROM sync_receipts WHERE device_id = $1 AND seq = $2";
/// Seqs are unique per device and start at 1: all below `$2` are decided when this
/// count is `$2 - 1`.
pub(crate) const SETTLED_BELOW: &str = "SELECT COUNT(*) FROM sync_receipts WHERE device_id = $1 AND seq < $2";
pub(crate) const INSERT_RECEIPT: &str = "INSERT INTO sync_receipts \
    (mutation_id, device_id, seq, outcome, received_at) VALUES ($1, $2, $3, $4, $5)";
/// Whether anyone but device `$3` (the web counts as someone else) wrote a version
/// after `$2`.
pub(crate) const OTHERS_SINCE: &str = "SELECT COUNT(*) FROM signal_versions \
    WHERE signal_id = $1 AND version > $2 \
    AND (written_by_device IS NULL OR written_by_device <> $3)";
pub(crate) const SIGNAL_WITH_VERSION: &str =
    concat!("SELECT ", signal_columns!(), ", version FROM neighbourhood_signals WHERE id = $1");
pub(crate) const SIGNAL_WITH_VERSION_LOCKED: &str =
    concat!("SELECT ", signal_columns!(), ", version FROM neighbourhood_signals WHERE id = $1 FOR UPDATE");
/// PostgreSQL only: serialises the pushes of one device. NO KEY: the receipts' foreign
/// key to the device takes a KEY SHARE lock, which this one must not block.
pub(crate) const LOCK_DEVICE: &str = "SELECT id FROM devices WHERE id = $1 FOR NO KEY UPDATE";
pub(crate) const APPLY_EDIT: &str = "UPDATE neighbourhood_signals \
    SET status = $2, feedback = $3, version = $4 WHERE id = $1";
pub(crate) const INSERT_CONFLICT: &str = "INSERT INTO sync_conflicts (mutation_id, signal_id, \
    device_id, author_id, base_version, current_version, body, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
