DROP TABLE ticket_extensions;
ALTER TABLE tickets DROP COLUMN original_due_at;
