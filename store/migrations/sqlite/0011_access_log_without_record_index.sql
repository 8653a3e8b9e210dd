-- A logged read's cost (issue 9, item 10), SQLite only: the access log keeps one row
-- per field shown, but no longer an index by record. A screen of 50 records added 50
-- entries to it at 50 scattered places (each record's entries end where that record's
-- end), and SQLite writes every page a commit touched whole to the WAL: that index
-- was three quarters of the log's write cost, for a lookup no screen makes. The log
-- is read by team and by organisation, newest first (access_log_team_at,
-- access_log_org_at, kept); "who read this record" still answers, by reading the
-- log. PostgreSQL logs a changed row, not its page, at each commit, so it keeps its
-- index and has no 0011.
DROP INDEX access_log_record;
