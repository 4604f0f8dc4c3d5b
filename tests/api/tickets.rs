//! The ticket lifecycle through HTTP: every row of the specification's table, who may make
//! each move, and what a wrong move answers.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::id;
use crate::helpers::{TestApp, expect_json, holds_null};
use crate::ticket_fixtures::{Desk, act, events};

fn assert_state(ticket: &Value, status: &str, level: &str) {
    assert_eq!(
        (ticket["status"].as_str(), ticket["level"].as_str()),
        (Some(status), Some(level)),
        "{ticket}"
    );
}

async fn filing_assigns_the_primary_cadre_or_waits_for_dispatch(app: &TestApp) {
    let d = Desk::build(app).await;
    crate::ticket_fixtures::clocks_in_plain_hours(app).await;
    let paired = d.file(app, &d.world.staff1.token, json!({})).await;
    assert_state(&paired, "assigned", "county");
    assert_eq!(paired["assignee_id"], d.world.cadre.user["id"]);
    assert_eq!(paired["county_code"], "411602");
    assert_eq!(
        paired["title"], "新厂房用地指标申请",
        "Chinese text round-trips exactly"
    );
    assert_eq!(paired["priority"], "normal");
    assert_eq!(paired["version"], 1);
    assert!(holds_null(&paired, "warning"));
    let filed =
        chrono::DateTime::parse_from_rfc3339(paired["created_at"].as_str().unwrap()).unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(paired["due_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        due - filed,
        chrono::TimeDelta::hours(360),
        "land, normal: 360 hours"
    );

    let urgent = d
        .file(app, &d.staff3.token, json!({"priority": "urgent"}))
        .await;
    assert_state(&urgent, "submitted", "county");
    assert!(holds_null(&urgent, "assignee_id"));
    let filed =
        chrono::DateTime::parse_from_rfc3339(urgent["created_at"].as_str().unwrap()).unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(urgent["due_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        due - filed,
        chrono::TimeDelta::hours(72),
        "urgent: 72 hours"
    );
    assert_eq!(
        events(app, &d.staff3.token, &urgent).await,
        vec![("file".into(), Value::Null, json!("submitted"))]
    );
}

async fn only_enterprises_file_and_input_is_checked(app: &TestApp) {
    let d = Desk::build(app).await;
    let body = json!({"category": "land", "title": "t", "description": "d"});
    for token in [&d.world.admin, &d.world.cadre.token, &d.world.sup_own.token] {
        app.call(
            Method::POST,
            "/api/v1/tickets",
            Some(token),
            Some(body.clone()),
            403,
        )
        .await;
    }
    let cases = [
        (
            json!({"category": "nope", "title": "t", "description": "d"}),
            "category",
        ),
        (
            json!({"category": "land", "title": "x".repeat(201), "description": "d"}),
            "title",
        ),
        (
            json!({"category": "land", "title": "a\u{7}b", "description": "d"}),
            "title",
        ),
        (
            json!({"category": "land", "title": "t", "description": "d\u{0}"}),
            "description",
        ),
        (
            json!({"category": "land", "title": "t", "description": "x".repeat(10_001)}),
            "description",
        ),
    ];
    for (body, field) in cases {
        let problem = app
            .call(
                Method::POST,
                "/api/v1/tickets",
                Some(&d.staff3.token),
                Some(body),
                422,
            )
            .await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let ok = json!({"category": "land", "title": "标题", "description": "第一行\n\t第二行"});
    let ticket = app
        .call(
            Method::POST,
            "/api/v1/tickets",
            Some(&d.staff3.token),
            Some(ok),
            201,
        )
        .await;
    assert_eq!(ticket["description"], "第一行\n\t第二行");
    let page = app
        .call(
            Method::GET,
            "/api/v1/tickets",
            Some(&d.staff3.token),
            None,
            200,
        )
        .await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        1,
        "nothing half-written by the rejected filings"
    );
}

async fn the_whole_lifecycle_with_escalation_to_the_province(app: &TestApp) {
    let d = Desk::build(app).await;
    let (staff, cadre) = (&d.world.staff1.token, &d.world.cadre.token);
    let t = d.file(app, staff, json!({})).await;
    let t = act(app, cadre, &t, "accept", json!({}), 200).await;
    assert_state(&t, "in_progress", "county");
    assert!(t["first_response_at"].is_string());
    let t = act(
        app,
        cadre,
        &t,
        "escalate",
        json!({"reason": "需市级协调"}),
        200,
    )
    .await;
    assert_state(&t, "submitted", "city");
    assert!(
        holds_null(&t, "assignee_id"),
        "an escalated ticket leaves its assignee"
    );
    // The county supervisor does not cover a city-level ticket; the city's does.
    act(
        app,
        &d.sup_county.token,
        &t,
        "assign",
        json!({"assignee_id": d.cadre_city.user["id"]}),
        403,
    )
    .await;
    // A cadre of the wrong tier cannot take it.
    let problem = act(
        app,
        &d.world.sup_own.token,
        &t,
        "assign",
        json!({"assignee_id": d.world.cadre.user["id"]}),
        422,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "assignee_id");
    let t = act(
        app,
        &d.world.sup_own.token,
        &t,
        "assign",
        json!({"assignee_id": d.cadre_city.user["id"]}),
        200,
    )
    .await;
    assert_state(&t, "assigned", "city");
    let t = act(
        app,
        &d.cadre_city.token,
        &t,
        "escalate",
        json!({"reason": "需省级协调"}),
        200,
    )
    .await;
    assert_state(&t, "submitted", "province");
    let t = act(
        app,
        &d.sup_province.token,
        &t,
        "assign",
        json!({"assignee_id": d.cadre_province.user["id"]}),
        200,
    )
    .await;
    let t = act(app, &d.cadre_province.token, &t, "accept", json!({}), 200).await;
    let problem = act(
        app,
        &d.cadre_province.token,
        &t,
        "escalate",
        json!({"reason": "x"}),
        409,
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("province"));
    act(app, &d.cadre_province.token, &t, "resolve", json!({}), 422).await;
    let t = act(
        app,
        &d.cadre_province.token,
        &t,
        "resolve",
        json!({"resolution": "已落实"}),
        200,
    )
    .await;
    assert_state(&t, "resolved", "province");
    assert!(t["resolved_at"].is_string());
    let t = act(app, staff, &t, "reopen", json!({"reason": "尚未办结"}), 200).await;
    assert_state(&t, "in_progress", "province");
    assert_eq!(t["reopen_count"], 1);
    assert!(holds_null(&t, "resolved_at"));
    let t = act(
        app,
        &d.cadre_province.token,
        &t,
        "resolve",
        json!({"resolution": "已全部办结"}),
        200,
    )
    .await;
    act(app, staff, &t, "confirm", json!({"rating": 6}), 422).await;
    let t = act(
        app,
        staff,
        &t,
        "confirm",
        json!({"rating": 5, "comment": "满意"}),
        200,
    )
    .await;
    assert_state(&t, "closed", "province");
    assert_eq!(
        (t["rating"].as_i64(), t["closed_at"].is_string()),
        (Some(5), true)
    );
    let trail: Vec<String> = events(app, staff, &t)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        trail,
        [
            "file", "accept", "escalate", "assign", "escalate", "assign", "accept", "resolve",
            "reopen", "resolve", "confirm"
        ]
    );
    // Closed is final.
    let problem = act(app, staff, &t, "withdraw", json!({"reason": "x"}), 409).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("closed"),
        "names the current state"
    );
}

async fn withdrawal_from_every_open_state(app: &TestApp) {
    let d = Desk::build(app).await;
    let staff = &d.world.staff1.token;
    let reason = json!({"reason": "问题已自行解决"});
    let assigned = d.file(app, staff, json!({})).await;
    assert_state(
        &act(app, staff, &assigned, "withdraw", reason.clone(), 200).await,
        "withdrawn",
        "county",
    );
    let in_progress = d.file(app, staff, json!({})).await;
    act(
        app,
        &d.world.cadre.token,
        &in_progress,
        "accept",
        json!({}),
        200,
    )
    .await;
    assert_state(
        &act(app, staff, &in_progress, "withdraw", reason.clone(), 200).await,
        "withdrawn",
        "county",
    );
    let submitted = d.file(app, &d.staff3.token, json!({})).await;
    act(app, &d.staff3.token, &submitted, "withdraw", json!({}), 422).await;
    assert_state(
        &act(app, &d.staff3.token, &submitted, "withdraw", reason, 200).await,
        "withdrawn",
        "county",
    );
}

/// A sample of forbidden moves per role: outside the scope 404, inside it 403.
async fn roles_may_only_make_their_own_moves(app: &TestApp) {
    let d = Desk::build(app).await;
    let w = &d.world;
    let t = d.file(app, &w.staff1.token, json!({})).await;
    act(app, &w.staff1.token, &t, "accept", json!({}), 403).await;
    act(
        app,
        &w.staff1.token,
        &t,
        "assign",
        json!({"assignee_id": w.cadre.user["id"]}),
        403,
    )
    .await;
    act(
        app,
        &w.cadre.token,
        &t,
        "withdraw",
        json!({"reason": "x"}),
        403,
    )
    .await;
    act(app, &w.sup_own.token, &t, "accept", json!({}), 403).await;
    act(app, &w.admin, &t, "confirm", json!({"rating": 5}), 403).await;
    act(app, &d.cadre_city.token, &t, "accept", json!({}), 404).await;
    act(
        app,
        &w.staff2.token,
        &t,
        "withdraw",
        json!({"reason": "x"}),
        404,
    )
    .await;
    act(
        app,
        &w.sup_foreign.token,
        &t,
        "assign",
        json!({"assignee_id": w.cadre.user["id"]}),
        404,
    )
    .await;
    let path = format!("/api/v1/tickets/{}", id(&t));
    for token in [
        &w.staff2.token,
        &w.sup_foreign.token,
        &d.cadre_city.token,
        &d.staff3.token,
    ] {
        app.call(Method::GET, &path, Some(token), None, 404).await;
    }
    for token in [
        &w.staff1.token,
        &w.cadre.token,
        &w.sup_own.token,
        &d.sup_county.token,
        &w.admin,
    ] {
        app.call(Method::GET, &path, Some(token), None, 200).await;
    }
    app.call(
        Method::GET,
        "/api/v1/tickets/999999",
        Some(&w.admin),
        None,
        404,
    )
    .await;
    // Wrong state beats nothing: confirming an unresolved ticket names its state.
    let problem = act(
        app,
        &w.staff1.token,
        &t,
        "confirm",
        json!({"rating": 4}),
        409,
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("assigned"));
}

async fn a_stale_etag_is_refused(app: &TestApp) {
    let d = Desk::build(app).await;
    let t = d.file(app, &d.world.staff1.token, json!({})).await;
    let path = format!("/api/v1/tickets/{}", id(&t));
    let response = app
        .request(Method::GET, &path, Some(&d.world.cadre.token), None)
        .await;
    assert_eq!(response.headers()["etag"], "\"1\"");
    let accept = |etag: &'static str| {
        app.client
            .post(app.url(&format!("{path}/accept")))
            .bearer_auth(&d.world.cadre.token)
            .header("if-match", etag)
            .json(&json!({}))
            .send()
    };
    expect_json(accept("\"7\"").await.unwrap(), 412).await;
    let response = accept("\"1\"").await.unwrap();
    assert_eq!(response.headers()["etag"], "\"2\"");
    assert_state(&expect_json(response, 200).await, "in_progress", "county");
    expect_json(accept("\"1\"").await.unwrap(), 412).await;
}

async fn resolved_tickets_close_themselves_after_the_window(app: &TestApp) {
    let d = Desk::build(app).await;
    let t = d.file(app, &d.world.staff1.token, json!({})).await;
    act(app, &d.world.cadre.token, &t, "accept", json!({}), 200).await;
    act(
        app,
        &d.world.cadre.token,
        &t,
        "resolve",
        json!({"resolution": "done"}),
        200,
    )
    .await;
    let run = || async {
        let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
        enterprise_assist::jobs::run_once(&app.state, now)
            .await
            .unwrap()
    };
    assert_eq!(run().await.auto_closed, 0, "not before the window ends");
    app.clock
        .advance(chrono::TimeDelta::days(7) + chrono::TimeDelta::seconds(1));
    assert_eq!(run().await.auto_closed, 1);
    assert_eq!(run().await.auto_closed, 0, "closed once");
    // A week on, the old access token has long expired.
    let staff = crate::fixtures::token_for(app, "staff.one").await;
    let path = format!("/api/v1/tickets/{}", id(&t));
    let closed = app.call(Method::GET, &path, Some(&staff), None, 200).await;
    assert_state(&closed, "closed", "county");
    assert!(holds_null(&closed, "rating"));
    let trail = events(app, &staff, &t).await;
    assert_eq!(trail.last().unwrap().0, "auto_close");
    assert_eq!(trail.iter().filter(|e| e.0 == "auto_close").count(), 1);
}

/// Two instances closing at once close each ticket once, with one event each.
async fn concurrent_auto_closers_close_each_ticket_once(app: &TestApp) {
    let d = Desk::build(app).await;
    let mut filed = Vec::new();
    for _ in 0..6 {
        let t = d.file(app, &d.world.staff1.token, json!({})).await;
        act(app, &d.world.cadre.token, &t, "accept", json!({}), 200).await;
        act(
            app,
            &d.world.cadre.token,
            &t,
            "resolve",
            json!({"resolution": "done"}),
            200,
        )
        .await;
        filed.push(t);
    }
    app.clock.advance(chrono::TimeDelta::days(8));
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    let runs = futures_util::future::join_all(
        (0..4).map(|_| enterprise_assist::jobs::run_once(&app.state, now)),
    )
    .await;
    let closed: usize = runs.into_iter().map(|r| r.unwrap().auto_closed).sum();
    assert_eq!(closed, 6);
    let staff = crate::fixtures::token_for(app, "staff.one").await;
    for t in &filed {
        let trail = events(app, &staff, t).await;
        assert_eq!(trail.iter().filter(|e| e.0 == "auto_close").count(), 1);
    }
}

both_backends!(
    concurrent_auto_closers_close_each_ticket_once,
    filing_assigns_the_primary_cadre_or_waits_for_dispatch,
    only_enterprises_file_and_input_is_checked,
    the_whole_lifecycle_with_escalation_to_the_province,
    withdrawal_from_every_open_state,
    roles_may_only_make_their_own_moves,
    a_stale_etag_is_refused,
    resolved_tickets_close_themselves_after_the_window,
);
