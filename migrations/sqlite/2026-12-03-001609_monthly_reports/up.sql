-- Frozen monthly reports (月报, SPEC section 9). A month is claimed once, by whichever instance
-- inserts its `frozen_months` row first; the same transaction stores that month's reports, so a
-- month is either frozen with all its reports or not frozen at all. `formula_version` names the
-- definitions of the figures the reports were computed with.
CREATE TABLE frozen_months (
    month           TEXT PRIMARY KEY,
    frozen_at       TIMESTAMP NOT NULL,
    formula_version INTEGER NOT NULL
);
-- One row per region with something to report that month (the country is '000000'): the
-- report as answered, JSON text, never recomputed. A region without a row in a frozen month
-- had nothing to report (its report is all zeros).
CREATE TABLE monthly_reports (
    month       TEXT NOT NULL REFERENCES frozen_months (month),
    region_code TEXT NOT NULL,
    report      TEXT NOT NULL,
    PRIMARY KEY (month, region_code)
);
