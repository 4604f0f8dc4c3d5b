DROP INDEX tickets_warning_idx;
DROP TABLE ticket_stats;
