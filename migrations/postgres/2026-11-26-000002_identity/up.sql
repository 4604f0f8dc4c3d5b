-- Enterprises, the people and API clients who act, and their sessions.
CREATE TABLE enterprises (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL,
    uscc          TEXT NOT NULL,
    county_code   TEXT NOT NULL REFERENCES regions (code),
    industry      TEXT,
    contact_name  TEXT,
    contact_phone TEXT,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CONSTRAINT enterprises_uscc_key UNIQUE (uscc)
);
CREATE INDEX enterprises_county_idx ON enterprises (county_code, id);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL,
    -- Null for the principal behind an API client, which cannot log in with a password.
    password_hash TEXT,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'cadre', 'enterprise')),
    kind          TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'client')),
    region_code   TEXT REFERENCES regions (code),
    enterprise_id BIGINT REFERENCES enterprises (id),
    department    TEXT,
    display_name  TEXT,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username),
    CHECK ((role IN ('supervisor', 'cadre')) = (region_code IS NOT NULL)),
    CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL))
);
CREATE INDEX users_region_idx ON users (region_code, id);
CREATE INDEX users_enterprise_idx ON users (enterprise_id, id);

CREATE TABLE api_clients (
    id            BIGSERIAL PRIMARY KEY,
    client_id     TEXT NOT NULL,
    secret_hash   TEXT NOT NULL,
    name          TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    created_by    BIGINT REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP,
    CONSTRAINT api_clients_client_id_key UNIQUE (client_id)
);
CREATE INDEX api_clients_enterprise_idx ON api_clients (enterprise_id, id);

-- Refresh tokens, stored as SHA-256 digests of 256-bit random values; one family per login.
CREATE TABLE refresh_tokens (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  TEXT NOT NULL,
    family_id   TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    issued_at   TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    revoked_at  TIMESTAMP,
    CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Failed logins per username in the current window, shared by every instance.
CREATE TABLE login_throttle (
    username         TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL,
    window_starts_at TIMESTAMP NOT NULL
);
