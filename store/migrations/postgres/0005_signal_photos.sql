-- Photos of neighbourhood signals (issue 4), uploaded after the signal in chunks.
-- The signal names its photo from the start (the phone chose the id), so a view can
-- say "photo still uploading"; photo_arrived_at is set in the same transaction that
-- stores the finished photo. Not unique: a second signal naming a taken id simply
-- cannot upload it (409), where a unique index would fail its phone's whole push.

ALTER TABLE neighbourhood_signals ADD COLUMN photo_id UUID;
ALTER TABLE neighbourhood_signals ADD COLUMN photo_arrived_at TIMESTAMPTZ;

-- One upload per photo. `received` counts the bytes in signal_photo_chunks; `data` is
-- the finished photo (metadata stripped), set together with completed_at, after which
-- the chunks are gone.
CREATE TABLE signal_photos (
    id           UUID PRIMARY KEY NOT NULL,
    signal_id    UUID NOT NULL UNIQUE REFERENCES neighbourhood_signals (id) ON DELETE CASCADE,
    uploader_id  UUID NOT NULL REFERENCES users (id),
    content_type TEXT NOT NULL,
    -- 5 MiB: domain::photo::MAX_PHOTO_BYTES.
    size         BIGINT NOT NULL CHECK (size BETWEEN 1 AND 5242880),
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    received     BIGINT NOT NULL DEFAULT 0,
    started_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ,
    data         BYTEA,
    CHECK (received BETWEEN 0 AND size),
    CHECK ((completed_at IS NULL) = (data IS NULL))
);
CREATE INDEX signal_photos_unfinished ON signal_photos (updated_at) WHERE completed_at IS NULL;

-- A chunk as it arrived: one row per PATCH, written in that request's transaction, so
-- a server killed mid-upload keeps every chunk it acknowledged and none it did not.
CREATE TABLE signal_photo_chunks (
    photo_id   UUID NOT NULL REFERENCES signal_photos (id) ON DELETE CASCADE,
    first_byte BIGINT NOT NULL CHECK (first_byte >= 0),
    data       BYTEA NOT NULL,
    PRIMARY KEY (photo_id, first_byte)
);
