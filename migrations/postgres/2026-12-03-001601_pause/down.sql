-- Tickets still waiting go back to work.
UPDATE tickets SET status = 'in_progress' WHERE status = 'awaiting_enterprise';
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets
    ADD CONSTRAINT tickets_status_check CHECK (status IN ('submitted', 'assigned', 'in_progress',
        'resolved', 'closed', 'withdrawn')),
    DROP COLUMN paused_at,
    DROP COLUMN paused_seconds;
