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
/// Each neighbourhood's teams in [`TEAMS`] order: the first per neighbourhood is the
/// one a team lookup over `TEAMS` finds first.
pub(crate) const NEIGHBOURHOOD_TEAMS: &str = "SELECT n.id AS neighbourhood_id, t.id AS team_id \
    FROM neighbourhoods n JOIN teams t ON t.district_id = n.district_id ORDER BY t.name, t.id";
pub(crate) const NEIGHBOURHOOD: &str =
    "SELECT id, district_id, name, boundary_geojson FROM neighbourhoods WHERE id = $1";
pub(crate) const INSERT_STREET: &str =
    "INSERT INTO streets (id, neighbourhood_id, name, line_geojson) VALUES ($1, $2, $3, $4)";
pub(crate) const STREETS: &str = "SELECT id, neighbourhood_id, name, line_geojson FROM streets ORDER BY name, id";
/// The streets of a team's neighbourhoods (those of its district).
pub(crate) const STREETS_OF_TEAM: &str = "SELECT s.id, s.neighbourhood_id, s.name, s.line_geojson \
    FROM streets s JOIN neighbourhoods n ON n.id = s.neighbourhood_id JOIN teams t ON t.district_id = n.district_id \
    WHERE t.id = $1 ORDER BY s.name, s.id";
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
pub(crate) const LIVE_SESSION: &str = "SELECT token_hash, user_id, created_at, expires_at, device_id \
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
         status, description, lat, lon, accuracy_m, street, author_org_id, referred_to_org_id, feedback, \
         photo_id, photo_arrived_at, duplicate_of"
    };
}
macro_rules! device_columns {
    () => {
        "id, user_id, label, credential_hash, created_at, last_seen_at, revoked_at, revoked_by, issued_at"
    };
}

pub(crate) const CONTACT_COLUMNS: &str = contact_columns!();
pub(crate) const INSERT_CONTACT: &str = "INSERT INTO street_contacts (id, author_id, team_id, \
    neighbourhood_id, occurred_at, received_at, mobility, kind, reason, outcome, lat, lon, \
    accuracy_m, street, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
/// PostgreSQL only: a push's contacts, one array per column in this order. One
/// statement text whatever the batch's size, so it is parsed once per connection,
/// where a `VALUES` row per contact binds fifteen parameters each and is a new
/// statement for every size; on a 500-contact push it also takes about a fifth less
/// time.
pub(crate) const INSERT_CONTACTS_UNNEST: &str = "INSERT INTO street_contacts (id, author_id, team_id, \
    neighbourhood_id, occurred_at, received_at, mobility, kind, reason, outcome, lat, lon, \
    accuracy_m, street, note) SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], \
    $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], \
    $11::float8[], $12::float8[], $13::float8[], $14::text[], $15::text[])";
/// Followed by `VALUES` rows of fifteen, in this order (a push's contacts, one statement).
pub(crate) const INSERT_CONTACTS: &str = "INSERT INTO street_contacts (id, author_id, team_id, \
    neighbourhood_id, occurred_at, received_at, mobility, kind, reason, outcome, lat, lon, \
    accuracy_m, street, note) ";
pub(crate) const COUNT_CONTACTS: &str = "SELECT COUNT(*) FROM street_contacts";
pub(crate) const COUNT_TEAM_CONTACTS: &str = "SELECT COUNT(*) FROM street_contacts WHERE team_id = $1";

pub(crate) const CONTACT: &str = concat!("SELECT ", contact_columns!(), " FROM street_contacts WHERE id = $1");

pub(crate) const SIGNAL_COLUMNS: &str = signal_columns!();
pub(crate) const INSERT_SIGNAL: &str = "INSERT INTO neighbourhood_signals (id, author_id, team_id, \
    neighbourhood_id, occurred_at, received_at, category, urgency, status, description, lat, lon, \
    accuracy_m, street, author_org_id, referred_to_org_id, feedback, photo_id, duplicate_of) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
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
/// How many signals report each listed one again: followed by the listed ids,
/// comma-separated, `)`, the reader's scope (see `linked_reports`) and
/// [`LINKED_REPORTS_END`]. Found through the partial index on `duplicate_of`.
pub(crate) const LINKED_REPORTS: &str =
    "SELECT duplicate_of, COUNT(*) AS reports FROM neighbourhood_signals WHERE duplicate_of IN (";
pub(crate) const LINKED_REPORTS_END: &str = " GROUP BY duplicate_of";

/// The newest change after filing of each listed signal: ids follow, then `)` and
/// [`SIGNALS_CHANGED_END`]. Found through the versions' primary key.
pub(crate) const SIGNALS_CHANGED: &str =
    "SELECT signal_id, MAX(written_at) AS changed_at FROM signal_versions WHERE version > 1 AND signal_id IN (";
pub(crate) const SIGNALS_CHANGED_END: &str = ") GROUP BY signal_id";

pub(crate) const VISIT: &str = "SELECT seen_at, changes_since FROM screen_visits WHERE user_id = $1 AND screen = $2";
pub(crate) const SAVE_VISIT: &str = "INSERT INTO screen_visits (user_id, screen, seen_at, changes_since) \
    VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, screen) \
    DO UPDATE SET seen_at = excluded.seen_at, changes_since = excluded.changes_since";

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
    created_at, last_seen_at, revoked_at, revoked_by, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
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
/// The owner logged in again on a phone they already registered: a fresh secret, and
/// the phone is live again, so its unsent entries keep their numbers (see the service).
pub(crate) const REISSUE_DEVICE: &str = "UPDATE devices SET credential_hash = $2, label = $3, \
    issued_at = $4, revoked_at = NULL, revoked_by = NULL WHERE id = $1";
/// A new password: every phone of the account must log in again.
pub(crate) const REVOKE_DEVICES_OF_USER: &str = "UPDATE devices SET revoked_at = $3, revoked_by = $2 \
    WHERE user_id = $1 AND revoked_at IS NULL";
pub(crate) const BIND_SESSION_TO_DEVICE: &str = "UPDATE sessions SET device_id = $2 WHERE token_hash = $1";
pub(crate) const DELETE_SESSIONS_OF_DEVICE: &str = "DELETE FROM sessions WHERE device_id = $1";
/// Never backwards: of two overlapping requests from one phone, the later moment wins.
pub(crate) const TOUCH_DEVICE: &str = "UPDATE devices SET last_seen_at = $2 \
    WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < $2)";

/// Followed by `VALUES` rows of nine: a screen's entries, one statement.
pub(crate) const INSERT_ACCESS_LOG: &str = "INSERT INTO access_log (id, at, reader_id, purpose, team_id, org_id, \
    shown) ";
/// The tail of an access-log listing: newest first, ties broken by id.
pub(crate) const ACCESS_LOG_NEWEST_FIRST: &str = " ORDER BY at DESC, id DESC LIMIT ";

/// SQLite only: copies what it can of the WAL into the file without waiting for, or
/// blocking, readers and the writer (see `sqlite::checkpoint`).
pub(crate) const SQLITE_CHECKPOINT: &str = "PRAGMA wal_checkpoint(PASSIVE)";

// --- sync (issue 4): read and written inside one push's transaction -------------------
/// Seqs are unique per device and start at 1: all below `$2` are decided when this
/// count is `$2 - 1`.
pub(crate) const SETTLED_BELOW: &str = "SELECT COUNT(*) FROM sync_receipts WHERE device_id = $1 AND seq < $2";
/// What the store holds of a push's dedupe keys, in one statement (one round trip,
/// one statement text whatever the batch's size): `$1` the mutation ids, `$2` the
/// device, `$3` its seqs, `$4` the record ids and `$5` the photo ids the creates chose.
/// Each row says in `found` which key it answers: `receipt` (a mutation id's stored
/// receipt), `seq` (the mutation id holding one of the device's seqs), `id` (a record
/// id some contact or signal has) or `photo` (a photo id some signal names).
///
/// A seq above the device's highest stored one has no holder, so only the seqs up to
/// it are looked up: a fresh push's (all above) cost one step down the index, not one
/// per seq.
///
/// SQLite: the keys are JSON arrays, each probing its index once per key with the keys
/// as the outer loop (`CROSS JOIN` fixes the order); an `IN (…)` list of 500 bound
/// values builds a temporary index first and took about twice as long.
pub(crate) const HELD_KEYS_SQLITE: &str = "\
    SELECT 'receipt' AS found, r.mutation_id AS id, r.device_id, r.seq, r.outcome \
    FROM json_each($1) AS k CROSS JOIN sync_receipts AS r ON r.mutation_id = k.value \
    UNION ALL SELECT 'seq', r.mutation_id, NULL, r.seq, NULL \
    FROM json_each($3) AS k CROSS JOIN sync_receipts AS r ON r.device_id = $2 AND r.seq = k.value \
    WHERE k.value <= (SELECT max(seq) FROM sync_receipts WHERE device_id = $2) \
    UNION ALL SELECT 'id', c.id, NULL, NULL, NULL \
    FROM json_each($4) AS k CROSS JOIN street_contacts AS c ON c.id = k.value \
    UNION ALL SELECT 'id', s.id, NULL, NULL, NULL \
    FROM json_each($4) AS k CROSS JOIN neighbourhood_signals AS s ON s.id = k.value \
    UNION ALL SELECT 'photo', s.photo_id, NULL, NULL, NULL \
    FROM json_each($5) AS k CROSS JOIN neighbourhood_signals AS s ON s.photo_id = k.value";
/// PostgreSQL: the keys are arrays, each passed through `ARRAY(SELECT …)` so that the
/// planner does not see how many there are and looks each up in its index. Seeing 500
/// (a connection plans its first five runs of a statement with the values bound), it
/// scanned whole tables while they were small next to that, 2–9 ms a push instead of
/// 1, and as the pool's connections take turns, for the first 25 pushes with five of
/// them. A list of 500 parameters was worse: planned afresh at every push, as a scan.
pub(crate) const HELD_KEYS_POSTGRES: &str = "\
    SELECT 'receipt' AS found, mutation_id AS id, device_id, seq, outcome \
    FROM sync_receipts WHERE mutation_id = ANY(ARRAY(SELECT UNNEST($1::uuid[]))) \
    UNION ALL SELECT 'seq', mutation_id, NULL, seq, NULL FROM sync_receipts WHERE device_id = $2 \
    AND seq = ANY(ARRAY(SELECT s FROM UNNEST($3::bigint[]) AS s \
    WHERE s <= (SELECT max(seq) FROM sync_receipts WHERE device_id = $2))) \
    UNION ALL SELECT 'id', id, NULL, NULL, NULL FROM street_contacts WHERE id = ANY(ARRAY(SELECT UNNEST($4::uuid[]))) \
    UNION ALL SELECT 'id', id, NULL, NULL, NULL FROM neighbourhood_signals \
    WHERE id = ANY(ARRAY(SELECT UNNEST($4::uuid[]))) \
    UNION ALL SELECT 'photo', photo_id, NULL, NULL, NULL FROM neighbourhood_signals \
    WHERE photo_id = ANY(ARRAY(SELECT UNNEST($5::uuid[])))";
/// Followed by `VALUES` rows of five (a push's receipts, one statement).
pub(crate) const INSERT_RECEIPTS: &str =
    "INSERT INTO sync_receipts (mutation_id, device_id, seq, outcome, received_at) ";
/// PostgreSQL only: `$1` mutation ids, `$2` the device, `$3` seqs, `$4` outcomes, `$5`
/// when received.
pub(crate) const INSERT_RECEIPTS_UNNEST: &str = "INSERT INTO sync_receipts \
    (mutation_id, device_id, seq, outcome, received_at) \
    SELECT m, $2, s, o, $5 FROM UNNEST($1::uuid[], $3::bigint[], $4::text[]) AS r (m, s, o)";
/// Whether anyone but device `$3` (the web counts as someone else) wrote a version
/// after `$2`.
pub(crate) const OTHERS_SINCE: &str = "SELECT COUNT(*) FROM signal_versions \
    WHERE signal_id = $1 AND version > $2 \
    AND (written_by_device IS NULL OR written_by_device <> $3)";
pub(crate) const SIGNAL_WITH_VERSION: &str =
    concat!("SELECT ", signal_columns!(), ", version FROM neighbourhood_signals WHERE id = $1");
pub(crate) const SIGNAL_WITH_VERSION_LOCKED: &str =
    concat!("SELECT ", signal_columns!(), ", version FROM neighbourhood_signals WHERE id = $1 FOR UPDATE");
pub(crate) const APPLY_EDIT: &str = "UPDATE neighbourhood_signals \
    SET status = $2, feedback = $3, version = $4 WHERE id = $1";
pub(crate) const INSERT_CONFLICT: &str = "INSERT INTO sync_conflicts (mutation_id, signal_id, \
    device_id, author_id, base_version, current_version, body, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

// --- signal photos (issue 4): see crate::photos -----------------------------------------
macro_rules! photo_upload_columns {
    () => {
        "id, signal_id, uploader_id, content_type, size, sha256, received, started_at, updated_at, completed_at"
    };
}
/// A second declaration of the same photo changes nothing; the caller reads it back.
pub(crate) const INSERT_PHOTO_UPLOAD: &str = "INSERT INTO signal_photos (id, signal_id, uploader_id, \
    content_type, size, sha256, received, started_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7) \
    ON CONFLICT (id) DO NOTHING";
/// A photo belongs to the first signal that names it (a later one naming the same id
/// is a claim on someone else's photo, refused since; see `crate::photos::declare`).
pub(crate) const FIRST_SIGNAL_NAMING_PHOTO: &str =
    "SELECT id FROM neighbourhood_signals WHERE photo_id = $1 ORDER BY received_at, id LIMIT 1";
pub(crate) const DELETE_PHOTO_UPLOAD: &str = "DELETE FROM signal_photos WHERE id = $1";
pub(crate) const UNMARK_SIGNAL_PHOTO_ARRIVED: &str =
    "UPDATE neighbourhood_signals SET photo_arrived_at = NULL WHERE id = $1";
/// The phone declared other bytes for an unfinished upload (it re-encoded the photo):
/// the new declaration wins and the upload starts again from 0.
pub(crate) const REDECLARE_PHOTO_UPLOAD: &str = "UPDATE signal_photos SET content_type = $2, size = $3, \
    sha256 = $4, received = 0, updated_at = $5 WHERE id = $1 AND completed_at IS NULL";
pub(crate) const PHOTO_UPLOAD: &str = concat!("SELECT ", photo_upload_columns!(), " FROM signal_photos WHERE id = $1");
/// PostgreSQL only: holds the upload against a concurrent chunk until commit.
pub(crate) const PHOTO_UPLOAD_LOCKED: &str =
    concat!("SELECT ", photo_upload_columns!(), " FROM signal_photos WHERE id = $1 FOR UPDATE");
pub(crate) const INSERT_PHOTO_CHUNK: &str =
    "INSERT INTO signal_photo_chunks (photo_id, first_byte, data) VALUES ($1, $2, $3)";
pub(crate) const ADVANCE_PHOTO_UPLOAD: &str = "UPDATE signal_photos SET received = $2, updated_at = $3 \
    WHERE id = $1";
pub(crate) const PHOTO_CHUNKS: &str =
    "SELECT first_byte, data FROM signal_photo_chunks WHERE photo_id = $1 ORDER BY first_byte";
pub(crate) const DELETE_PHOTO_CHUNKS: &str = "DELETE FROM signal_photo_chunks WHERE photo_id = $1";
/// Only an unfinished upload whose every byte arrived; `$3` is the finished photo.
pub(crate) const COMPLETE_PHOTO_UPLOAD: &str = "UPDATE signal_photos SET completed_at = $2, data = $3, \
    updated_at = $2 WHERE id = $1 AND completed_at IS NULL AND received = size RETURNING signal_id";
pub(crate) const MARK_SIGNAL_PHOTO_ARRIVED: &str =
    "UPDATE neighbourhood_signals SET photo_arrived_at = $2 WHERE id = $1";
pub(crate) const RESTART_PHOTO_UPLOAD: &str = "UPDATE signal_photos SET received = 0, updated_at = $2 \
    WHERE id = $1 AND completed_at IS NULL";
/// The finished photo of a signal, only once it has arrived whole.
pub(crate) const SIGNAL_PHOTO: &str = "SELECT p.data FROM signal_photos p \
    JOIN neighbourhood_signals s ON s.id = p.signal_id AND s.photo_id = p.id \
    WHERE p.signal_id = $1 AND p.completed_at IS NOT NULL";
/// Chunks go with their upload (ON DELETE CASCADE).
pub(crate) const DELETE_STALE_PHOTO_UPLOADS: &str =
    "DELETE FROM signal_photos WHERE completed_at IS NULL AND updated_at < $1";

// --- pull, conflict review, team view (issue 4) ----------------------------------------
/// Followed by the rows' `VALUES`: a push appends its whole batch in one statement.
pub(crate) const INSERT_CHANGES: &str = "INSERT INTO sync_changes (record_kind, record_id, version, \
    team_id, author_id, author_org_id, referred_to_org_id, deleted, changed_at) ";
/// PostgreSQL only: one array per column of [`INSERT_CHANGES`] (see
/// [`INSERT_CONTACTS_UNNEST`]), appended under the one lock (key: "WYKPFEED" in ASCII)
/// every change-feed appender holds from its feed rows to commit (see migration 0004
/// and `postgres::feed`). The lock is taken by the same statement, saving a round trip:
/// every row comes out of the cross join with `feed_lock`, so none reaches the insert,
/// and its `seq`, before the lock is held. In the arrays' order, so that `seq` follows
/// the order of the writes: a signal created and edited in one push ends at its edit.
pub(crate) const APPEND_CHANGES_LOCKED: &str = "WITH feed_lock AS MATERIALIZED \
    (SELECT pg_advisory_xact_lock(6294144762375390532)) \
    INSERT INTO sync_changes (record_kind, record_id, version, \
    team_id, author_id, author_org_id, referred_to_org_id, deleted, changed_at) \
    SELECT k, r, v, t, a, ao, ro, d, w FROM feed_lock, UNNEST($1::text[], $2::uuid[], $3::bigint[], \
    $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::boolean[], $9::timestamptz[]) \
    WITH ORDINALITY AS c (k, r, v, t, a, ao, ro, d, w, n) ORDER BY n";
/// The end of the feed as the reading transaction sees it.
pub(crate) const FEED_END: &str = "SELECT COALESCE(MAX(seq), 0) FROM sync_changes";
/// Each record's latest change after `$1`, oldest first; `$2` is the page size plus
/// one (to tell whether more is waiting). A record changed again since is left to its
/// later row, so it appears once, at its latest state.
macro_rules! feed_page {
    ($scope:literal) => {
        concat!(
            "SELECT c.seq, c.record_kind, c.record_id, c.version, c.deleted FROM sync_changes c \
             WHERE c.seq > $1 AND NOT EXISTS (SELECT 1 FROM sync_changes l \
             WHERE l.record_id = c.record_id AND l.seq > c.seq) AND ",
            $scope,
            " ORDER BY c.seq LIMIT $2"
        )
    };
}
/// Police: the team's (`$3`) signals and the contacts the caller (`$4`) logged.
pub(crate) const FEED_PAGE_TEAM: &str =
    feed_page!("c.team_id = $3 AND (c.record_kind = 'signal' OR (c.record_kind = 'contact' AND c.author_id = $4))");
/// Partners and city services: signals filed by or referred to the organisation `$3`.
pub(crate) const FEED_PAGE_ORGANISATION: &str =
    feed_page!("c.record_kind = 'signal' AND (c.author_org_id = $3 OR c.referred_to_org_id = $3)");
pub(crate) const CONTACTS_BY_ID: &str = concat!("SELECT ", contact_columns!(), " FROM street_contacts WHERE id IN (");
pub(crate) const SIGNALS_BY_ID: &str =
    concat!("SELECT ", signal_columns!(), " FROM neighbourhood_signals WHERE id IN (");

/// A conflict with the signal as it is now, its phone and its author. The signal's
/// columns come whole from a subquery, so the conflict's own are renamed instead.
macro_rules! conflict_select {
    ($where:literal) => {
        concat!(
            "SELECT s.*, k.mutation_id, k.device_id AS edit_device_id, d.label AS device_label, \
             k.author_id AS edit_author_id, u.display_name AS edit_author_name, k.base_version, k.body, \
             k.created_at AS kept_at, k.resolved_at \
             FROM sync_conflicts k \
             JOIN (SELECT ",
            signal_columns!(),
            ", version AS signal_version FROM neighbourhood_signals) s ON s.id = k.signal_id \
             JOIN devices d ON d.id = k.device_id JOIN users u ON u.id = k.author_id WHERE ",
            $where
        )
    };
}
/// The open conflicts of a team's (`$1`) signals, oldest first: decided in the order they came.
pub(crate) const OPEN_CONFLICTS: &str =
    conflict_select!("k.resolved_at IS NULL AND s.team_id = $1 ORDER BY k.created_at, k.mutation_id");
pub(crate) const CONFLICT: &str = conflict_select!("k.mutation_id = $1");
pub(crate) const CONFLICT_FOR_RESOLVE: &str =
    "SELECT signal_id, body, resolved_at FROM sync_conflicts WHERE mutation_id = $1";
/// `$1` conflict, `$2` the lead, `$3` when, `$4` the choice. Only an open one.
pub(crate) const MARK_RESOLVED: &str = "UPDATE sync_conflicts SET resolved_by = $2, resolved_at = $3, \
    resolution = $4 WHERE mutation_id = $1 AND resolved_at IS NULL";

/// The team's (`$1`) records, newest arrival first, each with the phone that sent it:
/// a record's id is the id of the mutation that created it, and a record entered on
/// the web has no receipt (no device).
macro_rules! synced_part {
    ($kind:literal, $what:literal, $table:literal) => {
        concat!(
            "SELECT '",
            $kind,
            "' AS record_kind, x.id AS id, x.",
            $what,
            " AS what, x.occurred_at AS occurred_at, x.received_at AS received_at, \
             u.display_name AS author_name, d.label AS device_label \
             FROM ",
            $table,
            " x JOIN users u ON u.id = x.author_id LEFT JOIN sync_receipts r ON r.mutation_id = x.id \
             LEFT JOIN devices d ON d.id = r.device_id WHERE x.team_id = $1"
        )
    };
}
pub(crate) const SYNCED_RECORDS: &str = concat!(
    synced_part!("contact", "kind", "street_contacts"),
    " UNION ALL ",
    synced_part!("signal", "category", "neighbourhood_signals"),
    " ORDER BY received_at DESC, id DESC LIMIT $2"
);
/// Retention: the contacts that happened before `$1` go; their tombstones are built
/// from what this returns, so exactly the deleted rows get one.
pub(crate) const RETENTION_DELETE: &str =
    "DELETE FROM street_contacts WHERE occurred_at < $1 RETURNING id, team_id, author_id";
/// PostgreSQL: held until commit, so a second lead resolving at once waits and then
/// finds it resolved.
pub(crate) const CONFLICT_FOR_RESOLVE_LOCKED: &str =
    "SELECT signal_id, body, resolved_at FROM sync_conflicts WHERE mutation_id = $1 FOR UPDATE";
