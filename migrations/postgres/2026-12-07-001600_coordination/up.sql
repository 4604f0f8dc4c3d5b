-- Coordination across levels and departments (SPEC section 10).

-- The promotion centres' rosters: departments at each level, each handling some categories.
CREATE TABLE departments (
    id          BIGSERIAL PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name        TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    CONSTRAINT departments_region_name_key UNIQUE (region_code, name)
);
CREATE TABLE department_categories (
    department_id BIGINT NOT NULL REFERENCES departments (id),
    category      TEXT NOT NULL REFERENCES categories (code),
    PRIMARY KEY (department_id, category)
);
-- A cadre belongs to at most one department, of their own region.
ALTER TABLE users ADD COLUMN department_id BIGINT REFERENCES departments (id);
CREATE INDEX users_department_idx ON users (department_id, id);

-- Assisting cadres (协办): one task per ticket and cadre. The county is copied from the ticket,
-- so the row carries its shard key like every ticket row.
CREATE TABLE ticket_collaborators (
    ticket_id    BIGINT NOT NULL REFERENCES tickets (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    county_code  TEXT NOT NULL REFERENCES regions (code),
    task         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'completed')),
    added_by     BIGINT NOT NULL REFERENCES users (id),
    added_at     TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    note         TEXT,
    PRIMARY KEY (ticket_id, user_id),
    CHECK ((status = 'open') = (completed_at IS NULL))
);
CREATE INDEX ticket_collaborators_user_idx ON ticket_collaborators (user_id, ticket_id);

-- Supervision orders (督办) from supervisors covering the county, answered by the assignee.
CREATE TABLE ticket_supervisions (
    id           BIGSERIAL PRIMARY KEY,
    ticket_id    BIGINT NOT NULL REFERENCES tickets (id),
    county_code  TEXT NOT NULL REFERENCES regions (code),
    issued_by    BIGINT NOT NULL REFERENCES users (id),
    instruction  TEXT NOT NULL,
    issued_at    TIMESTAMP NOT NULL,
    respond_by   TIMESTAMP NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'answered')),
    response     TEXT,
    responded_by BIGINT REFERENCES users (id),
    responded_at TIMESTAMP,
    CHECK ((status = 'open') = (responded_at IS NULL))
);
CREATE INDEX ticket_supervisions_ticket_idx ON ticket_supervisions (ticket_id, id);
CREATE INDEX ticket_supervisions_queue_idx ON ticket_supervisions (status, county_code, id);
CREATE INDEX ticket_supervisions_county_idx ON ticket_supervisions (county_code, id);
CREATE INDEX ticket_supervisions_due_idx ON ticket_supervisions (status, respond_by);

-- On the ticket: its open orders (`supervised`), the orders issued and the returns made (the
-- statistics count tickets with at least one of each).
ALTER TABLE tickets
    ADD COLUMN open_supervisions INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN supervision_count INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN return_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_supervised_idx ON tickets (created_at, id) WHERE open_supervisions > 0;

-- The figures: tickets supervised and tickets returned. They start at zero; the first command
-- to migrate rebuilds every counter from the tickets (see db/programme_time.rs).
ALTER TABLE ticket_stats
    ADD COLUMN supervised INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN returned INTEGER NOT NULL DEFAULT 0;
