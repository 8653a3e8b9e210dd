-- Push speed (SQLite only): sync_receipts becomes a WITHOUT ROWID table, clustered on
-- its primary key. As a rowid table every receipt was written to three b-trees (the
-- rows, the primary key's index, the (device_id, seq) index); now to two, and the
-- replay lookup by mutation_id reads the row where the key is. The rows are small
-- (well under a twentieth of a page), as WITHOUT ROWID wants. Same columns, checks,
-- keys and references; every receipt is copied over. Nothing refers to this table,
-- so it can be rebuilt without touching others. PostgreSQL's heap tables have no
-- such choice, so it has no 0007.
CREATE TABLE sync_receipts_new (
    mutation_id TEXT PRIMARY KEY NOT NULL,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    seq         BIGINT NOT NULL CHECK (seq >= 1),
    -- The domain's Outcome as JSON: replays must return it byte for byte.
    outcome     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    CONSTRAINT sync_receipts_device_seq UNIQUE (device_id, seq)
) WITHOUT ROWID;
INSERT INTO sync_receipts_new (mutation_id, device_id, seq, outcome, received_at)
    SELECT mutation_id, device_id, seq, outcome, received_at FROM sync_receipts;
DROP TABLE sync_receipts;
ALTER TABLE sync_receipts_new RENAME TO sync_receipts;
