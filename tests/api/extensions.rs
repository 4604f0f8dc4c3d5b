//! Requests for more time (延期, SPEC section 9): the assignee asks, a supervisor covering the
//! county (or an administrator), never the one who asked, approves or rejects; an approval
//! moves `due_at` later by working days on the bundled 2026 calendar (14 February a make-up
//! Saturday, 15–23 February the Spring Festival), moves the colours with it, and keeps the
//! statistics exact.

use serde_json::{Value, json};

use crate::fixtures::{assert_field_error, id, new_enterprise, person, token_for};
use crate::helpers::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, holds_null};
use crate::programme_clock::{assert_at, cst};
use crate::stats::assert_verified;
use crate::ticket_fixtures::{Desk, act, pair};

crate::both_backends!(
    an_approval_moves_the_due_time_across_the_spring_festival,
    requests_and_decisions_are_refused_as_the_rules_say,
    the_approval_queue_filters_by_region_and_status_and_pages,
);

/// A fresh token for `username` (the clock moves past access tokens' lifetime).
async fn fresh(app: &TestApp, username: &str) -> String {
    if username == ADMIN_USERNAME {
        app.admin_token().await;
        return app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    token_for(app, username).await
}

/// `POST /tickets/{id}/extensions` as `token`'s holder, expecting `status`.
async fn request(app: &TestApp, token: &str, ticket: &Value, body: Value, status: u16) -> Value {
    app.post(&format!("/api/v1/tickets/{}/extensions", id(ticket)))
        .as_(token)
        .json(body)
        .expect(status)
        .await
}

/// `POST /tickets/{id}/extensions/{eid}/{verb}` as `token`'s holder, expecting `status`.
async fn decide(
    app: &TestApp,
    token: &str,
    extension: &Value,
    verb: &str,
    body: Value,
    status: u16,
) -> Value {
    let path = format!(
        "/api/v1/tickets/{}/extensions/{}/{verb}",
        extension["ticket_id"],
        id(extension)
    );
    app.post(&path).as_(token).json(body).expect(status).await
}

async fn ticket(app: &TestApp, ticket: &Value) -> Value {
    let admin = fresh(app, ADMIN_USERNAME).await;
    app.get(&format!("/api/v1/tickets/{}", id(ticket)))
        .as_(&admin)
        .expect(200)
        .await
}

async fn colour_of(app: &TestApp, t: &Value) -> Value {
    let read = ticket(app, t).await;
    assert!(read.get("warning").is_some(), "{read}");
    read["warning"].clone()
}

/// Runs the periodic work at the test clock (it moves expired warning counts on).
async fn run_jobs(app: &TestApp) {
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    enterprise_assist::jobs::run_once(&app.state, now)
        .await
        .unwrap();
}

/// Zhoukou's February 2026 as its supervisor reads it.
async fn february(app: &TestApp) -> Value {
    let supervisor = fresh(app, "sup.own").await;
    app.get("/api/v1/stats?region=411600&from=2026-02&to=2026-02")
        .as_(&supervisor)
        .expect(200)
        .await
}

async fn colours(app: &TestApp) -> (i64, i64, i64) {
    let w = &february(app).await["totals"]["warnings"];
    (
        w["yellow"].as_i64().unwrap(),
        w["orange"].as_i64().unwrap(),
        w["red"].as_i64().unwrap(),
    )
}

async fn an_approval_moves_the_due_time_across_the_spring_festival(app: &TestApp) {
    // Thursday 12 February 2026, 09:00; urgent land demands are due within 1 working day:
    // at the close of the 13th.
    app.clock.set(cst("2026-02-12 09:00"));
    let desk = Desk::build(app).await;
    let admin = app.admin_token().await;
    app.patch("/api/v1/categories/land")
        .as_(&admin)
        .json(json!({"sla": {"urgent": {"resolve": {"value": 1, "unit": "working_days"}}}}))
        .expect(200)
        .await;
    let staff = desk.world.staff1.token.clone();
    let a = desk.file(app, &staff, json!({"priority": "urgent"})).await;
    let b = desk.file(app, &staff, json!({"priority": "urgent"})).await;
    assert_eq!(a["assignee_id"], desk.world.cadre.user["id"], "{a}");
    assert_at(&a["due_at"], "2026-02-13T09:30:00Z", "13 Feb 17:30");

    // Friday 15:00: yellow since 14:00 (75 % of the 14 working hours), and counted so.
    app.clock.set(cst("2026-02-13 15:00"));
    run_jobs(app).await;
    assert_eq!(colour_of(app, &a).await, "yellow");
    assert_eq!(colours(app).await, (2, 0, 0));

    let cadre = fresh(app, "cadre.own").await;
    let asked = request(
        app,
        &cadre,
        &a,
        json!({"working_days": 2, "reason": "需等待省自然资源厅批复"}),
        201,
    )
    .await;
    assert!(asked.get("id").is_some(), "{asked}");
    assert_eq!(asked["ticket_id"], a["id"]);
    assert_eq!(asked["working_days"], 2);
    assert_eq!(asked["reason"], "需等待省自然资源厅批复");
    assert_eq!(asked["status"], "pending");
    assert_eq!(asked["requested_by"], desk.world.cadre.user["id"]);
    assert_at(&asked["requested_at"], "2026-02-13T07:00:00Z", "now");
    for field in ["decided_by", "decided_at", "decision_comment"] {
        assert!(holds_null(&asked, field), "{field} in {asked}");
    }
    // A request changes nothing of the ticket.
    assert_eq!(ticket(app, &a).await["due_at"], a["due_at"]);

    // The county's supervisor approves: two working days after the 13th are the make-up
    // Saturday and, after the Spring Festival, the 24th.
    let supervisor = fresh(app, "sup.county").await;
    let approved = decide(
        app,
        &supervisor,
        &asked,
        "approve",
        json!({"comment": "同意"}),
        200,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decided_by"], desk.sup_county.user["id"]);
    assert_at(&approved["decided_at"], "2026-02-13T07:00:00Z", "now");
    assert_eq!(approved["decision_comment"], "同意");
    let extended = ticket(app, &a).await;
    assert_at(&extended["due_at"], "2026-02-24T09:30:00Z", "24 Feb 17:30");
    assert!(
        extended.get("warning").is_some_and(Value::is_null),
        "{extended}"
    );
    // An administrator may decide too (as they dispatch); without a comment.
    let asked_b = request(
        app,
        &cadre,
        &b,
        json!({"working_days": 2, "reason": "r"}),
        201,
    )
    .await;
    let by_admin = decide(
        app,
        &fresh(app, ADMIN_USERNAME).await,
        &asked_b,
        "approve",
        json!({}),
        200,
    )
    .await;
    assert!(holds_null(&by_admin, "decision_comment"), "{by_admin}");
    // The window is now 28 working hours: no colour until the make-up Saturday closes.
    assert_eq!(colours(app).await, (0, 0, 0));
    assert_verified(app).await;

    // The audit trail: one public event per step, the approval with both due times.
    let events = app
        .get(&format!("/api/v1/tickets/{}/events", id(&a)))
        .as_(&fresh(app, "staff.one").await)
        .expect(200)
        .await;
    // (Nobody accepted it within 4 working hours: that missed clock is recorded too.)
    let items: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] != "sla_breached")
        .collect();
    let actions: Vec<&str> = items
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["file", "extension_requested", "extension_approved"]
    );
    assert_eq!(
        items[1]["details"],
        json!({"extension_id": asked["id"], "working_days": 2})
    );
    let details = &items[2]["details"];
    assert_eq!(details["extension_id"], asked["id"]);
    assert_eq!(details["working_days"], 2);
    assert_at(&details["due_at_before"], "2026-02-13T09:30:00Z", "before");
    assert_at(&details["due_at_after"], "2026-02-24T09:30:00Z", "after");
    assert_eq!(items[2]["actor_id"], desk.sup_county.user["id"]);

    // The colours measure the new window (as a ticket filed with it would: yellow at 21
    // working hours, the close of the 14th; orange at the due time; red at 42 hours, the 26th).
    for (at, colour) in [
        ("2026-02-14 17:29", Value::Null),
        ("2026-02-14 17:30", json!("yellow")),
        ("2026-02-20 12:00", json!("yellow")),
        ("2026-02-24 17:29", json!("yellow")),
        ("2026-02-24 17:30", json!("orange")),
        ("2026-02-26 17:29", json!("orange")),
        ("2026-02-26 17:30", json!("red")),
    ] {
        app.clock.set(cst(at));
        assert_eq!(colour_of(app, &a).await, colour, "{at}");
        if at == "2026-02-20 12:00" {
            // Ticket b is resolved on time against its extended due time only.
            let cadre = fresh(app, "cadre.own").await;
            act(app, &cadre, &b, "accept", json!({}), 200).await;
            act(
                app,
                &cadre,
                &b,
                "resolve",
                json!({"resolution": "已办结"}),
                200,
            )
            .await;
        }
        run_jobs(app).await;
        assert_verified(app).await;
    }
    let totals = &february(app).await["totals"];
    assert_eq!(totals["on_time_rate"], 1.0, "{totals}");
    assert_eq!(colours(app).await, (0, 0, 1));
}

async fn requests_and_decisions_are_refused_as_the_rules_say(app: &TestApp) {
    let desk = Desk::build(app).await;
    let w = &desk.world;
    let t = desk.file(app, &w.staff1.token, json!({})).await;
    let body = || json!({"working_days": 3, "reason": "等待材料"});
    // Only the assignee asks; others who see the ticket are refused, others do not see it.
    for token in [&w.admin, &w.sup_own.token, &w.staff1.token] {
        request(app, token, &t, body(), 403).await;
    }
    for token in [
        &w.sup_foreign.token,
        &desk.cadre_city.token,
        &w.staff2.token,
    ] {
        request(app, token, &t, body(), 404).await;
    }
    let cadre = &w.cadre.token;
    for (bad, field) in [
        (json!({"working_days": 0, "reason": "r"}), "working_days"),
        (json!({"working_days": 31, "reason": "r"}), "working_days"),
        (json!({"working_days": 3, "reason": " \u{200b} "}), "reason"),
        (json!({"reason": "r"}), "working_days"),
    ] {
        let problem = request(app, cadre, &t, bad, 422).await;
        assert_field_error(&problem, field);
    }
    let problem = request(
        app,
        cadre,
        &t,
        json!({"working_days": "3", "reason": "r"}),
        422,
    )
    .await;
    assert_eq!(problem["status"], 422);

    // One pending at a time.
    let first = request(app, cadre, &t, body(), 201).await;
    let problem = request(app, cadre, &t, body(), 409).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("pending"),
        "{problem}"
    );

    // Deciding: not the assignee, not the enterprise; 404 outside the scope, or for an
    // extension that is not this ticket's.
    for token in [cadre, &w.staff1.token] {
        decide(app, token, &first, "approve", json!({}), 403).await;
    }
    decide(app, &w.sup_foreign.token, &first, "approve", json!({}), 404).await;
    let other = desk.file(app, &w.staff1.token, json!({})).await;
    let elsewhere = app
        .post(&format!(
            "/api/v1/tickets/{}/extensions/{}/approve",
            id(&other),
            id(&first)
        ))
        .as_(&w.sup_own.token)
        .json(json!({}))
        .expect(404)
        .await;
    assert_eq!(elsewhere["status"], 404);
    // A rejection says why.
    let problem = decide(app, &w.sup_own.token, &first, "reject", json!({}), 422).await;
    assert_field_error(&problem, "comment");
    let problem = decide(
        app,
        &w.sup_own.token,
        &first,
        "reject",
        json!({"comment": ""}),
        422,
    )
    .await;
    assert_field_error(&problem, "comment");
    let rejected = decide(
        app,
        &w.sup_own.token,
        &first,
        "reject",
        json!({"comment": "材料已齐全，请按期办结"}),
        200,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decision_comment"], "材料已齐全，请按期办结");
    // Decided once: neither verdict again.
    decide(app, &w.sup_own.token, &first, "approve", json!({}), 409).await;
    decide(
        app,
        &w.admin,
        &first,
        "reject",
        json!({"comment": "x"}),
        409,
    )
    .await;
    assert_eq!(
        ticket(app, &t).await["due_at"],
        t["due_at"],
        "a rejection moves nothing"
    );

    // A ticket no longer open: no approval (a rejection still settles the request), and no
    // new request.
    let second = request(app, cadre, &t, body(), 201).await;
    act(app, cadre, &t, "accept", json!({}), 200).await;
    act(
        app,
        cadre,
        &t,
        "resolve",
        json!({"resolution": "已办结"}),
        200,
    )
    .await;
    let problem = decide(app, &w.sup_own.token, &second, "approve", json!({}), 409).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("resolved"),
        "{problem}"
    );
    decide(
        app,
        &w.sup_own.token,
        &second,
        "reject",
        json!({"comment": "已办结"}),
        200,
    )
    .await;
    request(app, cadre, &t, body(), 409).await;
    let list = app
        .get(&format!("/api/v1/tickets/{}/extensions", id(&t)))
        .as_(&w.staff1.token)
        .expect(200)
        .await;
    let statuses: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["status"])
        .collect();
    assert_eq!(
        statuses,
        [&json!("rejected"), &json!("rejected")],
        "oldest first"
    );
    app.get(&format!("/api/v1/tickets/{}/extensions", id(&t)))
        .as_(&w.staff2.token)
        .expect(404)
        .await;

    // Never the one who asked: the cadre, made a supervisor of the county, may not decide
    // their own request.
    let third = request(app, cadre, &other, body(), 201).await;
    app.patch(&format!("/api/v1/users/{}", w.cadre.id()))
        .as_(&w.admin)
        .json(json!({"role": "supervisor", "region_code": "411602"}))
        .expect(200)
        .await;
    let promoted = token_for(app, "cadre.own").await;
    let problem = decide(app, &promoted, &third, "approve", json!({}), 403).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("your own"),
        "{problem}"
    );
    decide(
        app,
        &desk.sup_county.token,
        &third,
        "approve",
        json!({}),
        200,
    )
    .await;
    assert_verified(app).await;
}

async fn the_approval_queue_filters_by_region_and_status_and_pages(app: &TestApp) {
    let desk = Desk::build(app).await;
    let w = &desk.world;
    let admin = w.admin.clone();
    // A second county of Zhoukou (Xiangcheng, 411681), and Zhengzhou (410102), each with a
    // paired cadre of its own.
    let region = |code: &str| json!({ "region_code": code });
    let e4 = new_enterprise(app, &admin, 4, "411681").await;
    let cadre4 = person(app, &admin, "cadre.xiangcheng", "cadre", region("411681")).await;
    let staff4 = person(
        app,
        &admin,
        "staff.four",
        "enterprise",
        json!({"enterprise_id": e4["id"]}),
    )
    .await;
    pair(app, &e4, &cadre4).await;
    let cadre2 = person(app, &admin, "cadre.zhengzhou", "cadre", region("410102")).await;
    pair(app, &w.e2, &cadre2).await;

    let body = json!({"working_days": 1, "reason": "r"});
    let mut chuanhui = Vec::new();
    for _ in 0..3 {
        let t = desk.file(app, &w.staff1.token, json!({})).await;
        chuanhui.push(request(app, &w.cadre.token, &t, body.clone(), 201).await);
    }
    let t4 = desk.file(app, &staff4.token, json!({})).await;
    let xiangcheng = request(app, &cadre4.token, &t4, body.clone(), 201).await;
    let t2 = desk.file(app, &w.staff2.token, json!({})).await;
    let zhengzhou = request(app, &cadre2.token, &t2, body.clone(), 201).await;
    decide(
        app,
        &w.sup_own.token,
        &chuanhui[1],
        "approve",
        json!({}),
        200,
    )
    .await;

    let ids = |page: &Value| -> Vec<Value> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].clone())
            .collect()
    };
    let queue = |token: String, query: &'static str| async move {
        app.get(&format!("/api/v1/extensions{query}"))
            .as_(&token)
            .expect(200)
            .await
    };
    let sup = w.sup_own.token.clone();
    let all_zhoukou =
        [&chuanhui[0], &chuanhui[1], &chuanhui[2], &xiangcheng].map(|e| e["id"].clone());
    assert_eq!(
        ids(&queue(sup.clone(), "").await),
        all_zhoukou,
        "oldest first"
    );
    let pending = ids(&queue(sup.clone(), "?status=pending").await);
    assert_eq!(
        pending,
        [&chuanhui[0], &chuanhui[2], &xiangcheng].map(|e| e["id"].clone())
    );
    assert_eq!(
        ids(&queue(sup.clone(), "?status=approved").await),
        [chuanhui[1]["id"].clone()]
    );
    assert!(ids(&queue(sup.clone(), "?status=rejected").await).is_empty());
    assert_eq!(
        ids(&queue(sup.clone(), "?status=pending&region=411681").await),
        [xiangcheng["id"].clone()]
    );
    // A county supervisor's queue is their county's; an administrator's the country's.
    assert_eq!(
        ids(&queue(desk.sup_county.token.clone(), "").await).len(),
        3
    );
    let everything = ids(&queue(admin.clone(), "").await);
    assert_eq!(everything.len(), 5);
    assert!(everything.contains(&zhengzhou["id"]));
    assert_eq!(
        ids(&queue(admin.clone(), "?region=410100").await),
        [zhengzhou["id"].clone()]
    );
    assert_eq!(
        ids(&queue(w.sup_foreign.token.clone(), "").await),
        [zhengzhou["id"].clone()]
    );

    // Keyset pages.
    let first = queue(sup.clone(), "?limit=3").await;
    assert_eq!(ids(&first), all_zhoukou[..3]);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let second = app
        .get(&format!("/api/v1/extensions?limit=3&cursor={cursor}"))
        .as_(&sup)
        .expect(200)
        .await;
    assert_eq!(ids(&second), all_zhoukou[3..]);
    assert!(holds_null(&second, "next_cursor"), "{second}");

    // Out of scope, as for statistics: 404; not a supervisor: 403; bad queries: 400.
    for query in ["?region=410100", "?region=410000"] {
        app.get(&format!("/api/v1/extensions{query}"))
            .as_(&sup)
            .expect(404)
            .await;
    }
    for token in [&w.cadre.token, &w.staff1.token] {
        app.get("/api/v1/extensions").as_(token).expect(403).await;
    }
    for query in [
        "?state=pending",
        "?status=maybe",
        "?region=4116",
        "?limit=0",
        "?cursor=zz",
    ] {
        let problem = app
            .get(&format!("/api/v1/extensions{query}"))
            .as_(&sup)
            .expect(400)
            .await;
        assert_eq!(problem["status"], 400, "{query}");
    }
}
