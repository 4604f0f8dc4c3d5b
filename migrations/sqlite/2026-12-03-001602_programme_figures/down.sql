ALTER TABLE ticket_stats DROP COLUMN accepted;
ALTER TABLE ticket_stats DROP COLUMN accepted_on_time;
ALTER TABLE ticket_stats DROP COLUMN feedback_breaches;
ALTER TABLE ticket_stats DROP COLUMN extended;
ALTER TABLE ticket_stats DROP COLUMN resolved_on_time_original;
DELETE FROM service_state WHERE name = 'stats_counters';
