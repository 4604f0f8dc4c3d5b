CREATE TABLE ticket_stats_by_month (
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
INSERT INTO ticket_stats_by_month
    SELECT category, county_code, period, SUM(filed), SUM(withdrawn), SUM(open), SUM(resolved),
        SUM(closed), SUM(reached_resolved), SUM(resolved_on_time), SUM(resolution_minutes),
        SUM(rated), SUM(rating_sum)
    FROM ticket_stats WHERE length(period) = 7 GROUP BY category, county_code, period;
DROP TABLE ticket_stats;
ALTER TABLE ticket_stats_by_month RENAME TO ticket_stats;
