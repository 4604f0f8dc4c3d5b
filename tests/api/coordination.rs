//! Working a demand across levels and departments (SPEC section 10): dispatch candidates,
//! assisting cadres (协办), supervision orders (督办), returns and delegation, on Chuanhui
//! district (411602) under Zhoukou (411600) and Henan (410000), and Jiyuan (419001), a county
//! the province governs directly.

use serde_json::{Value, json};

use crate::departments::new_department;
use crate::fixtures::{Person, assert_field_error, id, new_enterprise, person, token_for};
use crate::helpers::{TestApp, holds_null};
use crate::programme_clock::{assert_cst, cst};
use crate::stats::assert_verified;
use crate::ticket_fixtures::{Desk, act};

crate::both_backends!(
    candidates_put_the_matching_department_first_then_the_least_loaded,
    assisting_cadres_read_comment_and_hold_the_resolution,
    supervision_orders_press_the_assignee_until_answered,
    returns_go_back_to_dispatch_and_delegation_keeps_the_level,
    a_directly_administered_county_returns_and_delegates_through_the_province,
    a_demand_travels_to_the_city_and_back_down,
);

/// `GET path` as `token`'s holder, expecting 200.
async fn read(app: &TestApp, token: &str, path: &str) -> Value {
    app.get(path).as_(token).expect(200).await
}

async fn ticket(app: &TestApp, token: &str, t: &Value) -> Value {
    read(app, token, &format!("/api/v1/tickets/{}", id(t))).await
}

/// The actions of a ticket's events as `token`'s holder sees them.
async fn actions(app: &TestApp, token: &str, t: &Value) -> Vec<String> {
    let page = read(app, token, &format!("/api/v1/tickets/{}/events", id(t))).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

/// The last event of `action` on a ticket, as an administrator sees it.
async fn last_event(app: &TestApp, t: &Value, action: &str) -> Value {
    let admin = app.admin_token().await;
    let page = read(app, &admin, &format!("/api/v1/tickets/{}/events", id(t))).await;
    let found = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["action"] == action);
    found
        .cloned()
        .unwrap_or_else(|| panic!("no {action} in {page}"))
}

/// The ids in a page.
fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// A ticket of E3 (no paired cadre) escalated to Zhoukou's level, waiting for dispatch there.
async fn at_city_level(app: &TestApp, desk: &Desk) -> Value {
    let t = desk.file(app, &desk.staff3.token, json!({})).await;
    act(
        app,
        &desk.sup_county.token,
        &t,
        "assign",
        json!({"assignee_id": desk.world.cadre.user["id"]}),
        200,
    )
    .await;
    let up = act(
        app,
        &desk.world.cadre.token,
        &t,
        "escalate",
        json!({"reason": "需市级协调"}),
        200,
    )
    .await;
    assert_eq!(
        (up["status"].as_str(), up["level"].as_str()),
        (Some("submitted"), Some("city"))
    );
    up
}

/// Zhoukou's figures this year, as its supervisor reads them.
async fn zhoukou(app: &TestApp, desk: &Desk) -> Value {
    read(
        app,
        &desk.world.sup_own.token,
        "/api/v1/stats?region=411600",
    )
    .await["totals"]
        .clone()
}

async fn candidates_put_the_matching_department_first_then_the_least_loaded(app: &TestApp) {
    let desk = Desk::build(app).await;
    let w = &desk.world;
    let land = new_department(
        app,
        &w.admin,
        "411600",
        "周口市自然资源和规划局",
        &["land"],
        201,
    )
    .await;
    let energy = new_department(
        app,
        &w.admin,
        "411600",
        "周口市发展和改革委员会",
        &["energy"],
        201,
    )
    .await;
    let of = |department: &Value, name: &str| json!({"region_code": "411600", "department_id": department["id"], "display_name": name});
    // Besides the desk's city cadre (no department, no tickets): two land cadres and an
    // energy one.
    let busy = person(app, &w.admin, "cadre.busy", "cadre", of(&land, "忙碌")).await;
    let idle = person(app, &w.admin, "cadre.idle", "cadre", of(&land, "空闲")).await;
    let other = person(app, &w.admin, "cadre.energy", "cadre", of(&energy, "能源")).await;
    let gone = person(app, &w.admin, "cadre.gone", "cadre", of(&land, "离职")).await;
    app.patch(&format!("/api/v1/users/{}", gone.id()))
        .as_(&w.admin)
        .json(json!({"active": false}))
        .expect(200)
        .await;
    // The busy one holds two open tickets at city level already.
    for _ in 0..2 {
        let t = at_city_level(app, &desk).await;
        act(
            app,
            &w.sup_own.token,
            &t,
            "assign",
            json!({"assignee_id": busy.user["id"]}),
            200,
        )
        .await;
    }
    let t = at_city_level(app, &desk).await;
    let path = format!("/api/v1/tickets/{}/candidates", id(&t));
    let answer = read(app, &w.sup_own.token, &path).await;
    let items = answer["items"].as_array().unwrap();
    let order: Vec<&Value> = items.iter().map(|c| &c["user_id"]).collect();
    assert_eq!(
        order,
        [
            &idle.user["id"],
            &busy.user["id"],
            &desk.cadre_city.user["id"],
            &other.user["id"]
        ],
        "{answer}"
    );
    let first = &items[0];
    assert_eq!(first["display_name"], "空闲");
    assert_eq!(first["department"], "周口市自然资源和规划局");
    assert_eq!(first["department_id"], land["id"]);
    assert_eq!(first["region_code"], "411600");
    assert_eq!(first["open_tickets"], 0);
    assert_eq!(first["matches_category"], true);
    assert_eq!(items[1]["open_tickets"], 2);
    assert_eq!(items[3]["matches_category"], false);
    // A department that stops handling the category (or is deactivated) no longer puts its
    // cadres first.
    app.patch(&format!("/api/v1/departments/{}", id(&land)))
        .as_(&w.admin)
        .json(json!({"active": false}))
        .expect(200)
        .await;
    let after = read(app, &w.sup_own.token, &format!("{path}?limit=2")).await;
    let order: Vec<&Value> = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["user_id"])
        .collect();
    assert_eq!(
        order,
        [&desk.cadre_city.user["id"], &idle.user["id"]],
        "{after}"
    );

    // Delegation candidates are the cadres below the ticket's level whose region holds it.
    let down = read(
        app,
        &desk.sup_province.token,
        &format!("{path}?delegate=true"),
    )
    .await;
    let regions: Vec<&str> = down["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["region_code"].as_str().unwrap())
        .collect();
    assert_eq!(regions, ["411602"], "{down}");
    let county_ticket = desk.file(app, &desk.staff3.token, json!({})).await;
    let none_below = app
        .get(&format!(
            "/api/v1/tickets/{}/candidates?delegate=true",
            id(&county_ticket)
        ))
        .as_(&desk.sup_county.token)
        .expect(409)
        .await;
    assert!(
        none_below["detail"].as_str().unwrap().contains("county"),
        "{none_below}"
    );

    // To assist: the cadres of every level holding the county, but the assignee; for whoever
    // may add help, the assignee included.
    let e1 = desk.file(app, &w.staff1.token, json!({})).await;
    let assist = format!(
        "/api/v1/tickets/{}/candidates?assist=true&limit=200",
        id(&e1)
    );
    let helpers = read(app, &w.cadre.token, &assist).await;
    let helper_ids: Vec<&Value> = helpers["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["user_id"])
        .collect();
    // (The land bureau is deactivated by now: the least loaded first.)
    assert_eq!(helper_ids.len(), 5, "{helpers}");
    assert!(
        !helper_ids.contains(&&w.cadre.user["id"]),
        "not the assignee"
    );
    assert_eq!(helper_ids[4], &busy.user["id"], "the busiest last");
    assert!(helper_ids.contains(&&desk.cadre_province.user["id"]));
    app.get(&assist).as_(&w.staff1.token).expect(403).await;
    app.get(&format!("{assist}&delegate=true"))
        .as_(&w.admin)
        .expect(400)
        .await;
    // Whoever may assign the ticket: not the county's supervisor for a city-level ticket, not
    // a cadre, not the enterprise; a foreign supervisor does not see it.
    app.get(&path).as_(&desk.sup_county.token).expect(403).await;
    app.get(&path).as_(&w.admin).expect(200).await;
    app.get(&path).as_(&desk.staff3.token).expect(403).await;
    app.get(&path).as_(&w.sup_foreign.token).expect(404).await;
    app.get(&format!("{path}?limit=0"))
        .as_(&w.admin)
        .expect(400)
        .await;
    app.get(&format!("{path}?deleg=true"))
        .as_(&w.admin)
        .expect(400)
        .await;
}

async fn assisting_cadres_read_comment_and_hold_the_resolution(app: &TestApp) {
    let desk = Desk::build(app).await;
    let w = &desk.world;
    let (staff, cadre, helper) = (&w.staff1.token, &w.cadre.token, &desk.cadre_city);
    // E1's ticket goes straight to its paired cadre, who accepts it.
    let t = desk.file(app, staff, json!({})).await;
    act(app, cadre, &t, "accept", json!({}), 200).await;
    let collaborators = format!("/api/v1/tickets/{}/collaborators", id(&t));
    // Before being asked, the city cadre does not see the ticket at all.
    app.get(&format!("/api/v1/tickets/{}", id(&t)))
        .as_(&helper.token)
        .expect(404)
        .await;

    let task = json!({"user_id": helper.user["id"], "task": "核实项目用地规划条件"});
    let added = app
        .post(&collaborators)
        .as_(cadre)
        .json(task.clone())
        .expect(201)
        .await;
    assert_eq!(added["user_id"], helper.user["id"]);
    assert_eq!(added["task"], "核实项目用地规划条件");
    assert_eq!(added["status"], "open");
    assert_eq!(added["added_by"], w.cadre.user["id"]);
    assert!(
        added.get("added_at").is_some_and(Value::is_string),
        "{added}"
    );
    for field in ["completed_at", "note"] {
        assert!(holds_null(&added, field), "{field} in {added}");
    }
    // Once, to an active cadre of a region holding the county, not the assignee.
    app.post(&collaborators)
        .as_(cadre)
        .json(task.clone())
        .expect(409)
        .await;
    for who in [
        &w.cadre.user["id"],
        &w.sup_own.user["id"],
        &w.staff1.user["id"],
    ] {
        let refused = app
            .post(&collaborators)
            .as_(cadre)
            .json(json!({"user_id": who, "task": "t"}))
            .expect(422)
            .await;
        assert_field_error(&refused, "user_id");
    }
    let foreign = person(
        app,
        &w.admin,
        "cadre.zz",
        "cadre",
        json!({"region_code": "410100"}),
    )
    .await;
    app.post(&collaborators)
        .as_(cadre)
        .json(json!({"user_id": foreign.user["id"], "task": "t"}))
        .expect(422)
        .await;
    app.post(&collaborators)
        .as_(cadre)
        .json(json!({"user_id": helper.user["id"]}))
        .expect(422)
        .await;
    // Only the assignee and those who cover the ticket add help.
    let province = json!({"user_id": desk.cadre_province.user["id"], "task": "省级政策解读"});
    app.post(&collaborators)
        .as_(staff)
        .json(province.clone())
        .expect(403)
        .await;
    app.post(&collaborators)
        .as_(&helper.token)
        .json(province.clone())
        .expect(403)
        .await;
    app.post(&collaborators)
        .as_(&w.sup_foreign.token)
        .json(province.clone())
        .expect(404)
        .await;
    app.post(&collaborators)
        .as_(&w.sup_own.token)
        .json(province)
        .expect(201)
        .await;

    // The assisting cadre reads the ticket, its comments and events, and comments (public or
    // internal); nothing else.
    ticket(app, &helper.token, &t).await;
    app.post(&format!("/api/v1/tickets/{}/comments", id(&t)))
        .as_(&helper.token)
        .json(json!({"body": "规划条件已初步核实", "internal": true}))
        .expect(201)
        .await;
    app.post(&format!("/api/v1/tickets/{}/comments", id(&t)))
        .as_(&helper.token)
        .json(json!({"body": "市局已介入"}))
        .expect(201)
        .await;
    read(
        app,
        &helper.token,
        &format!("/api/v1/tickets/{}/comments", id(&t)),
    )
    .await;
    read(app, &helper.token, &collaborators).await;
    for (action, body) in [
        ("resolve", json!({"resolution": "r"})),
        ("escalate", json!({"reason": "r"})),
        ("return", json!({"reason": "r"})),
        ("request-info", json!({"question": "q"})),
    ] {
        act(app, &helper.token, &t, action, body, 403).await;
    }
    app.post(&format!("/api/v1/tickets/{}/extensions", id(&t)))
        .as_(&helper.token)
        .json(json!({"working_days": 1, "reason": "r"}))
        .expect(403)
        .await;
    app.post(&format!("/api/v1/tickets/{}/supervision", id(&t)))
        .as_(&helper.token)
        .json(json!({"instruction": "i"}))
        .expect(403)
        .await;
    // Their queue of assisting work.
    let mine = read(app, &helper.token, "/api/v1/tickets?collaborating=me").await;
    assert_eq!(ids(&mine), [t["id"].as_i64().unwrap()]);
    let theirs = read(
        app,
        &w.admin,
        &format!("/api/v1/tickets?collaborating={}", helper.id()),
    )
    .await;
    assert_eq!(ids(&theirs), ids(&mine));
    let everything = read(app, &helper.token, "/api/v1/tickets").await;
    assert_eq!(
        ids(&everything),
        ids(&mine),
        "an assisting cadre's scope holds the ticket"
    );
    app.get("/api/v1/tickets?collaborating=you")
        .as_(&helper.token)
        .expect(400)
        .await;

    // The resolution waits for the open tasks, naming them.
    let held = act(
        app,
        cadre,
        &t,
        "resolve",
        json!({"resolution": "已落实"}),
        409,
    )
    .await;
    let detail = held["detail"].as_str().unwrap();
    assert!(
        detail.contains("核实项目用地规划条件") && detail.contains("省级政策解读"),
        "{detail}"
    );
    // Only the assisting cadre completes their task; once.
    let own = format!("{collaborators}/{}/complete", helper.id());
    app.post(&own)
        .as_(cadre)
        .json(json!({"note": "n"}))
        .expect(403)
        .await;
    app.post(&own)
        .as_(staff)
        .json(json!({"note": "n"}))
        .expect(403)
        .await;
    let done = app
        .post(&own)
        .as_(&helper.token)
        .json(json!({"note": "已出具规划条件意见"}))
        .expect(200)
        .await;
    assert_eq!(done["status"], "completed");
    assert_eq!(done["note"], "已出具规划条件意见");
    assert!(
        done.get("completed_at").is_some_and(Value::is_string),
        "{done}"
    );
    app.post(&own)
        .as_(&helper.token)
        .json(json!({"note": "again"}))
        .expect(409)
        .await;
    app.post(&format!("{collaborators}/999999/complete"))
        .as_(&helper.token)
        .json(json!({"note": "n"}))
        .expect(404)
        .await;
    // The province's task is withdrawn instead; its cadre then no longer sees the ticket.
    let province_task = format!("{collaborators}/{}", desk.cadre_province.id());
    app.delete(&province_task)
        .as_(&desk.cadre_province.token)
        .expect(403)
        .await;
    app.delete(&province_task).as_(cadre).expect(204).await;
    app.delete(&province_task).as_(cadre).expect(404).await;
    app.get(&format!("/api/v1/tickets/{}", id(&t)))
        .as_(&desk.cadre_province.token)
        .expect(404)
        .await;
    let listed = read(app, &w.sup_own.token, &collaborators).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["items"][0]["status"], "completed");
    act(
        app,
        cadre,
        &t,
        "resolve",
        json!({"resolution": "已落实"}),
        200,
    )
    .await;
    // Help is asked on open tickets only.
    app.post(&collaborators)
        .as_(&w.sup_own.token)
        .json(json!({"user_id": desk.cadre_province.user["id"], "task": "t"}))
        .expect(409)
        .await;

    // The coordination is internal: the enterprise sees neither the list nor its events, but
    // sees the assisting cadre's public comment.
    app.get(&collaborators).as_(staff).expect(403).await;
    let seen = actions(app, staff, &t).await;
    assert!(
        !seen.iter().any(|a| a.starts_with("collaborator_")),
        "{seen:?}"
    );
    let inside = actions(app, cadre, &t).await;
    for action in [
        "collaborator_added",
        "collaborator_completed",
        "collaborator_removed",
    ] {
        assert!(inside.iter().any(|a| a == action), "{action} in {inside:?}");
    }
    let comments = read(app, staff, &format!("/api/v1/tickets/{}/comments", id(&t))).await;
    assert_eq!(comments["items"].as_array().unwrap().len(), 1, "{comments}");
}

async fn supervision_orders_press_the_assignee_until_answered(app: &TestApp) {
    // Monday 2 March 2026, 10:00: two working days end at the close of Wednesday the 4th.
    app.clock.set(cst("2026-03-02 10:00"));
    let desk = Desk::build(app).await;
    let w = &desk.world;
    let t = desk.file(app, &w.staff1.token, json!({})).await;
    let etag = t["version"].clone();
    let orders = format!("/api/v1/tickets/{}/supervision", id(&t));
    let instruction = json!({"instruction": "请于两个工作日内报告用地指标协调进展"});
    // Supervisors covering the county, at any level, and administrators issue; nobody else.
    app.post(&orders)
        .as_(&w.cadre.token)
        .json(instruction.clone())
        .expect(403)
        .await;
    app.post(&orders)
        .as_(&w.staff1.token)
        .json(instruction.clone())
        .expect(403)
        .await;
    app.post(&orders)
        .as_(&w.sup_foreign.token)
        .json(instruction.clone())
        .expect(404)
        .await;
    app.post(&orders)
        .as_(&desk.sup_province.token)
        .json(json!({"instruction": " "}))
        .expect(422)
        .await;
    let bad = app
        .post(&orders)
        .as_(&desk.sup_province.token)
        .json(json!({"instruction": "i", "respond_within": {"value": 0, "unit": "working_days"}}))
        .expect(422)
        .await;
    assert_eq!(bad["status"], 422);
    let order = app
        .post(&orders)
        .as_(&desk.sup_province.token)
        .json(instruction)
        .expect(201)
        .await;
    assert!(order.get("id").is_some(), "{order}");
    assert_eq!(order["ticket_id"], t["id"]);
    assert_eq!(order["issued_by"], desk.sup_province.user["id"]);
    assert_eq!(order["instruction"], "请于两个工作日内报告用地指标协调进展");
    assert_cst(&order["issued_at"], "2026-03-02T10:00", "issued now");
    assert_cst(&order["respond_by"], "2026-03-04T17:30", "two working days");
    assert_eq!(order["status"], "open");
    assert_eq!(order["overdue"], false);
    for field in ["response", "responded_at", "responded_by"] {
        assert!(holds_null(&order, field), "{field} in {order}");
    }
    // A second order, from the county, with its own deadline in working hours.
    let county = app
        .post(&orders)
        .as_(&desk.sup_county.token)
        .json(json!({"instruction": "加快办理", "respond_within": {"value": 4, "unit": "working_hours"}}))
        .expect(201)
        .await;
    assert_cst(
        &county["respond_by"],
        "2026-03-02T15:30",
        "four working hours",
    );

    // The ticket is supervised (its ETag moved), and found so.
    let pressed = ticket(app, &w.admin, &t).await;
    assert_eq!(pressed["supervised"], true);
    assert_eq!(pressed["supervision_count"], 2);
    assert_ne!(pressed["version"], etag);
    let supervised = read(
        app,
        &w.cadre.token,
        "/api/v1/tickets?supervised=true&assignee=me",
    )
    .await;
    assert_eq!(ids(&supervised), [t["id"].as_i64().unwrap()]);
    let calm = read(app, &w.admin, "/api/v1/tickets?supervised=false").await;
    assert!(ids(&calm).is_empty(), "{calm}");

    // Wednesday noon: the county's order is overdue, the province's not yet.
    app.clock.set(cst("2026-03-04 12:00"));
    // (Access tokens last 15 minutes: everyone logs in again.)
    let province = token_for(app, "sup.henan").await;
    let overdue = read(app, &province, "/api/v1/supervision?status=overdue").await;
    assert_eq!(ids(&overdue), [county["id"].as_i64().unwrap()], "{overdue}");
    assert_eq!(overdue["items"][0]["overdue"], true);
    let open = read(
        app,
        &province,
        "/api/v1/supervision?status=open&region=411602",
    )
    .await;
    assert_eq!(open["items"].as_array().unwrap().len(), 2);

    // The assignee answers; nobody else may.
    let cadre = token_for(app, "cadre.own").await;
    let respond = |sid: &Value| format!("{orders}/{sid}/respond");
    let answer = json!({"response": "已与市自然资源和规划局会商，本周内完成指标调剂"});
    let sup = token_for(app, "sup.own").await;
    app.post(&respond(&order["id"]))
        .as_(&sup)
        .json(answer.clone())
        .expect(403)
        .await;
    app.post(&respond(&order["id"]))
        .as_(&cadre)
        .json(json!({"response": ""}))
        .expect(422)
        .await;
    let answered = app
        .post(&respond(&order["id"]))
        .as_(&cadre)
        .json(answer.clone())
        .expect(200)
        .await;
    assert_eq!(answered["status"], "answered");
    assert_eq!(answered["response"], answer["response"]);
    assert_eq!(answered["responded_by"], w.cadre.user["id"]);
    assert_eq!(answered["overdue"], false);
    app.post(&respond(&order["id"]))
        .as_(&cadre)
        .json(answer.clone())
        .expect(409)
        .await;
    app.post(&respond(&json!(999999)))
        .as_(&cadre)
        .json(answer.clone())
        .expect(404)
        .await;
    assert_eq!(
        ticket(app, &cadre, &t).await["supervised"],
        true,
        "one order is open"
    );
    let late = app
        .post(&respond(&county["id"]))
        .as_(&cadre)
        .json(answer)
        .expect(200)
        .await;
    assert_eq!(late["overdue"], true, "answered after respond_by");
    assert_eq!(ticket(app, &cadre, &t).await["supervised"], false);

    // The lists: the ticket's orders for the government side, the supervisors' list in scope.
    let staff = token_for(app, "staff.one").await;
    app.get(&orders).as_(&staff).expect(403).await;
    let of_ticket = read(app, &cadre, &orders).await;
    assert_eq!(
        ids(&of_ticket),
        [
            order["id"].as_i64().unwrap(),
            county["id"].as_i64().unwrap()
        ]
    );
    let answered_list = read(app, &sup, "/api/v1/supervision?status=answered").await;
    assert_eq!(answered_list["items"].as_array().unwrap().len(), 2);
    let foreign = token_for(app, "sup.foreign").await;
    let none = read(app, &foreign, "/api/v1/supervision").await;
    assert!(ids(&none).is_empty());
    app.get("/api/v1/supervision?region=411600")
        .as_(&foreign)
        .expect(404)
        .await;
    app.get("/api/v1/supervision").as_(&cadre).expect(403).await;
    app.get("/api/v1/supervision?status=late")
        .as_(&sup)
        .expect(400)
        .await;
    app.get("/api/v1/supervision?state=open")
        .as_(&sup)
        .expect(400)
        .await;

    // Internal events, one per step; the statistics count the ticket supervised once.
    let inside = actions(app, &cadre, &t).await;
    assert_eq!(
        inside.iter().filter(|a| *a == "supervision_issued").count(),
        2
    );
    assert_eq!(
        inside
            .iter()
            .filter(|a| *a == "supervision_answered")
            .count(),
        2
    );
    assert!(
        !actions(app, &staff, &t)
            .await
            .iter()
            .any(|a| a.starts_with("supervision"))
    );
    let figures = read(
        app,
        &sup,
        "/api/v1/stats?region=411600&from=2026-03&to=2026-03",
    )
    .await;
    assert_eq!(figures["totals"]["supervised"], 1, "{figures}");
    assert_eq!(
        figures["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["supervised"].as_i64().unwrap())
            .sum::<i64>(),
        1
    );
    assert_verified(app).await;
    // Orders are for open tickets.
    act(
        app,
        &staff,
        &t,
        "withdraw",
        json!({"reason": "不再需要"}),
        200,
    )
    .await;
    app.post(&orders)
        .as_(&sup)
        .json(json!({"instruction": "i"}))
        .expect(409)
        .await;
}

async fn returns_go_back_to_dispatch_and_delegation_keeps_the_level(app: &TestApp) {
    let desk = Desk::build(app).await;
    let w = &desk.world;
    // The paired cadre returns E1's ticket: back to the county's dispatch, unassigned.
    let t = desk.file(app, &w.staff1.token, json!({})).await;
    act(
        app,
        &w.staff1.token,
        &t,
        "return",
        json!({"reason": "r"}),
        403,
    )
    .await;
    act(
        app,
        &desk.sup_county.token,
        &t,
        "return",
        json!({"reason": "r"}),
        403,
    )
    .await;
    act(
        app,
        &w.cadre.token,
        &t,
        "return",
        json!({"reason": ""}),
        422,
    )
    .await;
    let back = act(
        app,
        &w.cadre.token,
        &t,
        "return",
        json!({"reason": "不属于本人职责范围"}),
        200,
    )
    .await;
    assert_eq!(back["status"], "submitted");
    assert_eq!(back["level"], "county");
    assert!(holds_null(&back, "assignee_id"), "{back}");
    assert_eq!(back["return_count"], 1);
    let returned = last_event(app, &t, "return").await;
    assert_eq!(
        (
            returned["from_status"].as_str(),
            returned["to_status"].as_str()
        ),
        (Some("assigned"), Some("submitted"))
    );
    assert_eq!(
        returned["details"]["reason"], "不属于本人职责范围",
        "{returned}"
    );
    assert_eq!(returned["details"]["level"], "county");
    // No longer theirs (they still see it, as E1's paired cadre); and only from assigned or
    // in progress.
    act(
        app,
        &w.cadre.token,
        &t,
        "return",
        json!({"reason": "r"}),
        403,
    )
    .await;
    act(
        app,
        &desk.sup_county.token,
        &t,
        "assign",
        json!({"assignee_id": w.cadre.user["id"]}),
        200,
    )
    .await;
    act(app, &w.cadre.token, &t, "accept", json!({}), 200).await;
    act(
        app,
        &w.cadre.token,
        &t,
        "request-info",
        json!({"question": "q"}),
        200,
    )
    .await;
    let waiting = act(
        app,
        &w.cadre.token,
        &t,
        "return",
        json!({"reason": "r"}),
        409,
    )
    .await;
    assert!(
        waiting["detail"]
            .as_str()
            .unwrap()
            .contains("awaiting_enterprise"),
        "{waiting}"
    );
    act(
        app,
        &w.staff1.token,
        &t,
        "provide-info",
        json!({"answer": "a"}),
        200,
    )
    .await;
    let twice = act(
        app,
        &w.cadre.token,
        &t,
        "return",
        json!({"reason": "again"}),
        200,
    )
    .await;
    assert_eq!(twice["return_count"], 2);
    let totals = zhoukou(app, &desk).await;
    assert_eq!(
        totals["returned"], 1,
        "a ticket returned twice counts once: {totals}"
    );

    // Up to the city, then handed down to a county cadre: the city stays accountable.
    let up = at_city_level(app, &desk).await;
    let queue = read(
        app,
        &w.sup_own.token,
        "/api/v1/tickets?status=submitted&level=city",
    )
    .await;
    assert_eq!(
        ids(&queue),
        [up["id"].as_i64().unwrap()],
        "the city's dispatch queue"
    );
    app.get("/api/v1/tickets?level=town")
        .as_(&w.admin)
        .expect(400)
        .await;
    let assign = |cadre: &Person| json!({"assignee_id": cadre.user["id"], "delegate": true});
    // Not to a cadre of the city's own level, nor by the county's supervisor.
    let same = act(
        app,
        &w.sup_own.token,
        &up,
        "assign",
        assign(&desk.cadre_city),
        422,
    )
    .await;
    assert_field_error(&same, "assignee_id");
    act(
        app,
        &desk.sup_county.token,
        &up,
        "assign",
        assign(&w.cadre),
        403,
    )
    .await;
    let down = act(app, &w.sup_own.token, &up, "assign", assign(&w.cadre), 200).await;
    assert_eq!(
        (down["status"].as_str(), down["level"].as_str()),
        (Some("assigned"), Some("city"))
    );
    assert_eq!(down["assignee_id"], w.cadre.user["id"]);
    let delegated = last_event(app, &up, "assign").await;
    assert_eq!(delegated["details"]["delegated"], true, "{delegated}");
    assert_eq!(delegated["details"]["assignee_id"], w.cadre.user["id"]);
    // A plain assignment says it is not delegated; a county-level ticket cannot be handed down.
    let plain = desk.file(app, &desk.staff3.token, json!({})).await;
    act(
        app,
        &desk.sup_county.token,
        &plain,
        "assign",
        json!({"assignee_id": w.cadre.user["id"], "delegate": true}),
        422,
    )
    .await;
    act(
        app,
        &desk.sup_county.token,
        &plain,
        "assign",
        json!({"assignee_id": w.cadre.user["id"]}),
        200,
    )
    .await;
    let plain_event = last_event(app, &plain, "assign").await;
    assert_eq!(plain_event["details"]["delegated"], false, "{plain_event}");
    // The county cadre works the delegated ticket; the county's supervisor still cannot
    // dispatch it; a return sends it back to the city's dispatch.
    act(app, &w.cadre.token, &up, "accept", json!({}), 200).await;
    act(
        app,
        &desk.sup_county.token,
        &up,
        "assign",
        json!({"assignee_id": w.cadre.user["id"]}),
        403,
    )
    .await;
    let again = act(
        app,
        &w.cadre.token,
        &up,
        "return",
        json!({"reason": "需市级统筹"}),
        200,
    )
    .await;
    assert_eq!(
        (again["status"].as_str(), again["level"].as_str()),
        (Some("submitted"), Some("city"))
    );
    // The province's supervisor may hand a city-level ticket down too, to the county.
    act(
        app,
        &desk.sup_province.token,
        &up,
        "assign",
        assign(&w.cadre),
        200,
    )
    .await;
    let totals = zhoukou(app, &desk).await;
    assert_eq!(totals["returned"], 2, "{totals}");
    assert_verified(app).await;
}

async fn a_directly_administered_county_returns_and_delegates_through_the_province(app: &TestApp) {
    let desk = Desk::build(app).await;
    let admin = &desk.world.admin;
    let jiyuan = new_enterprise(app, admin, 9, "419001").await;
    let staff = person(
        app,
        admin,
        "staff.jiyuan",
        "enterprise",
        json!({"enterprise_id": jiyuan["id"]}),
    )
    .await;
    let cadre = person(
        app,
        admin,
        "cadre.jiyuan",
        "cadre",
        json!({"region_code": "419001"}),
    )
    .await;
    let sup = person(
        app,
        admin,
        "sup.jiyuan",
        "supervisor",
        json!({"region_code": "419001"}),
    )
    .await;
    let t = desk.file(app, &staff.token, json!({})).await;
    act(
        app,
        &sup.token,
        &t,
        "assign",
        json!({"assignee_id": cadre.user["id"]}),
        200,
    )
    .await;
    let up = act(
        app,
        &cadre.token,
        &t,
        "escalate",
        json!({"reason": "需省级协调"}),
        200,
    )
    .await;
    assert_eq!(up["level"], "province", "no city government above Jiyuan");
    // The province's supervisor hands it down to Jiyuan, the only government below it there.
    let path = format!("/api/v1/tickets/{}/candidates?delegate=true", id(&t));
    let below = read(app, &desk.sup_province.token, &path).await;
    let regions: Vec<&str> = below["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["region_code"].as_str().unwrap())
        .collect();
    assert_eq!(regions, ["419001"], "{below}");
    let down = act(
        app,
        &desk.sup_province.token,
        &t,
        "assign",
        json!({"assignee_id": cadre.user["id"], "delegate": true}),
        200,
    )
    .await;
    assert_eq!(
        (down["level"].as_str(), down["assignee_id"].clone()),
        (Some("province"), cadre.user["id"].clone())
    );
    // A return goes back to the province's dispatch, never to a heading.
    let back = act(
        app,
        &cadre.token,
        &t,
        "return",
        json!({"reason": "需省级统筹"}),
        200,
    )
    .await;
    assert_eq!(
        (back["status"].as_str(), back["level"].as_str()),
        (Some("submitted"), Some("province"))
    );
    // The province's cadres are this ticket's own-level candidates.
    let own = read(
        app,
        &desk.sup_province.token,
        &format!("/api/v1/tickets/{}/candidates", id(&t)),
    )
    .await;
    let own_regions: Vec<&str> = own["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["region_code"].as_str().unwrap())
        .collect();
    assert_eq!(own_regions, ["410000"], "{own}");
    assert_verified(app).await;
}

/// Prints a step of the journey (shown with `--nocapture`).
fn show(step: &str, answer: &Value) {
    println!("{step}\n{}\n", serde_json::to_string(answer).unwrap());
}

/// The journey of issue 16: a land demand the county cannot solve goes up to Zhoukou, where a
/// cadre of the city's development office takes it with the natural-resources bureau assisting,
/// under a supervision order from the province; then it comes back down to the county cadre
/// for execution, the city staying accountable; all of it in the events and the figures.
async fn a_demand_travels_to_the_city_and_back_down(app: &TestApp) {
    let desk = Desk::build(app).await;
    let w = &desk.world;
    let bureau = new_department(
        app,
        &w.admin,
        "411600",
        "周口市自然资源和规划局",
        &["land"],
        201,
    )
    .await;
    let office = new_department(
        app,
        &w.admin,
        "411600",
        "周口市发展和改革委员会",
        &["energy", "policy"],
        201,
    )
    .await;
    let member = |department: &Value, name: &str| json!({"region_code": "411600", "department_id": department["id"], "display_name": name});
    let planner = person(app, &w.admin, "cadre.zy", "cadre", member(&bureau, "张远")).await;
    let lead = person(app, &w.admin, "cadre.fg", "cadre", member(&office, "李明")).await;

    let filed = desk
        .file(app, &w.staff1.token, json!({"title": "扩建厂房用地指标", "description": "需新增工业用地约20亩，县级指标不足。"}))
        .await;
    show(
        "1. the enterprise files (to its paired county cadre)",
        &filed,
    );
    act(app, &w.cadre.token, &filed, "accept", json!({}), 200).await;
    let up = act(
        app,
        &w.cadre.token,
        &filed,
        "escalate",
        json!({"reason": "县级用地指标不足，需市级统筹"}),
        200,
    )
    .await;
    show("2. the county cadre escalates", &up);
    let path = format!("/api/v1/tickets/{}/candidates?limit=3", id(&filed));
    let candidates = read(app, &w.sup_own.token, &path).await;
    show("3. Zhoukou's supervisor asks for candidates", &candidates);
    assert_eq!(
        candidates["items"][0]["user_id"], planner.user["id"],
        "the land bureau first"
    );
    // The supervisor gives it to the development office's cadre, who asks the bureau to help.
    let assigned = act(
        app,
        &w.sup_own.token,
        &filed,
        "assign",
        json!({"assignee_id": lead.user["id"]}),
        200,
    )
    .await;
    show("4. dispatched at city level", &assigned);
    act(app, &lead.token, &filed, "accept", json!({}), 200).await;
    let helping = app
        .post(&format!("/api/v1/tickets/{}/collaborators", id(&filed)))
        .as_(&lead.token)
        .json(json!({"user_id": planner.user["id"], "task": "核定可调剂的用地指标"}))
        .expect(201)
        .await;
    show("5. the city department assists (协办)", &helping);
    let order = app
        .post(&format!("/api/v1/tickets/{}/supervision", id(&filed)))
        .as_(&desk.sup_province.token)
        .json(json!({"instruction": "请两个工作日内报告用地指标协调进展"}))
        .expect(201)
        .await;
    show("6. the province issues a supervision order (督办)", &order);
    let answered = app
        .post(&format!(
            "/api/v1/tickets/{}/supervision/{}/respond",
            id(&filed),
            id(&order)
        ))
        .as_(&lead.token)
        .json(json!({"response": "已会同市自然资源和规划局调剂指标20亩，交川汇区落实"}))
        .expect(200)
        .await;
    show("7. the assignee answers", &answered);
    let done = app
        .post(&format!(
            "/api/v1/tickets/{}/collaborators/{}/complete",
            id(&filed),
            planner.id()
        ))
        .as_(&planner.token)
        .json(json!({"note": "已核定调剂指标20亩"}))
        .expect(200)
        .await;
    show("8. the bureau completes its task", &done);
    let down = act(
        app,
        &w.sup_own.token,
        &filed,
        "assign",
        json!({"assignee_id": w.cadre.user["id"], "delegate": true}),
        200,
    )
    .await;
    show(
        "9. handed back down to the county cadre for execution (the city stays accountable)",
        &down,
    );
    assert_eq!(
        (down["level"].as_str(), down["status"].as_str()),
        (Some("city"), Some("assigned"))
    );
    act(app, &w.cadre.token, &filed, "accept", json!({}), 200).await;
    act(
        app,
        &w.cadre.token,
        &filed,
        "resolve",
        json!({"resolution": "指标已落实，用地手续办结"}),
        200,
    )
    .await;
    let closed = act(
        app,
        &w.staff1.token,
        &filed,
        "confirm",
        json!({"rating": 5}),
        200,
    )
    .await;
    show("10. executed, resolved and confirmed", &closed);

    let events = read(
        app,
        &w.sup_own.token,
        &format!("/api/v1/tickets/{}/events", id(&filed)),
    )
    .await;
    let trail: Vec<String> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let delegated = if e["details"]["delegated"] == true {
                " (delegated)"
            } else {
                ""
            };
            format!("{}{delegated}", e["action"].as_str().unwrap())
        })
        .collect();
    println!("11. the events: {}\n", trail.join(", "));
    assert_eq!(
        trail,
        [
            "file",
            "accept",
            "escalate",
            "assign",
            "accept",
            "collaborator_added",
            "supervision_issued",
            "supervision_answered",
            "collaborator_completed",
            "assign (delegated)",
            "accept",
            "resolve",
            "confirm",
        ]
    );
    let figures = read(app, &desk.sup_province.token, "/api/v1/stats?region=411600").await;
    show("12. Zhoukou's figures", &figures["totals"]);
    assert_eq!(figures["totals"]["closed"], 1);
    assert_eq!(figures["totals"]["supervised"], 1);
    assert_eq!(figures["totals"]["returned"], 0);
    assert_verified(app).await;
}
