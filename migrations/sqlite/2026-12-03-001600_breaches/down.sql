DROP INDEX tickets_next_breach_at;
ALTER TABLE tickets DROP COLUMN feedback_due_at;
ALTER TABLE tickets DROP COLUMN accept_breached;
ALTER TABLE tickets DROP COLUMN feedback_breaches;
ALTER TABLE tickets DROP COLUMN resolve_breached;
ALTER TABLE tickets DROP COLUMN next_breach_at;
