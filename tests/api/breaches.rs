//! The accept, feedback and resolve clocks after filing (SPEC section 9): each missed clock is
//! recorded once as an `sla_breached` event, shown in `breaches` and filtered by `?breached=`,
//! whoever records it first (the periodic job on any instance, or a move or comment made
//! after the moment). March 2026 in China Standard Time has no holidays; the `land` category
//! is on the default clocks (normal: accept 1 working day, feedback 3, resolve 15).

use serde_json::{Value, json};

use crate::fixtures::id;
use crate::helpers::TestApp;
use crate::programme_clock::{assert_cst, cst, read, run_jobs};
use crate::ticket_fixtures::{Desk, act};

crate::both_backends!(
    a_missed_accept_is_recorded_once_across_instances,
    a_late_accept_records_the_breach_itself,
    public_comments_by_the_assignee_pay_the_feedback_clock,
    a_missed_resolve_is_recorded_once,
    the_programme_figures_follow_the_clocks,
);

/// The `sla_breached` events of a ticket: the clock and its due time of each.
async fn breach_events(app: &TestApp, token: &str, ticket: &Value) -> Vec<(String, String)> {
    let page = app
        .get(&format!("/api/v1/tickets/{}/events", id(ticket)))
        .as_(token)
        .expect(200)
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "sla_breached")
        .map(|e| {
            assert!(e["actor_id"].is_null(), "the service records it: {e}");
            (
                e["details"]["clock"].as_str().unwrap().to_owned(),
                e["details"]["due_at"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The actions of a ticket's events, oldest first.
async fn actions(app: &TestApp, token: &str, ticket: &Value) -> Vec<String> {
    crate::ticket_fixtures::events(app, token, ticket)
        .await
        .into_iter()
        .map(|(action, _, _)| action)
        .collect()
}

async fn listed(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let page = app
        .get(&format!("/api/v1/tickets?{query}"))
        .as_(token)
        .expect(200)
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].clone())
        .collect()
}

async fn a_missed_accept_is_recorded_once_across_instances(app: &TestApp) {
    // Signed in first: the clock then goes back to March, where the tokens stay valid.
    let desk = Desk::build(app).await;
    app.clock.set(cst("2026-03-02 10:00"));
    let sup = desk.world.sup_own.token.clone();
    // No cadre: it waits for dispatch, and nobody accepts it by Tuesday's close.
    let ticket = desk.file(app, &desk.staff3.token, json!({})).await;
    assert_eq!(
        ticket["breaches"],
        json!({"accept": false, "feedback": 0, "resolve": false})
    );
    assert!(ticket["feedback_due_at"].is_null(), "owed only in progress");
    assert_cst(&ticket["response_due_at"], "2026-03-03T17:30", "accept");

    app.clock.set(cst("2026-03-03 17:29"));
    assert_eq!(run_jobs(app).await, 0, "not yet");
    app.clock.set(cst("2026-03-03 17:31"));
    // Two instances, each running the job twice at once: one records it.
    let sibling = app.spawn_sibling().await;
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    let runs = futures_util::future::join_all(
        [&app.state, &sibling.state, &app.state, &sibling.state]
            .map(|state| enterprise_assist::jobs::run_once(state, now)),
    )
    .await;
    let recorded: usize = runs.into_iter().map(|r| r.unwrap().breaches_recorded).sum();
    assert_eq!(recorded, 1);
    sibling.stop().await;
    assert_eq!(run_jobs(app).await, 0);

    let after = read(app, &sup, &ticket).await;
    assert_eq!(
        after["breaches"],
        json!({"accept": true, "feedback": 0, "resolve": false})
    );
    assert_eq!(
        after["version"], ticket["version"],
        "the service's record is no change"
    );
    let events = breach_events(app, &sup, &ticket).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].0, "accept");
    assert_cst(&json!(events[0].1), "2026-03-03T17:30", "the moment missed");
    // The enterprise sees it too.
    assert_eq!(
        breach_events(app, &desk.staff3.token, &ticket).await,
        events
    );

    assert_eq!(
        listed(app, &sup, "breached=accept").await,
        vec![ticket["id"].clone()]
    );
    assert!(listed(app, &sup, "breached=resolve").await.is_empty());
    assert!(listed(app, &sup, "breached=feedback").await.is_empty());
    let bad = app
        .get("/api/v1/tickets?breached=respond")
        .as_(&sup)
        .expect(400)
        .await;
    assert!(
        bad["detail"].as_str().unwrap().contains("breached"),
        "{bad}"
    );
}

async fn a_late_accept_records_the_breach_itself(app: &TestApp) {
    // Signed in first: the clock then goes back to March, where the tokens stay valid.
    let desk = Desk::build(app).await;
    app.clock.set(cst("2026-03-02 10:00"));
    let cadre = desk.world.cadre.token.clone();
    let ticket = desk.file(app, &desk.world.staff1.token, json!({})).await;
    assert_eq!(ticket["status"], "assigned");
    // Accepted on Wednesday, before any job ran.
    app.clock.set(cst("2026-03-04 10:00"));
    let accepted = act(app, &cadre, &ticket, "accept", json!({}), 200).await;
    assert_eq!(accepted["breaches"]["accept"], true);
    assert_eq!(
        actions(app, &cadre, &ticket).await,
        ["file", "sla_breached", "accept"]
    );
    // Feedback is owed within 3 working days of acceptance: Thursday, Friday, Monday.
    assert_cst(&accepted["feedback_due_at"], "2026-03-09T17:30", "feedback");
    assert_eq!(run_jobs(app).await, 0, "recorded already");
    assert_eq!(breach_events(app, &cadre, &ticket).await.len(), 1);
}

async fn public_comments_by_the_assignee_pay_the_feedback_clock(app: &TestApp) {
    // Signed in first: the clock then goes back to March, where the tokens stay valid.
    let desk = Desk::build(app).await;
    app.clock.set(cst("2026-03-02 10:00"));
    let cadre = desk.world.cadre.token.clone();
    let staff = desk.world.staff1.token.clone();
    let ticket = desk.file(app, &staff, json!({})).await;
    app.clock.set(cst("2026-03-02 11:00"));
    let accepted = act(app, &cadre, &ticket, "accept", json!({}), 200).await;
    assert_eq!(accepted["breaches"]["accept"], false);
    assert_cst(
        &accepted["feedback_due_at"],
        "2026-03-05T17:30",
        "first feedback",
    );

    let comment = |token: String, internal: bool| {
        let path = format!("/api/v1/tickets/{}/comments", id(&ticket));
        async move {
            app.post(&path)
                .as_(&token)
                .json(json!({"body": "进展：已对接自然资源局。", "internal": internal}))
                .expect(201)
                .await
        }
    };
    app.clock.set(cst("2026-03-04 10:00"));
    // Neither an internal note nor the enterprise's own comment is feedback.
    comment(cadre.clone(), true).await;
    comment(staff.clone(), false).await;
    let unpaid = read(app, &cadre, &ticket).await;
    assert_cst(&unpaid["feedback_due_at"], "2026-03-05T17:30", "still owed");
    assert_eq!(unpaid["version"], accepted["version"]);
    comment(cadre.clone(), false).await;
    let paid = read(app, &cadre, &ticket).await;
    assert_cst(&paid["feedback_due_at"], "2026-03-09T17:30", "the next one");
    assert!(
        paid["version"].as_i64() > accepted["version"].as_i64(),
        "a change: new ETag"
    );

    // Silence: Monday's is missed, the next falls due 3 working days after it.
    app.clock.set(cst("2026-03-10 10:00"));
    assert_eq!(run_jobs(app).await, 1);
    let missed = read(app, &cadre, &ticket).await;
    assert_eq!(
        missed["breaches"],
        json!({"accept": false, "feedback": 1, "resolve": false})
    );
    assert_cst(
        &missed["feedback_due_at"],
        "2026-03-12T17:30",
        "after the missed one",
    );
    app.clock.set(cst("2026-03-16 10:00"));
    assert_eq!(
        run_jobs(app).await,
        1,
        "Thursday's; the one after is due Tuesday"
    );
    assert_eq!(
        listed(app, &cadre, "breached=feedback").await,
        vec![ticket["id"].clone()]
    );
    let events = breach_events(app, &cadre, &ticket).await;
    let clocks: Vec<&str> = events.iter().map(|(clock, _)| clock.as_str()).collect();
    assert_eq!(clocks, ["feedback", "feedback"]);

    // Resolving pays what is owed: nothing more falls due.
    let resolved = act(
        app,
        &cadre,
        &ticket,
        "resolve",
        json!({"resolution": "已办结"}),
        200,
    )
    .await;
    assert!(resolved["feedback_due_at"].is_null(), "{resolved}");
    assert_eq!(
        resolved["breaches"],
        json!({"accept": false, "feedback": 2, "resolve": false})
    );
    app.clock.set(cst("2026-04-30 10:00"));
    assert_eq!(run_jobs(app).await, 0);
}

async fn a_missed_resolve_is_recorded_once(app: &TestApp) {
    // Signed in first: the clock then goes back to March, where the tokens stay valid.
    let desk = Desk::build(app).await;
    app.clock.set(cst("2026-03-02 10:00"));
    let cadre = desk.world.cadre.token.clone();
    let ticket = desk.file(app, &desk.world.staff1.token, json!({})).await;
    // 15 working days: due Monday 23 March at the close.
    assert_cst(&ticket["due_at"], "2026-03-23T17:30", "resolve");
    act(app, &cadre, &ticket, "accept", json!({}), 200).await;
    app.clock.set(cst("2026-03-23 17:31"));
    assert!(run_jobs(app).await >= 1);
    let late = read(app, &cadre, &ticket).await;
    assert_eq!(late["breaches"]["resolve"], true);
    assert_eq!(
        late["breaches"]["feedback"], 5,
        "due 5, 10, 13, 18 and 23 March: {late}"
    );
    app.clock.set(cst("2026-03-25 10:00"));
    run_jobs(app).await;
    // Resolved late, reopened, resolved again: the resolve clock was missed once.
    act(
        app,
        &cadre,
        &ticket,
        "resolve",
        json!({"resolution": "已办结"}),
        200,
    )
    .await;
    act(
        app,
        &desk.world.staff1.token,
        &ticket,
        "reopen",
        json!({"reason": "未落实"}),
        200,
    )
    .await;
    act(
        app,
        &cadre,
        &ticket,
        "resolve",
        json!({"resolution": "已落实"}),
        200,
    )
    .await;
    let resolves = breach_events(app, &cadre, &ticket)
        .await
        .into_iter()
        .filter(|(clock, _)| clock == "resolve")
        .count();
    assert_eq!(resolves, 1);
    assert_eq!(
        listed(app, &cadre, "breached=resolve").await,
        vec![ticket["id"].clone()]
    );
}

async fn the_programme_figures_follow_the_clocks(app: &TestApp) {
    let desk = Desk::build(app).await;
    app.clock.set(cst("2026-03-02 10:00"));
    let (cadre, staff, sup) = (
        desk.world.cadre.token.clone(),
        desk.world.staff1.token.clone(),
        desk.world.sup_own.token.clone(),
    );
    let on_time = desk.file(app, &staff, json!({})).await;
    let late = desk.file(app, &staff, json!({})).await;
    app.clock.set(cst("2026-03-02 11:00"));
    act(app, &cadre, &on_time, "accept", json!({}), 200).await;
    app.clock.set(cst("2026-03-04 10:00"));
    act(app, &cadre, &late, "accept", json!({}), 200).await;
    // Five more working days for the late one: due 30 March instead of 23 March.
    let asked = app
        .post(&format!("/api/v1/tickets/{}/extensions", id(&late)))
        .as_(&cadre)
        .json(json!({"working_days": 5, "reason": "需等待市级批复"}))
        .expect(201)
        .await;
    app.post(&format!(
        "/api/v1/tickets/{}/extensions/{}/approve",
        id(&late),
        id(&asked)
    ))
    .as_(&sup)
    .json(json!({}))
    .expect(200)
    .await;
    app.clock.set(cst("2026-03-06 10:00"));
    run_jobs(app).await;
    act(
        app,
        &cadre,
        &on_time,
        "resolve",
        json!({"resolution": "已办结"}),
        200,
    )
    .await;
    // Resolved after the due time set at filing, before the extended one.
    app.clock.set(cst("2026-03-25 10:00"));
    let resolved = act(
        app,
        &cadre,
        &late,
        "resolve",
        json!({"resolution": "已办结"}),
        200,
    )
    .await;
    assert_cst(&resolved["due_at"], "2026-03-30T17:30", "extended");
    assert_cst(&resolved["original_due_at"], "2026-03-23T17:30", "as filed");
    assert_eq!(resolved["breaches"]["resolve"], false);

    let mut missed_feedback = 0;
    for ticket in [&on_time, &late] {
        missed_feedback += read(app, &sup, ticket).await["breaches"]["feedback"]
            .as_i64()
            .unwrap();
    }
    assert!(
        missed_feedback >= 2,
        "neither assignee wrote: {missed_feedback}"
    );
    let report = app
        .get("/api/v1/stats?region=411600&from=2026-03&to=2026-03")
        .as_(&sup)
        .expect(200)
        .await;
    let t = &report["totals"];
    assert_eq!(t["accepted_on_time_rate"], 0.5, "{t}");
    assert_eq!(t["feedback_breaches"], missed_feedback);
    assert_eq!(t["extended"], 1);
    assert_eq!(t["on_time_rate"], 1.0, "against the extended due time");
    assert_eq!(
        t["on_time_rate_original"], 0.5,
        "against the due time set at filing"
    );
    // The county's row holds the same, and the counters agree with a recount.
    let county = report["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["region"]["code"] == "411602")
        .unwrap();
    assert_eq!(county["extended"], 1, "{county}");
    crate::stats::assert_verified(app).await;
}
