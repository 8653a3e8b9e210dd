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

pub(crate) const INSERT_SESSION: &str =
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
pub(crate) const LIVE_SESSION: &str = "SELECT token_hash, user_id, created_at, expires_at \
    FROM sessions WHERE token_hash = $1 AND expires_at > $2";
pub(crate) const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";
/// `<=`, the complement of [`LIVE_SESSION`]'s `>`: whatever is no longer live goes.
pub(crate) const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";

pub(crate) const CONTACT_COLUMNS: &str = "id, author_id, team_id, neighbourhood_id, occurred_at, \
    received_at, mobility, kind, reason, outcome, lat, lon, accuracy_m, street, note";
pub(crate) const INSERT_CONTACT: &str = "INSERT INTO street_contacts (id, author_id, team_id, \
    neighbourhood_id, occurred_at, received_at, mobility, kind, reason, outcome, lat, lon, \
    accuracy_m, street, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
pub(crate) const COUNT_CONTACTS: &str = "SELECT COUNT(*) FROM street_contacts";
pub(crate) const COUNT_TEAM_CONTACTS: &str = "SELECT COUNT(*) FROM street_contacts WHERE team_id = $1";

pub(crate) const SIGNAL_COLUMNS: &str = "id, author_id, team_id, neighbourhood_id, occurred_at, \
    received_at, category, urgency, status, description, lat, lon, accuracy_m, street";
pub(crate) const INSERT_SIGNAL: &str = "INSERT INTO neighbourhood_signals (id, author_id, team_id, \
    neighbourhood_id, occurred_at, received_at, category, urgency, status, description, lat, lon, \
    accuracy_m, street) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
pub(crate) const COUNT_SIGNALS: &str = "SELECT COUNT(*) FROM neighbourhood_signals";
pub(crate) const COUNT_TEAM_SIGNALS: &str =
    "SELECT COUNT(*) FROM neighbourhood_signals WHERE team_id = $1";

/// The tail of every listing: newest first, ties broken by id so pages are stable.
pub(crate) const NEWEST_FIRST: &str = " ORDER BY occurred_at DESC, id DESC LIMIT ";
