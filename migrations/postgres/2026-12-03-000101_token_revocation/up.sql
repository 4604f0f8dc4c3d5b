-- Revocation that takes effect at once, absolute session lifetimes, and a login throttle keyed
-- by digests of (username, address) rather than raw usernames.

-- Access tokens carry their user's generation; a token of an older one is revoked.
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;

-- When a refresh family (one login) began: rotation never takes a family past its lifetime.
ALTER TABLE refresh_tokens ADD COLUMN family_started_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE refresh_tokens SET family_started_at = (
    SELECT MIN(f.issued_at) FROM refresh_tokens f WHERE f.family_id = refresh_tokens.family_id
);
ALTER TABLE refresh_tokens ALTER COLUMN family_started_at DROP DEFAULT;

-- Append-only: every instance follows it by id (about once a second) and keeps the rows younger
-- than an access token's lifetime in memory. A row ends a user's tokens below `generation`, or
-- every access token of one refresh family (a logout).
CREATE TABLE token_revocations (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT,
    generation  BIGINT,
    family_id   TEXT,
    revoked_at  TIMESTAMP NOT NULL,
    CHECK ((user_id IS NOT NULL AND generation IS NOT NULL AND family_id IS NULL)
        OR (user_id IS NULL AND generation IS NULL AND family_id IS NOT NULL))
);
CREATE INDEX token_revocations_revoked_at_idx ON token_revocations (revoked_at);

-- Failed logins per SHA-256 key: of (username, client address), and of the username alone for
-- the slower backstop. Fixed-size keys, whatever a client sends; the old rows held raw names.
DROP TABLE login_throttle;
CREATE TABLE login_throttle (
    throttle_key     TEXT PRIMARY KEY,
    username_key     TEXT NOT NULL,
    failures         INTEGER NOT NULL,
    window_starts_at TIMESTAMP NOT NULL
);
CREATE INDEX login_throttle_username_idx ON login_throttle (username_key);
CREATE INDEX login_throttle_window_idx ON login_throttle (window_starts_at);
