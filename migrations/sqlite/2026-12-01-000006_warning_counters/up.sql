-- The warning snapshot without a pass over the open tickets: each open ticket's colour as last
-- counted, and until when that count holds (the start of its next colour; NULL once it is red
-- or no longer open). ticket_warnings holds the counted colours per category and county, and
-- again under '*' (all categories); a report adds the few tickets whose count has expired
-- since the periodic job last moved them on.
ALTER TABLE tickets ADD COLUMN counted_warning TEXT CHECK (counted_warning IN ('yellow', 'orange', 'red'));
ALTER TABLE tickets ADD COLUMN counted_until TEXT;
UPDATE tickets SET counted_until = yellow_at WHERE status IN ('submitted', 'assigned', 'in_progress');
CREATE INDEX tickets_counted_until_idx ON tickets (counted_until) WHERE counted_until IS NOT NULL;
DROP INDEX tickets_warning_idx;

CREATE TABLE ticket_warnings (
    category    TEXT NOT NULL,
    county_code TEXT NOT NULL,
    yellow      INTEGER NOT NULL DEFAULT 0,
    orange      INTEGER NOT NULL DEFAULT 0,
    red         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (category, county_code)
);
