DROP TABLE ticket_warnings;
DROP INDEX tickets_counted_until_idx;
CREATE INDEX tickets_warning_idx ON tickets (yellow_at, county_code, category, orange_at, red_at)
    WHERE status IN ('submitted', 'assigned', 'in_progress');
ALTER TABLE tickets DROP COLUMN counted_until;
ALTER TABLE tickets DROP COLUMN counted_warning;
