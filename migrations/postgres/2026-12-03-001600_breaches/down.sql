DROP INDEX tickets_next_breach_at;
ALTER TABLE tickets
    DROP COLUMN feedback_due_at,
    DROP COLUMN accept_breached,
    DROP COLUMN feedback_breaches,
    DROP COLUMN resolve_breached,
    DROP COLUMN next_breach_at;
