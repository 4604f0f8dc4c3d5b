-- Counters behind the statistics, kept in the same transaction as every ticket change: each
-- ticket's current contribution per county, filing month and category, and again under the
-- category '*' (all categories), so a report reads one row per county and month.
CREATE TABLE ticket_stats (
    category           TEXT NOT NULL,
    county_code        TEXT NOT NULL,
    month              TEXT NOT NULL,
    filed              INTEGER NOT NULL DEFAULT 0,
    withdrawn          INTEGER NOT NULL DEFAULT 0,
    open               INTEGER NOT NULL DEFAULT 0,
    resolved           INTEGER NOT NULL DEFAULT 0,
    closed             INTEGER NOT NULL DEFAULT 0,
    reached_resolved   INTEGER NOT NULL DEFAULT 0,
    resolved_on_time   INTEGER NOT NULL DEFAULT 0,
    resolution_minutes INTEGER NOT NULL DEFAULT 0,
    rated              INTEGER NOT NULL DEFAULT 0,
    rating_sum         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (category, county_code, month)
);

-- The warning snapshot counts open tickets that have turned a colour, in one pass of this index.
CREATE INDEX tickets_warning_idx ON tickets (yellow_at, county_code, category, orange_at, red_at)
    WHERE status IN ('submitted', 'assigned', 'in_progress');
