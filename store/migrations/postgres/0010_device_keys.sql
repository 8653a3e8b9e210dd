-- Device keys that stay revoked (issue 8).
-- 1. The session a phone registered itself in. Revoking that phone ends that session
--    (a lost phone may still hold a live cookie) and no other: revoking one's spare
--    phone from a desk must not log the desk out.
ALTER TABLE sessions ADD COLUMN device_id UUID REFERENCES devices (id) ON DELETE SET NULL;
CREATE INDEX sessions_device ON sessions (device_id);

-- 2. When the device's current secret was handed out: a key lives a bounded time
--    (WIJKPOST_DEVICE_KEY_DAYS) and is replaced at each password log-in on the phone.
--    Existing keys count from their registration.
ALTER TABLE devices ADD COLUMN issued_at TIMESTAMPTZ;
UPDATE devices SET issued_at = created_at;
ALTER TABLE devices ALTER COLUMN issued_at SET NOT NULL;
