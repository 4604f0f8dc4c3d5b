-- The feedback clock and the record of missed clocks (SPEC section 9). `next_breach_at` is
-- when the next clock not yet recorded runs out ('9999-12-31' when none is owed): the periodic
-- job reads the tickets whose moment has come by its index, and every write to a ticket is
-- made against the value it read, so each breach is recorded once. Open tickets owe their
-- accept clock until accepted and their resolve clock until resolved; tickets in progress
-- before this change owe no feedback until they next enter work.
ALTER TABLE tickets
    ADD COLUMN feedback_due_at TIMESTAMP,
    ADD COLUMN accept_breached BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN feedback_breaches INTEGER NOT NULL DEFAULT 0 CHECK (feedback_breaches >= 0),
    ADD COLUMN resolve_breached BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN next_breach_at TIMESTAMP NOT NULL DEFAULT '9999-12-31 00:00:00';
UPDATE tickets SET next_breach_at = CASE
    WHEN status IN ('submitted', 'assigned') AND first_response_at IS NULL
        THEN LEAST(response_due_at, due_at)
    WHEN status IN ('submitted', 'assigned', 'in_progress') THEN due_at
    ELSE '9999-12-31 00:00:00' END;
CREATE INDEX tickets_next_breach_at ON tickets (next_breach_at);
