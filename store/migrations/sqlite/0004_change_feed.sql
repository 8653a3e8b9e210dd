-- Pull (issue 4): every insert, change and deletion of a contact or signal appends a
-- row here, in the same transaction. `seq` only grows (AUTOINCREMENT never reuses a
-- number, even after old rows are cleared) and SQLite has one writer at a time, so
-- changes commit in `seq` order and a reader at position n can never later find a
-- change below n. The row keeps who may see it (team, author, organisations) so a
-- deletion can still be shown to them once the record itself is gone.
CREATE TABLE sync_changes (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    record_kind        TEXT NOT NULL CONSTRAINT sync_changes_kind_known CHECK (record_kind IN ('contact', 'signal')),
    record_id          TEXT NOT NULL,
    -- The record's version after this change; a deletion is one more than the last.
    version            BIGINT NOT NULL CHECK (version >= 1),
    team_id            TEXT NOT NULL,
    author_id          TEXT NOT NULL,
    author_org_id      TEXT,
    referred_to_org_id TEXT,
    deleted            BOOLEAN NOT NULL DEFAULT FALSE,
    changed_at         TEXT NOT NULL
);
-- "The latest change of this record": one index lookup per candidate row.
CREATE INDEX sync_changes_record ON sync_changes (record_id, seq);

-- Records from before the feed: one change each, in the order they arrived.
INSERT INTO sync_changes (record_kind, record_id, version, team_id, author_id, changed_at)
    SELECT 'contact', id, 1, team_id, author_id, received_at FROM street_contacts ORDER BY received_at, id;
INSERT INTO sync_changes (record_kind, record_id, version, team_id, author_id, author_org_id, referred_to_org_id, changed_at)
    SELECT 'signal', id, version, team_id, author_id, author_org_id, referred_to_org_id, received_at
    FROM neighbourhood_signals ORDER BY received_at, id;

-- How a team lead settled a kept conflict, next to when and by whom (0003).
ALTER TABLE sync_conflicts ADD COLUMN resolution TEXT
    CONSTRAINT sync_conflicts_resolution_known CHECK (resolution IN ('keep_current', 'apply_edit'));

-- The team view lists a team's newest records.
CREATE INDEX street_contacts_team_received ON street_contacts (team_id, received_at DESC, id DESC);
CREATE INDEX neighbourhood_signals_team_received ON neighbourhood_signals (team_id, received_at DESC, id DESC);
-- The retention sweep deletes contacts by the moment they happened.
CREATE INDEX street_contacts_occurred ON street_contacts (occurred_at);
