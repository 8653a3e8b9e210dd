-- A person's last visit to a home screen, so it can say what changed since (issue 10:
-- a partner's home lists the status and feedback changes of the organisation's signals
-- since the last visit). Kept on the server, not in the browser, so it follows the
-- person from phone to desk. `changes_since` is the moment "since your last visit"
-- counts from: a reload moments later must not make the changes disappear.
CREATE TABLE screen_visits (
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    screen        TEXT NOT NULL,
    seen_at       TIMESTAMPTZ NOT NULL,
    changes_since TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, screen)
);
