-- The access log at the cost of a row (issue 9, item 10): one entry per screen (or
-- API answer) and per organisation whose records it showed, listing the records and
-- fields in `shown`, instead of one row per field. A team lead's list of 50 signals
-- wrote 50 rows; it now writes one per partner organisation that filed some of them
-- (and one for the police's own). It reads better too: "Jan saw 50 signals'
-- descriptions on the signals page at 14:02" is one line, not fifty.
--
-- `shown` is JSON: [{"kind": "signal", "field": "description", "records": [uuid, …]}],
-- one element per kind and field, the records in the order shown.
--
-- The old rows are regrouped, not dropped: one request's rows share their moment,
-- reader, purpose, team and organisation, so grouping by those rebuilds its entry.
DROP TRIGGER access_log_no_update;
DROP TRIGGER access_log_no_delete;
DROP INDEX access_log_team_at;
DROP INDEX access_log_org_at;
ALTER TABLE access_log RENAME TO access_log_by_field;

-- Its references have no ON DELETE action on purpose: a reader who is in the log
-- cannot vanish from it.
CREATE TABLE access_log (
    id          TEXT PRIMARY KEY NOT NULL,
    at          TEXT NOT NULL,
    reader_id   TEXT NOT NULL REFERENCES users (id),
    purpose     TEXT NOT NULL,
    team_id     TEXT NOT NULL REFERENCES teams (id),
    org_id      TEXT REFERENCES partner_organisations (id),
    shown       TEXT NOT NULL CONSTRAINT access_log_shown_is_a_list CHECK (
                    json_valid(shown) AND json_type(shown) = 'array' AND json_array_length(shown) > 0)
);

INSERT INTO access_log (id, at, reader_id, purpose, team_id, org_id, shown)
SELECT min(first_id), at, reader_id, purpose, team_id, org_id, json_group_array(json(item))
FROM (
    SELECT min(id) AS first_id, at, reader_id, purpose, team_id, org_id,
           json_object('kind', record_kind, 'field', field, 'records', json_group_array(record_id)) AS item
    FROM access_log_by_field
    GROUP BY at, reader_id, purpose, team_id, org_id, record_kind, field
)
GROUP BY at, reader_id, purpose, team_id, org_id;

DROP TABLE access_log_by_field;

-- Read by team and by organisation, newest first. Most entries are the police's own
-- records (no organisation): those the organisation index leaves out.
CREATE INDEX access_log_team_at ON access_log (team_id, at);
CREATE INDEX access_log_org_at ON access_log (org_id, at) WHERE org_id IS NOT NULL;

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
