-- County-level units a province governs directly (under an `xx9000` heading,
-- 省直辖县级行政区划, e.g. Jiyuan 419001) and the municipalities' districts and counties (under
-- 市辖区 and 县 of Beijing, Tianjin, Shanghai and Chongqing) have no city government (SPEC
-- section 10): an escalation from them goes straight to the province. Open tickets an earlier
-- version escalated onto such a heading, where no one could take them, go on to the province
-- now, waiting there for dispatch, each with one escalation event by the service. No count
-- changes: they stay open, and their colour is their deadline's. (Resolved and closed ones
-- keep the level they were handled at.)
INSERT INTO ticket_events (ticket_id, actor_id, action, from_status, to_status, details, internal, created_at)
    SELECT id, NULL, 'escalate', status, 'submitted',
        '{"reason":"所在县级单位不设市级政府（省直辖县级行政区划或市辖区），转省级派单","from_level":"city","to_level":"province"}',
        FALSE, now() AT TIME ZONE 'UTC'
    FROM tickets
    WHERE level = 'city' AND status IN ('submitted', 'assigned', 'in_progress')
        AND (substr(county_code, 3, 2) = '90' OR substr(county_code, 1, 2) IN ('11', '12', '31', '50'))
    ORDER BY id;
UPDATE tickets
    SET level = 'province', status = 'submitted', assignee_id = NULL, version = version + 1,
        updated_at = now() AT TIME ZONE 'UTC'
    WHERE level = 'city' AND status IN ('submitted', 'assigned', 'in_progress')
        AND (substr(county_code, 3, 2) = '90' OR substr(county_code, 1, 2) IN ('11', '12', '31', '50'));
