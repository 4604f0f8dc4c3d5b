-- The statements one ticket filing sends to PostgreSQL, as the service's query log shows them
-- (`LOG_LEVEL=info,enterprise_assist::sql=debug`), with pgbench variables for the binds.
\set enterprise random(1, :enterprises)
\set category random(1, 4)
SELECT enterprises.id, enterprises.name, enterprises.uscc, enterprises.county_code, enterprises.industry, enterprises.contact_name, enterprises.contact_phone, enterprises.active, enterprises.created_at, enterprises.updated_at, users.id, users.username, users.role, users.region_code, users.enterprise_id, users.department, users.display_name, users.active, users.created_at, users.updated_at, users.token_generation, users.department_id FROM ((enterprises LEFT OUTER JOIN enterprise_cadres ON ((enterprise_cadres.enterprise_id = enterprises.id) AND (enterprise_cadres.is_primary = true))) LEFT OUTER JOIN users ON (users.id = enterprise_cadres.user_id)) WHERE (enterprises.id = :enterprise) LIMIT 1;
SELECT categories.code, categories.name, categories.active, categories.normal_accept, categories.normal_feedback, categories.normal_resolve, categories.urgent_accept, categories.urgent_feedback, categories.urgent_resolve FROM categories WHERE (categories.code = (ARRAY['policy','land','energy','finance'])[:category]) LIMIT 1;
WITH t AS (
    INSERT INTO tickets (enterprise_id, county_code, category, priority, title, description, status,
        level, assignee_id, filed_by, response_due_at, due_at, yellow_at, orange_at, red_at,
        created_at, updated_at, counted_until, feedback_sla, resolve_unit, next_breach_at, original_due_at,
        filed_month)
    SELECT e.id, e.county_code, (ARRAY['policy','land','energy','finance'])[:category], 'normal', '新厂房用地指标申请', '需新增工业用地约20亩。', 'assigned',
        'county', NULL, :filer, now() + interval '24 hours', now() + interval '360 hours', now() + interval '270 hours', now() + interval '360 hours', now() + interval '540 hours', now(), now(), now() + interval '270 hours',
        '3 working_days', 'working_days', now() + interval '24 hours', now() + interval '360 hours', to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')
    FROM enterprises e WHERE e.id = :enterprise
    RETURNING *
), event AS (
    INSERT INTO ticket_events (ticket_id, actor_id, action, from_status, to_status, details, internal, created_at)
    SELECT id, filed_by, 'file', NULL, status, '{"assignee_id": null}', FALSE, created_at FROM t
), counters AS (
    INSERT INTO ticket_stats (category, period, county_code, slot, filed, withdrawn, open,
        resolved, closed, reached_resolved, resolved_on_time, resolution_minutes, rated, rating_sum,
        accepted, accepted_on_time, feedback_breaches, extended, resolved_on_time_original, supervised, returned)
    SELECT k.category, k.period, t.county_code, t.id % 32, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM t CROSS JOIN LATERAL (VALUES (t.category, t.filed_month, 1), ('*', t.filed_month, 2),
        (t.category, substr(t.filed_month, 1, 4), 3), ('*', substr(t.filed_month, 1, 4), 4)) AS k (category, period, position)
    ORDER BY k.position
    ON CONFLICT (category, period, county_code, slot) DO UPDATE SET
        filed = ticket_stats.filed + excluded.filed,
        withdrawn = ticket_stats.withdrawn + excluded.withdrawn,
        open = ticket_stats.open + excluded.open,
        resolved = ticket_stats.resolved + excluded.resolved,
        closed = ticket_stats.closed + excluded.closed,
        reached_resolved = ticket_stats.reached_resolved + excluded.reached_resolved,
        resolved_on_time = ticket_stats.resolved_on_time + excluded.resolved_on_time,
        resolution_minutes = ticket_stats.resolution_minutes + excluded.resolution_minutes,
        rated = ticket_stats.rated + excluded.rated,
        rating_sum = ticket_stats.rating_sum + excluded.rating_sum,
        accepted = ticket_stats.accepted + excluded.accepted,
        accepted_on_time = ticket_stats.accepted_on_time + excluded.accepted_on_time,
        feedback_breaches = ticket_stats.feedback_breaches + excluded.feedback_breaches,
        extended = ticket_stats.extended + excluded.extended,
        resolved_on_time_original = ticket_stats.resolved_on_time_original + excluded.resolved_on_time_original,
        supervised = ticket_stats.supervised + excluded.supervised,
        returned = ticket_stats.returned + excluded.returned
)
SELECT * FROM t;
