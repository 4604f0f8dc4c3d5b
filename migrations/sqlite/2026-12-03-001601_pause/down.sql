-- Back to the statuses before the pause; tickets still waiting go back to work.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
UPDATE tickets SET status = 'in_progress' WHERE status = 'awaiting_enterprise';
CREATE TABLE tickets_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id     BIGINT NOT NULL REFERENCES enterprises (id),
    county_code       TEXT NOT NULL REFERENCES regions (code),
    category          TEXT NOT NULL REFERENCES categories (code),
    priority          TEXT NOT NULL CHECK (priority IN ('normal', 'urgent')),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('submitted', 'assigned', 'in_progress', 'resolved', 'closed', 'withdrawn')),
    level             TEXT NOT NULL CHECK (level IN ('county', 'city', 'province')),
    assignee_id       BIGINT REFERENCES users (id),
    filed_by          BIGINT NOT NULL REFERENCES users (id),
    response_due_at   TEXT NOT NULL,
    due_at            TEXT NOT NULL,
    yellow_at         TEXT NOT NULL,
    orange_at         TEXT NOT NULL,
    red_at            TEXT NOT NULL,
    first_response_at TEXT,
    first_resolved_at TEXT,
    resolved_at       TEXT,
    closed_at         TEXT,
    resolution        TEXT,
    rating            INTEGER CHECK (rating BETWEEN 1 AND 5),
    reopen_count      INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
, counted_warning TEXT CHECK (counted_warning IN ('yellow', 'orange', 'red')), counted_until TEXT, filed_month TEXT NOT NULL DEFAULT '', feedback_sla TEXT NOT NULL DEFAULT '3 working_days'
    CHECK (feedback_sla GLOB '[1-9]* working_days' OR feedback_sla GLOB '[1-9]* working_hours' OR feedback_sla GLOB '[1-9]* hours'), resolve_unit TEXT NOT NULL DEFAULT 'hours'
    CHECK (resolve_unit IN ('working_days', 'working_hours', 'hours')), original_due_at TEXT NOT NULL DEFAULT '', feedback_due_at TEXT, accept_breached BOOLEAN NOT NULL DEFAULT 0, feedback_breaches INTEGER NOT NULL DEFAULT 0 CHECK (feedback_breaches >= 0), resolve_breached BOOLEAN NOT NULL DEFAULT 0, next_breach_at TEXT NOT NULL DEFAULT '9999-12-31 00:00:00');
INSERT INTO tickets_rebuilt (id, enterprise_id, county_code, category, priority, title, description, status, level, assignee_id, filed_by, response_due_at, due_at, yellow_at, orange_at, red_at, first_response_at, first_resolved_at, resolved_at, closed_at, resolution, rating, reopen_count, version, created_at, updated_at, counted_warning, counted_until, filed_month, feedback_sla, resolve_unit, original_due_at, feedback_due_at, accept_breached, feedback_breaches, resolve_breached, next_breach_at)
    SELECT id, enterprise_id, county_code, category, priority, title, description, status, level, assignee_id, filed_by, response_due_at, due_at, yellow_at, orange_at, red_at, first_response_at, first_resolved_at, resolved_at, closed_at, resolution, rating, reopen_count, version, created_at, updated_at, counted_warning, counted_until, filed_month, feedback_sla, resolve_unit, original_due_at, feedback_due_at, accept_breached, feedback_breaches, resolve_breached, next_breach_at FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_rebuilt RENAME TO tickets;
CREATE INDEX tickets_county_created_idx ON tickets (county_code, created_at, id);
CREATE INDEX tickets_created_idx ON tickets (created_at, id);
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, created_at, id);
CREATE INDEX tickets_enterprise_idx ON tickets (enterprise_id, created_at, id);
CREATE INDEX tickets_status_due_idx ON tickets (status, due_at, id);
CREATE INDEX tickets_resolved_idx ON tickets (status, resolved_at);
CREATE INDEX tickets_counted_until_idx ON tickets (counted_until) WHERE counted_until IS NOT NULL;
CREATE INDEX tickets_next_breach_at ON tickets (next_breach_at);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
