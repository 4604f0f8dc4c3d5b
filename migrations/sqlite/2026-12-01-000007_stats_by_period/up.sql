-- The statistics counters, rebuilt for two things:
-- * Periods: every ticket counts in its filing month ('2026-03') and again in its year
--   ('2026'), so a report of whole years reads one row per county and year, not twelve.
--   Rows are keyed period before county, so a report reads, for each period it needs, one
--   range of counties.
-- * Slots: concurrent changes in one county and period would all update one row and queue on
--   its lock until each commit is flushed. Each key is spread over slots (a ticket writes to
--   slot id % N); the periodic job folds every slot but 0 back into slot 0, so a report reads
--   about one row per key.
CREATE TABLE ticket_stats_by_period (
    category           TEXT NOT NULL,
    period             TEXT NOT NULL,
    county_code        TEXT NOT NULL,
    slot               INTEGER NOT NULL DEFAULT 0,
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
    PRIMARY KEY (category, period, county_code, slot)
);
INSERT INTO ticket_stats_by_period (category, period, county_code, filed, withdrawn, open, resolved,
        closed, reached_resolved, resolved_on_time, resolution_minutes, rated, rating_sum)
    SELECT category, month, county_code, filed, withdrawn, open, resolved, closed,
        reached_resolved, resolved_on_time, resolution_minutes, rated, rating_sum
    FROM ticket_stats
    UNION ALL
    SELECT category, substr(month, 1, 4), county_code, SUM(filed), SUM(withdrawn), SUM(open), SUM(resolved),
        SUM(closed), SUM(reached_resolved), SUM(resolved_on_time), SUM(resolution_minutes),
        SUM(rated), SUM(rating_sum)
    FROM ticket_stats GROUP BY category, substr(month, 1, 4), county_code;
DROP TABLE ticket_stats;
ALTER TABLE ticket_stats_by_period RENAME TO ticket_stats;
-- What the fold has left to do.
CREATE INDEX ticket_stats_unfolded_idx ON ticket_stats (category, period, county_code)
    WHERE slot > 0;
