-- Extensions (延期, SPEC section 9): the assignee asks for more working days, a supervisor
-- covering the county approves (moving `due_at` later) or rejects. Each ticket keeps the due
-- time it was filed with, `original_due_at`, for the on-time rate against it; tickets filed
-- before had no extension, so theirs is their `due_at`. (SQLite adds a NOT NULL column only
-- with a default; every insert names the column.)
ALTER TABLE tickets ADD COLUMN original_due_at TEXT NOT NULL DEFAULT '';
UPDATE tickets SET original_due_at = due_at;

-- The county is copied from the ticket (fixed at filing), so the approval queue of a region is
-- a range on it, and the row carries its shard key like every ticket row.
CREATE TABLE ticket_extensions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id        BIGINT NOT NULL REFERENCES tickets (id),
    county_code      TEXT NOT NULL REFERENCES regions (code),
    working_days     INTEGER NOT NULL CHECK (working_days BETWEEN 1 AND 30),
    reason           TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_by     BIGINT NOT NULL REFERENCES users (id),
    requested_at     TEXT NOT NULL,
    decided_by       BIGINT REFERENCES users (id),
    decided_at       TEXT,
    decision_comment TEXT,
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- At most one pending extension per ticket; a second request fails on this index (409).
CREATE UNIQUE INDEX ticket_extensions_one_pending ON ticket_extensions (ticket_id) WHERE status = 'pending';
CREATE INDEX ticket_extensions_ticket_idx ON ticket_extensions (ticket_id, id);
CREATE INDEX ticket_extensions_queue_idx ON ticket_extensions (status, county_code, id);
CREATE INDEX ticket_extensions_county_idx ON ticket_extensions (county_code, id);
