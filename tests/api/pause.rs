//! Waiting for the enterprise (SPEC section 9): `request-info` by the assignee pauses the
//! ticket (`awaiting_enterprise`), `provide-info` by its enterprise resumes it with `due_at` and
//! `feedback_due_at` moved later by the working time waited. March 2026 in China Standard Time
//! has no holidays; the `land` category is on the default clocks (resolve 15 working days,
//! feedback 3), working hours 09:00–12:00 and 13:30–17:30 (7 a day).

use serde_json::{Value, json};

use crate::fixtures::{assert_field_error, id};
use crate::helpers::TestApp;
use crate::programme_clock::{assert_cst, cst, read, run_jobs};
use crate::ticket_fixtures::{Desk, act};

crate::both_backends!(
    a_wait_for_the_enterprise_moves_the_clocks_later,
    only_the_assignee_asks_and_only_the_enterprise_answers,
    a_waiting_ticket_can_be_escalated_or_withdrawn,
);

/// A ticket of the paired enterprise, accepted by its cadre on Monday 2 March at 11:00.
async fn accepted(app: &TestApp, desk: &Desk) -> Value {
    app.clock.set(cst("2026-03-02 10:00"));
    let ticket = desk.file(app, &desk.world.staff1.token, json!({})).await;
    app.clock.set(cst("2026-03-02 11:00"));
    let accepted = act(
        app,
        &desk.world.cadre.token,
        &ticket,
        "accept",
        json!({}),
        200,
    )
    .await;
    assert_cst(&accepted["due_at"], "2026-03-23T17:30", "resolve");
    assert_cst(&accepted["feedback_due_at"], "2026-03-05T17:30", "feedback");
    assert_eq!(accepted["paused_hours"], 0.0);
    accepted
}

async fn a_wait_for_the_enterprise_moves_the_clocks_later(app: &TestApp) {
    let desk = Desk::build(app).await;
    let (cadre, staff) = (
        desk.world.cadre.token.clone(),
        desk.world.staff1.token.clone(),
    );
    let ticket = accepted(app, &desk).await;

    app.clock.set(cst("2026-03-04 10:00"));
    let waiting = act(
        app,
        &cadre,
        &ticket,
        "request-info",
        json!({"question": "请补充2025年度用电量明细。"}),
        200,
    )
    .await;
    assert_eq!(waiting["status"], "awaiting_enterprise");
    assert_cst(&waiting["paused_at"], "2026-03-04T10:00", "the wait began");
    // The question is the feedback owed: the next one is due 3 working days on.
    assert_cst(&waiting["feedback_due_at"], "2026-03-09T17:30", "feedback");
    // The question is a public comment: the enterprise reads it.
    let comments = app
        .get(&format!("/api/v1/tickets/{}/comments", id(&ticket)))
        .as_(&staff)
        .expect(200)
        .await;
    let bodies: Vec<&str> = comments["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["请补充2025年度用电量明细。"]);
    let sup = desk.world.sup_own.token.clone();
    let listed = app
        .get("/api/v1/tickets?status=awaiting_enterprise")
        .as_(&sup)
        .expect(200)
        .await;
    assert_eq!(listed["items"][0]["id"], ticket["id"]);

    // Waiting past the feedback due: nothing is missed, and it counts as open.
    app.clock.set(cst("2026-03-10 09:59"));
    assert_eq!(run_jobs(app).await, 0);
    let stats = app
        .get("/api/v1/stats?region=411600&from=2026-03&to=2026-03")
        .as_(&sup)
        .expect(200)
        .await;
    assert_eq!(stats["totals"]["open"], 1, "{stats}");

    // Answered on Tuesday 10 March at 10:00: the wait from Wednesday 10:00 is
    // 6 + 7 + 7 + 7 + 1 = 28 working hours.
    app.clock.set(cst("2026-03-10 10:00"));
    let resumed = act(
        app,
        &staff,
        &ticket,
        "provide-info",
        json!({"answer": "已上传，请查收。"}),
        200,
    )
    .await;
    assert_eq!(resumed["status"], "in_progress");
    assert!(resumed["paused_at"].is_null());
    assert_eq!(resumed["paused_hours"], 28.0);
    // 28 working hours (4 days) after Monday 23 March's close, and after Monday 9 March's.
    assert_cst(&resumed["due_at"], "2026-03-27T17:30", "resolve, moved");
    assert_cst(
        &resumed["feedback_due_at"],
        "2026-03-13T17:30",
        "feedback, moved",
    );
    assert!(resumed["warning"].is_null());
    let events = crate::ticket_fixtures::events(app, &staff, &ticket).await;
    let actions: Vec<&str> = events.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(actions, ["file", "accept", "request_info", "provide_info"]);
    // The next wait adds to the total.
    act(
        app,
        &cadre,
        &ticket,
        "request-info",
        json!({"question": "还缺营业执照副本。"}),
        200,
    )
    .await;
    app.clock.set(cst("2026-03-10 11:30"));
    let again = act(
        app,
        &staff,
        &ticket,
        "provide-info",
        json!({"answer": "已补。"}),
        200,
    )
    .await;
    assert_eq!(again["paused_hours"], 29.5);
    assert_cst(
        &again["due_at"],
        "2026-03-30T10:30",
        "another hour and a half",
    );

    // A long wait, far past every due date: no colour and nothing missed while it lasts.
    act(
        app,
        &cadre,
        &ticket,
        "request-info",
        json!({"question": "还缺章程。"}),
        200,
    )
    .await;
    app.clock.set(cst("2026-04-30 10:00"));
    assert_eq!(run_jobs(app).await, 0);
    let still = read(app, &sup, &ticket).await;
    assert!(still["warning"].is_null(), "{still}");
    assert_eq!(
        still["breaches"],
        json!({"accept": false, "feedback": 0, "resolve": false})
    );
    let red = app
        .get("/api/v1/tickets?warning=red")
        .as_(&sup)
        .expect(200)
        .await;
    assert!(red["items"].as_array().unwrap().is_empty(), "{red}");
}

async fn only_the_assignee_asks_and_only_the_enterprise_answers(app: &TestApp) {
    let desk = Desk::build(app).await;
    let (cadre, staff) = (
        desk.world.cadre.token.clone(),
        desk.world.staff1.token.clone(),
    );
    let ticket = accepted(app, &desk).await;
    let question = json!({"question": "请补充材料。"});
    act(app, &staff, &ticket, "request-info", question.clone(), 403).await;
    act(
        app,
        &desk.world.sup_own.token,
        &ticket,
        "request-info",
        question.clone(),
        403,
    )
    .await;
    // Nothing to answer yet.
    act(
        app,
        &staff,
        &ticket,
        "provide-info",
        json!({"answer": "好"}),
        409,
    )
    .await;
    let empty = act(
        app,
        &cadre,
        &ticket,
        "request-info",
        json!({"question": " "}),
        422,
    )
    .await;
    assert_field_error(&empty, "question");
    let unknown = act(
        app,
        &cadre,
        &ticket,
        "request-info",
        json!({"question": "请补充材料。", "extra": 1}),
        422,
    )
    .await;
    assert_field_error(&unknown, "extra");
    act(app, &cadre, &ticket, "request-info", question.clone(), 200).await;
    act(app, &cadre, &ticket, "request-info", question.clone(), 409).await;
    act(
        app,
        &cadre,
        &ticket,
        "provide-info",
        json!({"answer": "好"}),
        403,
    )
    .await;
    act(
        app,
        &desk.world.staff2.token,
        &ticket,
        "provide-info",
        json!({"answer": "好"}),
        404,
    )
    .await;
    let blank = act(
        app,
        &staff,
        &ticket,
        "provide-info",
        json!({"answer": ""}),
        422,
    )
    .await;
    assert_field_error(&blank, "answer");
    // Not from a state other than waiting: a resolve must wait for the answer.
    act(
        app,
        &cadre,
        &ticket,
        "resolve",
        json!({"resolution": "已办结"}),
        409,
    )
    .await;
    act(
        app,
        &staff,
        &ticket,
        "provide-info",
        json!({"answer": "已补充。"}),
        200,
    )
    .await;
}

async fn a_waiting_ticket_can_be_escalated_or_withdrawn(app: &TestApp) {
    let desk = Desk::build(app).await;
    let (cadre, staff) = (
        desk.world.cadre.token.clone(),
        desk.world.staff1.token.clone(),
    );
    app.clock.set(cst("2026-03-02 10:00"));
    let ticket = desk.file(app, &staff, json!({})).await;
    let other = desk.file(app, &staff, json!({})).await;
    app.clock.set(cst("2026-03-02 11:00"));
    act(app, &cadre, &ticket, "accept", json!({}), 200).await;
    act(app, &cadre, &other, "accept", json!({}), 200).await;
    app.clock.set(cst("2026-03-04 10:00"));
    act(
        app,
        &cadre,
        &ticket,
        "request-info",
        json!({"question": "请补充材料。"}),
        200,
    )
    .await;
    act(
        app,
        &cadre,
        &other,
        "request-info",
        json!({"question": "请补充材料。"}),
        200,
    )
    .await;
    // A wait of one working day, then it goes up: the wait is credited all the same.
    app.clock.set(cst("2026-03-05 10:00"));
    let up = act(
        app,
        &cadre,
        &ticket,
        "escalate",
        json!({"reason": "需市级协调"}),
        200,
    )
    .await;
    assert_eq!(
        (up["status"].as_str(), up["level"].as_str()),
        (Some("submitted"), Some("city"))
    );
    assert_eq!(up["paused_hours"], 7.0);
    assert_cst(&up["due_at"], "2026-03-24T17:30", "one working day later");
    assert!(up["feedback_due_at"].is_null(), "not in progress");
    let gone = act(
        app,
        &staff,
        &other,
        "withdraw",
        json!({"reason": "不再需要"}),
        200,
    )
    .await;
    assert_eq!(gone["status"], "withdrawn");
}
