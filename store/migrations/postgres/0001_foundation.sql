-- Wijkpost's foundation, PostgreSQL flavour. The same tables as the SQLite
-- migration, with native uuid and timestamptz (microsecond precision) columns.
-- Codes are the domain's snake_case texts; the CHECK lists mirror domain/src/codes.rs.
-- Columns that listings sort by are COLLATE "C": byte order, as SQLite sorts, so both
-- backends list in the same order whatever locale the server was initialised with.

CREATE TABLE districts (
    id   UUID PRIMARY KEY NOT NULL,
    name TEXT COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE teams (
    id          UUID PRIMARY KEY NOT NULL,
    district_id UUID NOT NULL REFERENCES districts (id),
    name        TEXT COLLATE "C" NOT NULL UNIQUE
);
CREATE INDEX teams_district ON teams (district_id);

CREATE TABLE neighbourhoods (
    id               UUID PRIMARY KEY NOT NULL,
    district_id      UUID NOT NULL REFERENCES districts (id),
    name             TEXT COLLATE "C" NOT NULL,
    boundary_geojson TEXT NOT NULL,
    UNIQUE (district_id, name)
);

CREATE TABLE partner_organisations (
    id          UUID PRIMARY KEY NOT NULL,
    name        TEXT COLLATE "C" NOT NULL UNIQUE,
    kind        TEXT NOT NULL CONSTRAINT partner_organisations_kind_known CHECK (kind IN (
                    'youth_work', 'street_work', 'neighbourhood_parents', 'mosque_stewards',
                    'neighbourhood_committee', 'traders_association', 'social_services')),
    district_id UUID REFERENCES districts (id)
);

CREATE TABLE users (
    id             UUID PRIMARY KEY NOT NULL,
    username       TEXT NOT NULL,
    -- The username trimmed and lower-cased (Unicode-aware, by the application):
    -- log-in ignores case, so two usernames differing only in case cannot coexist.
    username_key   TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CONSTRAINT users_role_known CHECK (role IN (
                       'officer', 'team_lead', 'intervention_officer', 'partner',
                       'city_service', 'admin')),
    team_id        UUID REFERENCES teams (id),
    partner_org_id UUID REFERENCES partner_organisations (id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE street_contacts (
    id               UUID PRIMARY KEY NOT NULL,
    author_id        UUID NOT NULL REFERENCES users (id),
    team_id          UUID NOT NULL REFERENCES teams (id),
    neighbourhood_id UUID NOT NULL REFERENCES neighbourhoods (id),
    occurred_at      TIMESTAMPTZ NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    mobility         TEXT NOT NULL CONSTRAINT street_contacts_mobility_known CHECK (mobility IN (
                         'on_foot', 'bike')),
    kind             TEXT NOT NULL CONSTRAINT street_contacts_kind_known CHECK (kind IN (
                         'conversation', 'question', 'mediation', 'assistance', 'check')),
    reason           TEXT NOT NULL CONSTRAINT street_contacts_reason_known CHECK (reason IN (
                         'acquaintance', 'nuisance', 'safety_concern', 'neighbour_dispute',
                         'youth', 'traffic', 'information', 'prevention', 'other')),
    outcome          TEXT NOT NULL CONSTRAINT street_contacts_outcome_known CHECK (outcome IN (
                         'informed', 'resolved_on_the_spot', 'referred_to_partner',
                         'follow_up_by_team', 'report_drawn_up', 'no_action_needed')),
    lat              DOUBLE PRECISION CHECK (lat BETWEEN -90 AND 90),
    lon              DOUBLE PRECISION CHECK (lon BETWEEN -180 AND 180),
    accuracy_m       DOUBLE PRECISION,
    street           TEXT,
    note             TEXT,
    -- Half a coordinate is not a place.
    CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX street_contacts_team_newest ON street_contacts (team_id, occurred_at DESC, id DESC);
CREATE INDEX street_contacts_author_newest ON street_contacts (author_id, occurred_at DESC, id DESC);
CREATE INDEX street_contacts_neighbourhood_newest ON street_contacts (neighbourhood_id, occurred_at DESC, id DESC);
CREATE INDEX street_contacts_newest ON street_contacts (occurred_at DESC, id DESC);

CREATE TABLE neighbourhood_signals (
    id               UUID PRIMARY KEY NOT NULL,
    author_id        UUID NOT NULL REFERENCES users (id),
    team_id          UUID NOT NULL REFERENCES teams (id),
    neighbourhood_id UUID NOT NULL REFERENCES neighbourhoods (id),
    occurred_at      TIMESTAMPTZ NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    category         TEXT NOT NULL CONSTRAINT neighbourhood_signals_category_known CHECK (category IN (
                         'nuisance', 'noise', 'vandalism', 'lighting', 'waste', 'traffic_safety',
                         'drugs', 'youth', 'social_isolation', 'neighbour_dispute', 'unsafe_place',
                         'other')),
    urgency          TEXT NOT NULL CONSTRAINT neighbourhood_signals_urgency_known CHECK (urgency IN (
                         'low', 'normal', 'high')),
    status           TEXT NOT NULL CONSTRAINT neighbourhood_signals_status_known CHECK (status IN (
                         'open', 'in_progress', 'referred', 'resolved')),
    description      TEXT NOT NULL,
    lat              DOUBLE PRECISION CHECK (lat BETWEEN -90 AND 90),
    lon              DOUBLE PRECISION CHECK (lon BETWEEN -180 AND 180),
    accuracy_m       DOUBLE PRECISION,
    street           TEXT,
    CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX neighbourhood_signals_team_newest ON neighbourhood_signals (team_id, occurred_at DESC, id DESC);
CREATE INDEX neighbourhood_signals_author_newest ON neighbourhood_signals (author_id, occurred_at DESC, id DESC);
CREATE INDEX neighbourhood_signals_neighbourhood_newest ON neighbourhood_signals (neighbourhood_id, occurred_at DESC, id DESC);
CREATE INDEX neighbourhood_signals_newest ON neighbourhood_signals (occurred_at DESC, id DESC);
