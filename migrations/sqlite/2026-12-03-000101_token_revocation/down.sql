DROP TABLE login_throttle;
CREATE TABLE login_throttle (
    username         TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL,
    window_starts_at TIMESTAMP NOT NULL
);
DROP TABLE token_revocations;
ALTER TABLE refresh_tokens DROP COLUMN family_started_at;
ALTER TABLE users DROP COLUMN token_generation;
