DROP TABLE idempotency_keys;
DROP TABLE ticket_events;
DROP TABLE ticket_comments;
DROP TABLE tickets;
DROP TABLE categories;
