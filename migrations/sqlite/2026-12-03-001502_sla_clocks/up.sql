-- Category SLAs as three clocks with units (SPEC section 9): accept, feedback and resolve per
-- priority, each a duration stored as '<value> <unit>' ('15 working_days'). A clock still at
-- part 1's default (24 h / 360 h / 4 h / 72 h) takes the new default, which part 1's hour
-- fields read back as the same number; an hour value an administrator chose stays, in
-- `hours`. Feedback had no part 1 field: the default.
ALTER TABLE categories ADD COLUMN normal_accept TEXT NOT NULL DEFAULT '1 working_days'
    CHECK (normal_accept GLOB '[1-9]* working_days' OR normal_accept GLOB '[1-9]* working_hours' OR normal_accept GLOB '[1-9]* hours');
ALTER TABLE categories ADD COLUMN normal_feedback TEXT NOT NULL DEFAULT '3 working_days'
    CHECK (normal_feedback GLOB '[1-9]* working_days' OR normal_feedback GLOB '[1-9]* working_hours' OR normal_feedback GLOB '[1-9]* hours');
ALTER TABLE categories ADD COLUMN normal_resolve TEXT NOT NULL DEFAULT '15 working_days'
    CHECK (normal_resolve GLOB '[1-9]* working_days' OR normal_resolve GLOB '[1-9]* working_hours' OR normal_resolve GLOB '[1-9]* hours');
ALTER TABLE categories ADD COLUMN urgent_accept TEXT NOT NULL DEFAULT '4 working_hours'
    CHECK (urgent_accept GLOB '[1-9]* working_days' OR urgent_accept GLOB '[1-9]* working_hours' OR urgent_accept GLOB '[1-9]* hours');
ALTER TABLE categories ADD COLUMN urgent_feedback TEXT NOT NULL DEFAULT '1 working_days'
    CHECK (urgent_feedback GLOB '[1-9]* working_days' OR urgent_feedback GLOB '[1-9]* working_hours' OR urgent_feedback GLOB '[1-9]* hours');
ALTER TABLE categories ADD COLUMN urgent_resolve TEXT NOT NULL DEFAULT '3 working_days'
    CHECK (urgent_resolve GLOB '[1-9]* working_days' OR urgent_resolve GLOB '[1-9]* working_hours' OR urgent_resolve GLOB '[1-9]* hours');
UPDATE categories SET normal_accept = normal_response_hours || ' hours' WHERE normal_response_hours <> 24;
UPDATE categories SET normal_resolve = normal_resolution_hours || ' hours' WHERE normal_resolution_hours <> 360;
UPDATE categories SET urgent_accept = urgent_response_hours || ' hours' WHERE urgent_response_hours <> 4;
UPDATE categories SET urgent_resolve = urgent_resolution_hours || ' hours' WHERE urgent_resolution_hours <> 72;
ALTER TABLE categories DROP COLUMN normal_response_hours;
ALTER TABLE categories DROP COLUMN normal_resolution_hours;
ALTER TABLE categories DROP COLUMN urgent_response_hours;
ALTER TABLE categories DROP COLUMN urgent_resolution_hours;

-- Each ticket keeps, from filing, its feedback clock (the feedback clock counts it) and the
-- unit of its resolve clock (the unit its warning colours are measured in). Tickets filed
-- before had their deadlines in hours.
ALTER TABLE tickets ADD COLUMN feedback_sla TEXT NOT NULL DEFAULT '3 working_days'
    CHECK (feedback_sla GLOB '[1-9]* working_days' OR feedback_sla GLOB '[1-9]* working_hours' OR feedback_sla GLOB '[1-9]* hours');
ALTER TABLE tickets ADD COLUMN resolve_unit TEXT NOT NULL DEFAULT 'hours'
    CHECK (resolve_unit IN ('working_days', 'working_hours', 'hours'));
UPDATE tickets SET feedback_sla = '1 working_days' WHERE priority = 'urgent';
