DROP INDEX tickets_open_county_idx;
DROP TABLE ticket_stats;
