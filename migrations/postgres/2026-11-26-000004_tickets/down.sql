DROP TABLE idempotency_keys;
DROP TABLE ticket_events;
DROP FUNCTION ticket_events_append_only CASCADE;
DROP TABLE ticket_comments;
DROP TABLE tickets;
DROP TABLE categories;
