//! Category SLAs as three clocks with units, and the deadlines and colours a filing gets from
//! them in working time (SPEC section 9), on the bundled 2026 calendar in China Standard Time:
//! 14 February is a make-up Saturday, 15–23 February the Spring Festival.

use serde_json::{Value, json};

use crate::fixtures::{assert_field_error, id, token_for};
use crate::helpers::TestApp;
use crate::programme_clock::{assert_at, cst};
use crate::ticket_fixtures::Desk;

crate::both_backends!(
    categories_show_the_default_clocks_and_part_one_hours,
    clocks_are_set_by_duration_or_by_part_one_hours,
    bad_durations_are_refused,
    the_worked_example_through_the_api,
    filing_on_a_holiday_night_and_on_a_make_up_saturday,
    warnings_do_not_turn_during_a_holiday_week,
);

fn d(value: u32, unit: &str) -> Value {
    json!({"value": value, "unit": unit})
}

async fn category(app: &TestApp, code: &str) -> Value {
    let admin = app.admin_token().await;
    let all = app.get("/api/v1/categories").as_(&admin).expect(200).await;
    all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .cloned()
        .expect("the category is listed")
}

async fn categories_show_the_default_clocks_and_part_one_hours(app: &TestApp) {
    // The bundled categories were on part 1's defaults, so they are on the new ones.
    let land = category(app, "land").await;
    assert!(land.get("sla").is_some(), "{land}");
    assert_eq!(
        land["sla"],
        json!({
            "normal": {"accept": d(1, "working_days"), "feedback": d(3, "working_days"), "resolve": d(15, "working_days")},
            "urgent": {"accept": d(4, "working_hours"), "feedback": d(1, "working_days"), "resolve": d(3, "working_days")},
        })
    );
    // Part 1's fields still read as they did: a working day counts 24 hours.
    assert_eq!(land["normal_response_hours"], 24);
    assert_eq!(land["normal_resolution_hours"], 360);
    assert_eq!(land["urgent_response_hours"], 4);
    assert_eq!(land["urgent_resolution_hours"], 72);
    // A new category gets the defaults too.
    let admin = app.admin_token().await;
    let tax = app
        .post("/api/v1/categories")
        .as_(&admin)
        .json(json!({"code": "tax", "name": "税费服务"}))
        .expect(201)
        .await;
    assert_eq!(tax["sla"], land["sla"]);
}

async fn clocks_are_set_by_duration_or_by_part_one_hours(app: &TestApp) {
    // A Sunday, 10:00.
    app.clock.set(cst("2026-03-08 10:00"));
    let admin = app.admin_token().await;
    let created = app
        .post("/api/v1/categories")
        .as_(&admin)
        .json(json!({
            "code": "tax", "name": "税费服务",
            "sla": {"urgent": {"resolve": d(2, "working_days")}},
            "normal_response_hours": 48,
        }))
        .expect(201)
        .await;
    assert_eq!(created["sla"]["urgent"]["resolve"], d(2, "working_days"));
    assert_eq!(created["sla"]["urgent"]["accept"], d(4, "working_hours"));
    // Part 1's field, written, means plain hours.
    assert_eq!(created["sla"]["normal"]["accept"], d(48, "hours"));
    assert_eq!(created["normal_response_hours"], 48);
    assert_eq!(created["urgent_resolution_hours"], 48);

    // A change sets only the clocks it names.
    let changed = app
        .patch("/api/v1/categories/tax")
        .as_(&admin)
        .json(json!({
            "sla": {"normal": {"feedback": d(5, "working_days")}},
            "urgent_resolution_hours": 100,
        }))
        .expect(200)
        .await;
    assert_eq!(changed["sla"]["normal"]["feedback"], d(5, "working_days"));
    assert_eq!(changed["sla"]["normal"]["accept"], d(48, "hours"));
    assert_eq!(changed["sla"]["urgent"]["resolve"], d(100, "hours"));
    assert_eq!(changed["urgent_resolution_hours"], 100);
    assert_eq!(
        category(app, "tax").await,
        changed,
        "what was answered is stored"
    );
    let back = app
        .patch("/api/v1/categories/tax")
        .as_(&admin)
        .json(json!({"sla": {"urgent": {"resolve": d(6, "working_hours")}}}))
        .expect(200)
        .await;
    assert_eq!(back["sla"]["urgent"]["resolve"], d(6, "working_hours"));
    assert_eq!(back["urgent_resolution_hours"], 6);

    // Plain hours from the filing instant: filed on a Sunday, due 100 hours on.
    app.patch("/api/v1/categories/tax")
        .as_(&admin)
        .json(json!({"urgent_resolution_hours": 100}))
        .expect(200)
        .await;
    let desk = Desk::build(app).await;
    let ticket = desk
        .file(
            app,
            &desk.staff3.token,
            json!({"category": "tax", "priority": "urgent"}),
        )
        .await;
    assert_at(&ticket["due_at"], "2026-03-12T06:00:00Z", "");
    // 4 working hours from a Sunday: from Monday 09:00, so 14:30 (the lunch break is no time).
    assert_at(&ticket["response_due_at"], "2026-03-09T06:30:00Z", "");
}

async fn bad_durations_are_refused(app: &TestApp) {
    let admin = app.admin_token().await;
    let patch = |body: Value| app.patch("/api/v1/categories/land").as_(&admin).json(body);
    let sla = |clock: Value| json!({"sla": {"normal": {"resolve": clock}}});
    for bad in [
        d(0, "working_days"),
        d(366, "working_days"),
        d(2921, "working_hours"),
        d(8785, "hours"),
        json!({"value": -1, "unit": "hours"}),
        json!({"value": 3, "unit": "days"}),
        json!({"value": 3}),
        json!({"value": 3, "unit": "hours", "extra": 1}),
        json!({"value": "3", "unit": "hours"}),
        json!("3 working_days"),
    ] {
        let problem = patch(sla(bad.clone())).expect(422).await;
        assert_error_under(&problem, "sla.normal.resolve", &bad);
    }
    let problem = patch(json!({"sla": {"normal": {"respond": d(1, "hours")}}}))
        .expect(422)
        .await;
    assert_eq!(problem["status"], 422, "an unknown clock: {problem}");
    let problem = patch(json!({"sla": {"weekend": {}}})).expect(422).await;
    assert_eq!(problem["status"], 422, "an unknown priority: {problem}");
    for hours in [0, -5, 8785] {
        let problem = patch(json!({"urgent_resolution_hours": hours}))
            .expect(422)
            .await;
        assert_field_error(&problem, "urgent_resolution_hours");
    }
    // One clock set both ways is ambiguous.
    let problem = patch(json!({
        "sla": {"normal": {"accept": d(2, "working_days")}},
        "normal_response_hours": 10,
    }))
    .expect(422)
    .await;
    assert_field_error(&problem, "normal_response_hours");
    let problem = app
        .post("/api/v1/categories")
        .as_(&admin)
        .json(json!({"code": "tax", "name": "x", "sla": {"urgent": {"accept": d(0, "hours")}}}))
        .expect(422)
        .await;
    assert_error_under(&problem, "sla.urgent.accept", &json!(0));
    // Nothing of the refused changes was kept.
    assert_eq!(
        category(app, "land").await["sla"]["normal"]["resolve"],
        d(15, "working_days")
    );
}

/// A 422 naming `clock` (or a field inside it).
fn assert_error_under(problem: &Value, clock: &str, sent: &Value) {
    assert_eq!(problem["status"], 422, "{sent}: {problem}");
    let errors = problem["errors"].as_array().expect("an errors list");
    assert!(
        errors.iter().any(|e| e["field"]
            .as_str()
            .is_some_and(|f| f == clock || f.starts_with(&format!("{clock}.")))),
        "{sent}: no error for {clock:?} in {problem}"
    );
}

async fn the_worked_example_through_the_api(app: &TestApp) {
    // Filed Friday 13 February 2026 at 10:00 +08:00, urgent: resolve in 3 working days.
    app.clock.set(cst("2026-02-13 10:00"));
    let desk = Desk::build(app).await;
    let ticket = desk
        .file(app, &desk.staff3.token, json!({"priority": "urgent"}))
        .await;
    assert_at(&ticket["created_at"], "2026-02-13T02:00:00Z", "");
    assert_at(
        &ticket["due_at"],
        "2026-02-25T09:30:00Z",
        "25 Feb 17:30 +08:00",
    );
    // Accept in 4 working hours: 10:00–12:00, then 13:30–15:30.
    assert_at(&ticket["response_due_at"], "2026-02-13T07:30:00Z", "");
    let read = app
        .get(&format!("/api/v1/tickets/{}", id(&ticket)))
        .as_(&desk.staff3.token)
        .expect(200)
        .await;
    assert_at(&read["due_at"], "2026-02-25T09:30:00Z", "");
    // Normal priority: accept by the close of the next working day (the make-up Saturday),
    // resolve within 15 working days.
    let normal = desk.file(app, &desk.staff3.token, json!({})).await;
    assert_at(&normal["response_due_at"], "2026-02-14T09:30:00Z", "");
    // 14, 24–28 February (the 28th a make-up Saturday too), then 2–6 and 9–12 March.
    assert_at(&normal["due_at"], "2026-03-12T09:30:00Z", "");
}

async fn filing_on_a_holiday_night_and_on_a_make_up_saturday(app: &TestApp) {
    // Tuesday 17 February 2026, 22:00: a holiday night. The clocks start on the 24th.
    app.clock.set(cst("2026-02-17 22:00"));
    let desk = Desk::build(app).await;
    let staff = desk.staff3.token.clone();
    let urgent = desk.file(app, &staff, json!({"priority": "urgent"})).await;
    assert_at(
        &urgent["response_due_at"],
        "2026-02-24T06:30:00Z",
        "24 Feb 14:30",
    );
    assert_at(&urgent["due_at"], "2026-02-26T09:30:00Z", "24, 25, 26 Feb");
    let normal = desk.file(app, &staff, json!({})).await;
    assert_at(
        &normal["response_due_at"],
        "2026-02-24T09:30:00Z",
        "24 Feb 17:30",
    );

    // Saturday 14 February, 10:00: a make-up working day, which counts as any other.
    app.clock.set(cst("2026-02-14 10:00"));
    let staff = token_for(app, "staff.three").await;
    let urgent = desk.file(app, &staff, json!({"priority": "urgent"})).await;
    assert_at(
        &urgent["response_due_at"],
        "2026-02-14T07:30:00Z",
        "14 Feb 15:30",
    );
    assert_at(&urgent["due_at"], "2026-02-26T09:30:00Z", "");

    // An ordinary Saturday is no working day.
    app.clock.set(cst("2026-03-07 10:00"));
    let staff = token_for(app, "staff.three").await;
    let urgent = desk.file(app, &staff, json!({"priority": "urgent"})).await;
    assert_at(
        &urgent["response_due_at"],
        "2026-03-09T06:30:00Z",
        "Monday 14:30",
    );
    assert_at(&urgent["due_at"], "2026-03-11T09:30:00Z", "9, 10, 11 Mar");
}

/// The warning snapshot of Zhoukou (yellow, orange, red), as its supervisor reads it.
async fn colours(app: &TestApp) -> (i64, i64, i64) {
    let supervisor = token_for(app, "sup.own").await;
    let report = app
        .get("/api/v1/stats?region=411600&from=2026-02&to=2026-02")
        .as_(&supervisor)
        .expect(200)
        .await;
    let w = &report["totals"]["warnings"];
    (
        w["yellow"].as_i64().unwrap(),
        w["orange"].as_i64().unwrap(),
        w["red"].as_i64().unwrap(),
    )
}

async fn colour_of(app: &TestApp, ticket: &Value) -> Value {
    let supervisor = token_for(app, "sup.own").await;
    let read = app
        .get(&format!("/api/v1/tickets/{}", id(ticket)))
        .as_(&supervisor)
        .expect(200)
        .await;
    assert!(read.get("warning").is_some(), "{read}");
    read["warning"].clone()
}

async fn warnings_do_not_turn_during_a_holiday_week(app: &TestApp) {
    app.clock.set(cst("2026-02-13 10:00"));
    let desk = Desk::build(app).await;
    // The same demand on part 1's plain 72 hours, for comparison.
    let admin = app.admin_token().await;
    app.patch("/api/v1/categories/energy")
        .as_(&admin)
        .json(json!({"urgent_resolution_hours": 72}))
        .expect(200)
        .await;
    let staff = desk.staff3.token.clone();
    let working = desk.file(app, &staff, json!({"priority": "urgent"})).await;
    let plain = desk
        .file(
            app,
            &staff,
            json!({"priority": "urgent", "category": "energy"}),
        )
        .await;
    assert_at(&plain["due_at"], "2026-02-16T02:00:00Z", "");

    // Through the whole Spring Festival the working clock stands still: 13 of its 27 working
    // hours are gone by the close of the make-up Saturday, and no more until the 24th.
    for day in ["2026-02-15 09:00", "2026-02-18 12:00", "2026-02-23 23:00"] {
        app.clock.set(cst(day));
        let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
        enterprise_assist::jobs::run_once(&app.state, now)
            .await
            .unwrap();
        assert!(colour_of(app, &working).await.is_null(), "{day}");
        let supervisor = token_for(app, "sup.own").await;
        let yellow = app
            .get("/api/v1/tickets?warning=yellow")
            .as_(&supervisor)
            .expect(200)
            .await;
        assert!(
            yellow["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["id"] != working["id"]),
            "{day}"
        );
    }
    // The plain-hour one turned red long before (108 hours after filing).
    assert_eq!(colour_of(app, &plain).await, "red");
    assert_eq!(colours(app).await, (0, 0, 1));

    // Yellow after 75 % of the 27 working hours: 20.25, a quarter hour into the 25th.
    app.clock.set(cst("2026-02-25 09:14"));
    assert!(colour_of(app, &working).await.is_null());
    app.clock.set(cst("2026-02-25 09:15"));
    assert_eq!(colour_of(app, &working).await, "yellow");
    assert_eq!(colours(app).await, (1, 0, 1));
    // Orange at the due time, red after 150 %: 40.5 working hours, 27 Feb at 17:00.
    app.clock.set(cst("2026-02-25 17:29"));
    assert_eq!(colour_of(app, &working).await, "yellow");
    app.clock.set(cst("2026-02-25 17:30"));
    assert_eq!(colour_of(app, &working).await, "orange");
    app.clock.set(cst("2026-02-27 16:59"));
    assert_eq!(colour_of(app, &working).await, "orange");
    app.clock.set(cst("2026-02-27 17:00"));
    assert_eq!(colour_of(app, &working).await, "red");
    assert_eq!(colours(app).await, (0, 0, 2));
}
