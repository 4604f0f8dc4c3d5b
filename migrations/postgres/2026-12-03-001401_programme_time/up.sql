-- Statistics months are cut in programme time (SPEC section 9, `TIMEZONE`). Each ticket keeps
-- the month its counters are keyed by, so that a move need not work it out again; and the
-- zone those months were cut in is kept beside them, so that starting with another
-- `TIMEZONE` re-keys every ticket and rebuilds the counters (see `stats::key_in_programme_time`).
-- Until now they were cut at UTC midnight.
ALTER TABLE tickets ADD COLUMN filed_month TEXT;
UPDATE tickets SET filed_month = to_char(created_at, 'YYYY-MM');
ALTER TABLE tickets ALTER COLUMN filed_month SET NOT NULL;

-- Facts about the data the service itself keeps, by name.
CREATE TABLE service_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO service_state (name, value) VALUES ('stats_timezone', 'UTC');
