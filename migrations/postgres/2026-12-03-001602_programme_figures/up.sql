-- The programme's figures (SPEC section 9): tickets accepted and accepted on time, feedback
-- periods missed, tickets extended, and tickets resolved by the due time set at filing. They
-- start at zero; the first migration to run rebuilds every counter from the tickets (the
-- `stats_counters` row of service_state names the set of counts, see db/programme_time.rs).
ALTER TABLE ticket_stats
    ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN accepted_on_time INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN feedback_breaches INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN extended INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN resolved_on_time_original INTEGER NOT NULL DEFAULT 0;
