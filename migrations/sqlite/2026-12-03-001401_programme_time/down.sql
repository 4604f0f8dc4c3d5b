DROP TABLE service_state;
ALTER TABLE tickets DROP COLUMN filed_month;
