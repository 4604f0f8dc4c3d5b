-- The working-day calendar (SPEC section 9): the years loaded, and each loaded year's exception
-- days (a year not listed has weekends only). `migrate` loads the years of
-- data/cn-calendar.csv that are not loaded yet; administrators replace a year whole.
CREATE TABLE calendar_years (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199)
);
CREATE TABLE calendar_days (
    date DATE PRIMARY KEY,
    year INTEGER NOT NULL REFERENCES calendar_years (year),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT,
    CHECK (EXTRACT(YEAR FROM date) = year)
);
CREATE INDEX calendar_days_year_idx ON calendar_days (year, date);
-- One row, counted up by every change in the same transaction: each instance reads it every
-- few seconds and reloads its copy of the calendar when it has moved.
CREATE TABLE calendar_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO calendar_version (id, version) VALUES (1, 0);
