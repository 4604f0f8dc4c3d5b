-- Waiting for the enterprise (SPEC section 9): a status whose clocks stand still, when the
-- current wait began, and the time waited in all (in the resolve clock's unit, seconds).
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets
    ADD CONSTRAINT tickets_status_check CHECK (status IN ('submitted', 'assigned', 'in_progress',
        'awaiting_enterprise', 'resolved', 'closed', 'withdrawn')),
    ADD COLUMN paused_at TIMESTAMP,
    ADD COLUMN paused_seconds BIGINT NOT NULL DEFAULT 0 CHECK (paused_seconds >= 0);
