-- Categories of demand, each with its service levels per priority.
CREATE TABLE categories (
    code                    TEXT PRIMARY KEY NOT NULL,
    name                    TEXT NOT NULL,
    normal_response_hours   INTEGER NOT NULL CHECK (normal_response_hours > 0),
    normal_resolution_hours INTEGER NOT NULL CHECK (normal_resolution_hours > 0),
    urgent_response_hours   INTEGER NOT NULL CHECK (urgent_response_hours > 0),
    urgent_resolution_hours INTEGER NOT NULL CHECK (urgent_resolution_hours > 0),
    active                  BOOLEAN NOT NULL DEFAULT 1
);
INSERT INTO categories (code, name, normal_response_hours, normal_resolution_hours, urgent_response_hours, urgent_resolution_hours) VALUES
    ('policy', '惠企政策', 24, 360, 4, 72),
    ('land', '用地保障', 24, 360, 4, 72),
    ('energy', '水电气暖', 24, 360, 4, 72),
    ('finance', '融资服务', 24, 360, 4, 72),
    ('employment', '用工保障', 24, 360, 4, 72),
    ('approval', '审批服务', 24, 360, 4, 72),
    ('market', '市场开拓', 24, 360, 4, 72),
    ('infrastructure', '基础设施', 24, 360, 4, 72),
    ('legal', '法律服务', 24, 360, 4, 72),
    ('other', '其他诉求', 24, 360, 4, 72);

-- Demands. The county is copied from the enterprise at filing and never changes, so every row
-- carries its shard key (county) and every "inside region X" filter is a range on it.
CREATE TABLE tickets (
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
);
CREATE INDEX tickets_county_created_idx ON tickets (county_code, created_at, id);
CREATE INDEX tickets_created_idx ON tickets (created_at, id);
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, created_at, id);
CREATE INDEX tickets_enterprise_idx ON tickets (enterprise_id, created_at, id);
CREATE INDEX tickets_status_due_idx ON tickets (status, due_at, id);
CREATE INDEX tickets_resolved_idx ON tickets (status, resolved_at);

CREATE TABLE ticket_comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id  BIGINT NOT NULL REFERENCES tickets (id),
    author_id  BIGINT NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,
    internal   BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, id);

-- The audit trail: one row per change, never updated or deleted (triggers refuse it).
CREATE TABLE ticket_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   BIGINT NOT NULL REFERENCES tickets (id),
    actor_id    BIGINT REFERENCES users (id),
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    details     TEXT NOT NULL,
    internal    BOOLEAN NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);

CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket events are append-only');
END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket events are append-only');
END;

-- Idempotency-Key of ticket filings: the first answer, replayed for a retry with the same key.
CREATE TABLE idempotency_keys (
    user_id      BIGINT NOT NULL REFERENCES users (id),
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    ticket_id    BIGINT NOT NULL REFERENCES tickets (id),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
