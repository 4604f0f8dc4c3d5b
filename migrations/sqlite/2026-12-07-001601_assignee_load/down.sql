DROP INDEX tickets_assignee_idx;
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, created_at, id);
