-- Dispatch candidates count each cadre's open tickets: with the status in the assignee index the
-- count reads the index alone (an index-only scan on PostgreSQL), not every ticket's row. The
-- queue by assignee keeps its order (assignee, filing time, id).
DROP INDEX tickets_assignee_idx;
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, created_at, id, status);
