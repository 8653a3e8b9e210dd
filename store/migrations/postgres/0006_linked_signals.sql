-- A signal reported again ("is it one of these?" — yes) is stored as a signal of its
-- own, with its time, place, author and photo, and names the earlier signal here, so
-- the same lamp is handled once and counted as reported N times. NULL: an independent
-- signal. The service checks that the earlier one is of the same team and readable by
-- the author; the reference keeps a link from pointing at nothing.

ALTER TABLE neighbourhood_signals ADD COLUMN duplicate_of UUID REFERENCES neighbourhood_signals (id);

-- Counting a signal's reports, for a listing's page of signals, reads this index only.
CREATE INDEX neighbourhood_signals_duplicate_of ON neighbourhood_signals (duplicate_of)
    WHERE duplicate_of IS NOT NULL;
