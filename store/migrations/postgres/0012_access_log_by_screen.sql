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
-- The append-only trigger is per statement and refuses TRUNCATE too, so the old
-- table is renamed and dropped whole (the table's owner may; the application never
-- does anything but INSERT and SELECT).
DROP TRIGGER access_log_append_only ON access_log;
ALTER TABLE access_log RENAME TO access_log_by_field;
ALTER INDEX access_log_team_at RENAME TO access_log_by_field_team_at;
ALTER INDEX access_log_org_at RENAME TO access_log_by_field_org_at;
ALTER INDEX access_log_record RENAME TO access_log_by_field_record;
ALTER TABLE access_log_by_field RENAME CONSTRAINT access_log_pkey TO access_log_by_field_pkey;

CREATE TABLE access_log (
    id          UUID PRIMARY KEY NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    reader_id   UUID NOT NULL REFERENCES users (id),
    purpose     TEXT NOT NULL,
    team_id     UUID NOT NULL REFERENCES teams (id),
    org_id      UUID REFERENCES partner_organisations (id),
    shown       JSONB NOT NULL CONSTRAINT access_log_shown_is_a_list CHECK (
                    jsonb_typeof(shown) = 'array' AND jsonb_array_length(shown) > 0)
);

INSERT INTO access_log (id, at, reader_id, purpose, team_id, org_id, shown)
SELECT min(first_id::text)::uuid, at, reader_id, purpose, team_id, org_id, jsonb_agg(item ORDER BY kind, field)
FROM (
    SELECT min(id::text) AS first_id, at, reader_id, purpose, team_id, org_id, record_kind AS kind, field,
           jsonb_build_object('kind', record_kind, 'field', field,
                              'records', jsonb_agg(record_id ORDER BY id)) AS item
    FROM access_log_by_field
    GROUP BY at, reader_id, purpose, team_id, org_id, record_kind, field
) AS per_field
GROUP BY at, reader_id, purpose, team_id, org_id;

DROP TABLE access_log_by_field;

-- Read by team and by organisation, newest first. Most entries are the police's own
-- records (no organisation): those the organisation index leaves out.
CREATE INDEX access_log_team_at ON access_log (team_id, at);
CREATE INDEX access_log_org_at ON access_log (org_id, at) WHERE org_id IS NOT NULL;

-- Per statement, so that even an UPDATE or DELETE that matches no row is refused,
-- and because TRUNCATE only has statement triggers.
CREATE TRIGGER access_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse_change();
