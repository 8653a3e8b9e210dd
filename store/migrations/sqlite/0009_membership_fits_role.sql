-- Issue 8, item 3: an account's role decides which of team and organisation it has.
-- Police (officer, team lead, intervention officer) a team and no organisation;
-- partners and city services an organisation and no team; admins neither. Until now
-- only the admin page kept to that: through the JSON API a team lead could make an
-- officer of a partner organisation, whose signals then carried that organisation,
-- so the partner read the police text. The application checks it in one use case
-- (domain::Membership); this CHECK holds it for every row, however written. Whether
-- the organisation is of the right kind (a city service for a city-service account)
-- needs the organisations table, which a CHECK cannot read: that stays with the
-- application.
--
-- SQLite flavour. Same approach and reasons as 0002's rebuild of
-- partner_organisations (read its comment first): sqlx runs this in a transaction,
-- where foreign keys cannot be switched off, so the table is stashed, dropped,
-- created again under its own name and filled back, with defer_foreign_keys ON so
-- the references from contacts, signals, the access log and the sync tables are
-- counted off again as the accounts come back. One difference: sessions,
-- password_tokens and devices refer to users ON DELETE CASCADE, and the DROP's
-- implicit DELETE runs those actions, so their rows are stashed too and put back
-- after the accounts (devices before what refers to them is checked, at COMMIT).
-- They are copied with `*`: the rows go back into the very same tables, so this
-- keeps every column, including any a later migration adds.
PRAGMA defer_foreign_keys = ON;

-- 1. Rows that break the rule lose what their role does not have. Nothing is
-- invented: the application has never let a police account go without a team, nor a
-- partner or city service without an organisation, so only extras are found here.
UPDATE users SET partner_org_id = NULL
    WHERE role IN ('officer', 'team_lead', 'intervention_officer') AND partner_org_id IS NOT NULL;
UPDATE users SET team_id = NULL WHERE role IN ('partner', 'city_service') AND team_id IS NOT NULL;
UPDATE users SET team_id = NULL, partner_org_id = NULL
    WHERE role = 'admin' AND (team_id IS NOT NULL OR partner_org_id IS NOT NULL);

-- 2. Signals such a police account filed carry the organisation it had; they are the
-- team's, not the partner's. The feed keeps who may see each change, so its rows for
-- those signals say the same (a copy a partner's phone already pulled stays there).
UPDATE neighbourhood_signals SET author_org_id = NULL
    WHERE author_org_id IS NOT NULL AND author_id IN (
        SELECT id FROM users WHERE role IN ('officer', 'team_lead', 'intervention_officer'));
UPDATE sync_changes SET author_org_id = NULL
    WHERE record_kind = 'signal' AND author_org_id IS NOT NULL AND author_id IN (
        SELECT id FROM users WHERE role IN ('officer', 'team_lead', 'intervention_officer'));

-- 3. The rebuild.
CREATE TABLE users_stash AS SELECT id, username, username_key, display_name, password_hash, role, team_id,
    partner_org_id FROM users;
CREATE TABLE sessions_stash AS SELECT * FROM sessions;
CREATE TABLE password_tokens_stash AS SELECT * FROM password_tokens;
CREATE TABLE devices_stash AS SELECT * FROM devices;
DROP TABLE users;
CREATE TABLE users (
    id             TEXT PRIMARY KEY NOT NULL,
    username       TEXT NOT NULL,
    -- The username trimmed and lower-cased (Unicode-aware, by the application):
    -- log-in ignores case, so two usernames differing only in case cannot coexist.
    username_key   TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CONSTRAINT users_role_known CHECK (role IN (
                       'officer', 'team_lead', 'intervention_officer', 'partner',
                       'city_service', 'admin')),
    team_id        TEXT REFERENCES teams (id),
    partner_org_id TEXT REFERENCES partner_organisations (id),
    CONSTRAINT users_membership_fits_role CHECK (
        (role IN ('officer', 'team_lead', 'intervention_officer')
            AND team_id IS NOT NULL AND partner_org_id IS NULL)
        OR (role IN ('partner', 'city_service') AND team_id IS NULL AND partner_org_id IS NOT NULL)
        OR (role = 'admin' AND team_id IS NULL AND partner_org_id IS NULL))
);
INSERT INTO users (id, username, username_key, display_name, password_hash, role, team_id, partner_org_id)
    SELECT id, username, username_key, display_name, password_hash, role, team_id, partner_org_id FROM users_stash;
INSERT INTO devices SELECT * FROM devices_stash;
INSERT INTO sessions SELECT * FROM sessions_stash;
INSERT INTO password_tokens SELECT * FROM password_tokens_stash;
DROP TABLE users_stash;
DROP TABLE sessions_stash;
DROP TABLE password_tokens_stash;
DROP TABLE devices_stash;
