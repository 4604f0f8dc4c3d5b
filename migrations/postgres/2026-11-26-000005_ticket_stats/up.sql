-- Counters behind the statistics, kept in the same transaction as every ticket change: per
-- county, filing month and category, each ticket's current contribution. Each key is split in
-- eight slots (ticket id mod 8) so concurrent filings in one county do not queue on one row.
CREATE TABLE ticket_stats (
    county_code        TEXT NOT NULL,
    month              TEXT NOT NULL,
    category           TEXT NOT NULL,
    slot               INTEGER NOT NULL,
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
    PRIMARY KEY (county_code, month, category, slot)
);

-- The warning snapshot counts open tickets only.
CREATE INDEX tickets_open_county_idx ON tickets (county_code, status) WHERE status IN ('submitted', 'assigned', 'in_progress');
