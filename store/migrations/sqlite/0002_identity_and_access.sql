-- Identity and access, SQLite flavour: who filed or handles a signal, one-time
-- password links, log-in throttling, registered devices and the access log.
-- Same conventions as 0001: ids and moments are text (moments fixed-width UTC, so
-- text order is time order).

-- 1. A new organisation kind, city_service. SQLite cannot alter a CHECK, so the
-- table is rebuilt. Not the textbook "create new, copy, drop old, rename new": the
-- store runs with foreign_keys ON and sqlx runs a migration inside a transaction,
-- where PRAGMA foreign_keys cannot be switched off. Dropping the old table then
-- deletes its rows, leaving users.partner_org_id pointing at nothing, and a rename
-- afterwards does not undo that count, so COMMIT would fail on any database with a
-- partner account. Instead: stash the rows, drop the table, create it again under
-- the same name (which the users' REFERENCES clause names) and copy the rows back.
-- With defer_foreign_keys ON (it only lasts until this transaction ends), the drop
-- counts the orphaned users and copying each organisation back counts them off
-- again, so the commit's check passes exactly when every reference is restored.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE partner_organisations_stash AS SELECT id, name, kind, district_id FROM partner_organisations;
DROP TABLE partner_organisations;
CREATE TABLE partner_organisations (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CONSTRAINT partner_organisations_kind_known CHECK (kind IN (
                    'youth_work', 'street_work', 'neighbourhood_parents', 'mosque_stewards',
                    'neighbourhood_committee', 'traders_association', 'social_services',
                    'city_service')),
    district_id TEXT REFERENCES districts (id)
);
INSERT INTO partner_organisations (id, name, kind, district_id)
    SELECT id, name, kind, district_id FROM partner_organisations_stash;
DROP TABLE partner_organisations_stash;

-- 2. Who filed a signal (for a partner: their organisation) and who it was referred
-- to, so each organisation sees exactly its own signals; and the team's feedback.
ALTER TABLE neighbourhood_signals ADD COLUMN author_org_id TEXT REFERENCES partner_organisations (id);
ALTER TABLE neighbourhood_signals ADD COLUMN referred_to_org_id TEXT REFERENCES partner_organisations (id);
ALTER TABLE neighbourhood_signals ADD COLUMN feedback TEXT;
CREATE INDEX neighbourhood_signals_author_org ON neighbourhood_signals (author_org_id);
CREATE INDEX neighbourhood_signals_referred_to_org ON neighbourhood_signals (referred_to_org_id);

-- 3. One-time links to set a password; only a hash of the link's token is kept.
CREATE TABLE password_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX password_tokens_user ON password_tokens (user_id);

-- 4. Failed log-ins, counted per key ("user:<name>" or "addr:<ip>") over a window.
CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

-- 5. Phones registered for offline use; the credential is kept only as a hash.
CREATE TABLE devices (
    id              TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label           TEXT NOT NULL,
    credential_hash TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    last_seen_at    TEXT,
    revoked_at      TEXT,
    revoked_by      TEXT REFERENCES users (id)
);
CREATE INDEX devices_user ON devices (user_id);

-- 6. Every read of a field that can hold personal data. Append-only: the triggers
-- below refuse any UPDATE or DELETE, whoever sends it. Its references have no
-- ON DELETE action on purpose: a reader who is in the log cannot vanish from it.
CREATE TABLE access_log (
    id          TEXT PRIMARY KEY NOT NULL,
    at          TEXT NOT NULL,
    reader_id   TEXT NOT NULL REFERENCES users (id),
    record_kind TEXT NOT NULL CONSTRAINT access_log_record_kind_known CHECK (record_kind IN (
                    'contact', 'signal')),
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    team_id     TEXT NOT NULL REFERENCES teams (id),
    org_id      TEXT REFERENCES partner_organisations (id)
);
CREATE INDEX access_log_team_at ON access_log (team_id, at);
CREATE INDEX access_log_org_at ON access_log (org_id, at);
CREATE INDEX access_log_record ON access_log (record_id);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
