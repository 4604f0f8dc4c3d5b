ALTER TABLE ticket_stats DROP COLUMN supervised, DROP COLUMN returned;
DROP INDEX tickets_supervised_idx;
ALTER TABLE tickets DROP COLUMN open_supervisions, DROP COLUMN supervision_count, DROP COLUMN return_count;
DROP TABLE ticket_supervisions;
DROP TABLE ticket_collaborators;
ALTER TABLE users DROP COLUMN department_id;
DROP TABLE department_categories;
DROP TABLE departments;
