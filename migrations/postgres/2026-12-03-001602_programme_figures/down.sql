ALTER TABLE ticket_stats
    DROP COLUMN accepted,
    DROP COLUMN accepted_on_time,
    DROP COLUMN feedback_breaches,
    DROP COLUMN extended,
    DROP COLUMN resolved_on_time_original;
DELETE FROM service_state WHERE name = 'stats_counters';
