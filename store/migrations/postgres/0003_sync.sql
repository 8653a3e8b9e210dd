-- Exactly-once sync (issue 4). Every signal carries a version, and every version
-- records who wrote it (a device, or NULL for the web), so an offline edit can tell
-- "only my own device changed it since" from "someone else did" (a conflict).

ALTER TABLE neighbourhood_signals ADD COLUMN version BIGINT NOT NULL DEFAULT 1
    CONSTRAINT neighbourhood_signals_version_positive CHECK (version >= 1);

CREATE TABLE signal_versions (
    signal_id         UUID NOT NULL REFERENCES neighbourhood_signals (id) ON DELETE CASCADE,
    version           BIGINT NOT NULL CHECK (version >= 1),
    -- NULL: written on the web, which counts as another writer for every device.
    written_by_device UUID REFERENCES devices (id),
    written_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (signal_id, version)
);
-- Signals filed before this migration were written once, on the web.
INSERT INTO signal_versions (signal_id, version, written_by_device, written_at)
    SELECT id, 1, NULL, received_at FROM neighbourhood_signals;

-- One final answer per mutation id, kept forever so any replay gets it unchanged.
-- A device's seq is unique: a phone that lost its outbox registers as a new device.
CREATE TABLE sync_receipts (
    mutation_id UUID PRIMARY KEY NOT NULL,
    device_id   UUID NOT NULL REFERENCES devices (id),
    seq         BIGINT NOT NULL CHECK (seq >= 1),
    -- The domain's Outcome as JSON: replays must return it byte for byte.
    outcome     TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT sync_receipts_device_seq UNIQUE (device_id, seq)
);

-- Edits that came in on a version someone else had changed since: kept whole for a
-- team lead to resolve, never applied over the newer version nor dropped.
CREATE TABLE sync_conflicts (
    mutation_id     UUID PRIMARY KEY NOT NULL,
    signal_id       UUID NOT NULL REFERENCES neighbourhood_signals (id) ON DELETE CASCADE,
    device_id       UUID NOT NULL REFERENCES devices (id),
    author_id       UUID NOT NULL REFERENCES users (id),
    base_version    BIGINT NOT NULL,
    current_version BIGINT NOT NULL,
    -- What the edit would have changed (status, feedback) and when it was saved.
    body            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    resolved_at     TIMESTAMPTZ,
    resolved_by     UUID REFERENCES users (id),
    CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
);
CREATE INDEX sync_conflicts_open ON sync_conflicts (signal_id) WHERE resolved_at IS NULL;
