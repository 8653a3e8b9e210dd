-- Identity and access, PostgreSQL flavour: the same changes as the SQLite
-- migration, with native uuid and timestamptz columns.

-- 1. A new organisation kind, city_service.
ALTER TABLE partner_organisations
    DROP CONSTRAINT partner_organisations_kind_known,
    ADD CONSTRAINT partner_organisations_kind_known CHECK (kind IN (
        'youth_work', 'street_work', 'neighbourhood_parents', 'mosque_stewards',
        'neighbourhood_committee', 'traders_association', 'social_services',
        'city_service'));

-- 2. Who filed a signal (for a partner: their organisation) and who it was referred
-- to, so each organisation sees exactly its own signals; and the team's feedback.
ALTER TABLE neighbourhood_signals
    ADD COLUMN author_org_id UUID REFERENCES partner_organisations (id),
    ADD COLUMN referred_to_org_id UUID REFERENCES partner_organisations (id),
    ADD COLUMN feedback TEXT;
CREATE INDEX neighbourhood_signals_author_org ON neighbourhood_signals (author_org_id);
CREATE INDEX neighbourhood_signals_referred_to_org ON neighbourhood_signals (referred_to_org_id);

-- 3. One-time links to set a password; only a hash of the link's token is kept.
CREATE TABLE password_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_tokens_user ON password_tokens (user_id);

-- 4. Failed log-ins, counted per key ("user:<name>" or "addr:<ip>") over a window.
CREATE TABLE login_failures (
    id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT COLLATE "C" NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

-- 5. Phones registered for offline use; the credential is kept only as a hash.
CREATE TABLE devices (
    id              UUID PRIMARY KEY NOT NULL,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label           TEXT NOT NULL,
    credential_hash TEXT NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ,
    revoked_by      UUID REFERENCES users (id)
);
CREATE INDEX devices_user ON devices (user_id);

-- 6. Every read of a field that can hold personal data. Append-only: the trigger
-- below refuses UPDATE, DELETE and TRUNCATE, whoever sends them (short of the
-- table's owner disabling it, which the application never does). Its references
-- have no ON DELETE action on purpose: a reader who is in the log cannot vanish from it.
CREATE TABLE access_log (
    id          UUID PRIMARY KEY NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    reader_id   UUID NOT NULL REFERENCES users (id),
    record_kind TEXT NOT NULL CONSTRAINT access_log_record_kind_known CHECK (record_kind IN (
                    'contact', 'signal')),
    record_id   UUID NOT NULL,
    field       TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    team_id     UUID NOT NULL REFERENCES teams (id),
    org_id      UUID REFERENCES partner_organisations (id)
);
CREATE INDEX access_log_team_at ON access_log (team_id, at);
CREATE INDEX access_log_org_at ON access_log (org_id, at);
CREATE INDEX access_log_record ON access_log (record_id);

CREATE FUNCTION access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
-- Per statement, so that even an UPDATE or DELETE that matches no row is refused,
-- and because TRUNCATE only has statement triggers.
CREATE TRIGGER access_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse_change();
