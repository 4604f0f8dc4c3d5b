-- GB/T 2260 administrative divisions. Rows are loaded from data/regions-cn.csv by `migrate`.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    parent_code TEXT REFERENCES regions (code)
);
CREATE INDEX regions_parent_idx ON regions (parent_code, code);
CREATE INDEX regions_level_idx ON regions (level, code);
