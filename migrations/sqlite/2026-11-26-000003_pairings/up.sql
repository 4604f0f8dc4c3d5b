-- Which cadres assist which enterprise; exactly one of an enterprise's cadres is primary.
CREATE TABLE enterprise_cadres (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    is_primary    BOOLEAN NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, user_id)
);
CREATE UNIQUE INDEX enterprise_cadres_one_primary ON enterprise_cadres (enterprise_id) WHERE is_primary;
CREATE INDEX enterprise_cadres_user_idx ON enterprise_cadres (user_id, enterprise_id);
