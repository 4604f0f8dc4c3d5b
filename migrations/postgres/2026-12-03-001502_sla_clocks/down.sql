ALTER TABLE tickets DROP COLUMN feedback_sla, DROP COLUMN resolve_unit;
ALTER TABLE categories
    ADD COLUMN normal_response_hours   INTEGER NOT NULL DEFAULT 24 CHECK (normal_response_hours > 0),
    ADD COLUMN normal_resolution_hours INTEGER NOT NULL DEFAULT 360 CHECK (normal_resolution_hours > 0),
    ADD COLUMN urgent_response_hours   INTEGER NOT NULL DEFAULT 4 CHECK (urgent_response_hours > 0),
    ADD COLUMN urgent_resolution_hours INTEGER NOT NULL DEFAULT 72 CHECK (urgent_resolution_hours > 0);
UPDATE categories SET normal_response_hours = split_part(normal_accept, ' ', 1)::INTEGER WHERE normal_accept LIKE '% hours' AND normal_accept NOT LIKE '%working%';
UPDATE categories SET normal_resolution_hours = split_part(normal_resolve, ' ', 1)::INTEGER WHERE normal_resolve LIKE '% hours' AND normal_resolve NOT LIKE '%working%';
UPDATE categories SET urgent_response_hours = split_part(urgent_accept, ' ', 1)::INTEGER WHERE urgent_accept LIKE '% hours' AND urgent_accept NOT LIKE '%working%';
UPDATE categories SET urgent_resolution_hours = split_part(urgent_resolve, ' ', 1)::INTEGER WHERE urgent_resolve LIKE '% hours' AND urgent_resolve NOT LIKE '%working%';
ALTER TABLE categories
    ALTER COLUMN normal_response_hours DROP DEFAULT,
    ALTER COLUMN normal_resolution_hours DROP DEFAULT,
    ALTER COLUMN urgent_response_hours DROP DEFAULT,
    ALTER COLUMN urgent_resolution_hours DROP DEFAULT,
    DROP CONSTRAINT categories_durations,
    DROP COLUMN normal_accept,
    DROP COLUMN normal_feedback,
    DROP COLUMN normal_resolve,
    DROP COLUMN urgent_accept,
    DROP COLUMN urgent_feedback,
    DROP COLUMN urgent_resolve;
