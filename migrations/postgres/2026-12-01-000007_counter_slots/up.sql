-- Concurrent changes in one county, month and category would all update one counter row and
-- queue on its lock until each commit is flushed. Each key is spread over slots (a ticket
-- writes to slot id % N); the periodic job folds every slot but 0 back into slot 0, so a
-- report reads about one row per key.
CREATE TABLE ticket_stats_slotted (
    category           TEXT NOT NULL,
    county_code        TEXT NOT NULL,
    month              TEXT NOT NULL,
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
    PRIMARY KEY (category, county_code, month, slot)
);
INSERT INTO ticket_stats_slotted (category, county_code, month, filed, withdrawn, open, resolved,
        closed, reached_resolved, resolved_on_time, resolution_minutes, rated, rating_sum)
    SELECT category, county_code, month, filed, withdrawn, open, resolved, closed,
        reached_resolved, resolved_on_time, resolution_minutes, rated, rating_sum
    FROM ticket_stats;
DROP TABLE ticket_stats;
ALTER TABLE ticket_stats_slotted RENAME TO ticket_stats;
-- What the fold has left to do.
CREATE INDEX ticket_stats_unfolded_idx ON ticket_stats (category, county_code, month) WHERE slot > 0;
