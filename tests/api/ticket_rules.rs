//! What holds around the lifecycle: idempotent filing, one winner among concurrent moves,
//! internal comments kept from enterprises, warning colours, and the scoped list.

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::id;
use crate::helpers::{TestApp, expect_json, holds_null};
use crate::ticket_fixtures::{Desk, act, events};

async fn file_with_key(app: &TestApp, token: &str, key: &str, title: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/tickets"))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(&json!({"category": "finance", "title": title, "description": "贷款贴息"}))
        .send()
        .await
        .unwrap()
}

async fn count_tickets(app: &TestApp, token: &str) -> usize {
    let page = app
        .get("/api/v1/tickets?limit=200")
        .as_(token)
        .expect(200)
        .await;
    page["items"].as_array().unwrap().len()
}

async fn a_retried_filing_files_once(app: &TestApp) {
    let d = Desk::build(app).await;
    let token = &d.staff3.token;
    let first = expect_json(file_with_key(app, token, "k-1", "融资").await, 201).await;
    let retry = file_with_key(app, token, "k-1", "融资").await;
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(expect_json(retry, 201).await["id"], first["id"]);
    let problem = expect_json(file_with_key(app, token, "k-1", "另一个").await, 422).await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    assert_eq!(count_tickets(app, token).await, 1);
    // Keys are per caller: another enterprise may use the same one.
    expect_json(
        file_with_key(app, &d.world.staff1.token, "k-1", "融资").await,
        201,
    )
    .await;
}

async fn concurrent_filings_with_one_key_file_one_ticket(app: &TestApp) {
    let d = Desk::build(app).await;
    let token = &d.staff3.token;
    let answers = join_all((0..10).map(|_| file_with_key(app, token, "burst", "并发"))).await;
    let mut ids = Vec::new();
    for answer in answers {
        ids.push(expect_json(answer, 201).await["id"].clone());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every retry answers the same ticket: {ids:?}");
    assert_eq!(count_tickets(app, token).await, 1);
}

async fn of_twenty_concurrent_moves_exactly_one_wins(app: &TestApp) {
    let d = Desk::build(app).await;
    let t = d.file(app, &d.world.staff1.token, json!({})).await;
    let path = format!("/api/v1/tickets/{}/accept", id(&t));
    let empty = json!({});
    let moves = (0..20).map(|_| {
        app.request(
            Method::POST,
            &path,
            Some(&d.world.cadre.token),
            Some(&empty),
        )
    });
    let statuses: Vec<u16> = join_all(moves)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let accepts = events(app, &d.world.staff1.token, &t)
        .await
        .into_iter()
        .filter(|e| e.0 == "accept")
        .count();
    assert_eq!(accepts, 1, "one move, one event");
    let ticket = app
        .get(&format!("/api/v1/tickets/{}", id(&t)))
        .as_(&d.world.cadre.token)
        .expect(200)
        .await;
    assert_eq!(ticket["version"], 2);
}

async fn internal_comments_never_reach_the_enterprise(app: &TestApp) {
    let d = Desk::build(app).await;
    let (staff, cadre) = (&d.world.staff1.token, &d.world.cadre.token);
    let t = d.file(app, staff, json!({})).await;
    let path = format!("/api/v1/tickets/{}/comments", id(&t));
    let public = app
        .post(&path)
        .as_(staff)
        .json(json!({"body": "请尽快处理"}))
        .expect(201)
        .await;
    assert_eq!(public["internal"], false);
    app.post(&path)
        .as_(staff)
        .json(json!({"body": "x", "internal": true}))
        .expect(403)
        .await;
    app.post(&path)
        .as_(cadre)
        .json(json!({"body": "内部：需协调国土部门", "internal": true}))
        .expect(201)
        .await;
    app.post(&path)
        .as_(cadre)
        .json(json!({"body": "已受理"}))
        .expect(201)
        .await;
    app.post(&path)
        .as_(&d.world.staff2.token)
        .json(json!({"body": "x"}))
        .expect(404)
        .await;
    app.post(&path)
        .as_(&d.cadre_city.token)
        .json(json!({"body": "x"}))
        .expect(404)
        .await;
    let bodies = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["body"].as_str().unwrap().to_owned())
            .collect()
    };
    let seen_by_staff = bodies(app.get(&path).as_(staff).expect(200).await);
    assert_eq!(seen_by_staff, ["请尽快处理", "已受理"]);
    let seen_by_supervisor = bodies(app.get(&path).as_(&d.world.sup_own.token).expect(200).await);
    assert_eq!(seen_by_supervisor.len(), 3);
    let staff_events = events(app, staff, &t).await;
    let cadre_events = events(app, cadre, &t).await;
    assert_eq!(
        staff_events.iter().filter(|e| e.0 == "comment").count(),
        2,
        "the internal one's event is hidden too"
    );
    assert_eq!(cadre_events.iter().filter(|e| e.0 == "comment").count(), 3);
    // Paging one at a time shows the enterprise no more than the whole list does.
    let mut cursor: Option<String> = None;
    let mut paged = Vec::new();
    loop {
        let q = cursor
            .as_ref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let page = app
            .get(&format!("{path}?limit=1{q}"))
            .as_(staff)
            .expect(200)
            .await;
        paged.extend(bodies(page.clone()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(paged, seen_by_staff);
}

async fn warnings_turn_at_the_thresholds(app: &TestApp) {
    let d = Desk::build(app).await;
    crate::ticket_fixtures::clocks_in_plain_hours(app).await;
    let urgent = d
        .file(app, &d.staff3.token, json!({"priority": "urgent"}))
        .await;
    let normal = d.file(app, &d.staff3.token, json!({})).await;
    let path = format!("/api/v1/tickets/{}", id(&urgent));
    let steps = [
        (54 * 60 - 1, Value::Null),
        (1, json!("yellow")),
        (18 * 60, json!("orange")),
        (36 * 60, json!("red")),
    ];
    for (minutes, colour) in steps {
        app.clock.advance(chrono::TimeDelta::minutes(minutes));
        let token = crate::fixtures::token_for(app, "sup.own").await;
        let ticket = app.get(&path).as_(&token).expect(200).await;
        assert_eq!(ticket["warning"], colour, "after {minutes} more minutes");
        if let Some(colour) = colour.as_str() {
            let page = app
                .get(&format!("/api/v1/tickets?warning={colour}"))
                .as_(&token)
                .expect(200)
                .await;
            let ids: Vec<&Value> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| &t["id"])
                .collect();
            assert_eq!(
                ids,
                [&urgent["id"]],
                "only the urgent ticket is {colour}; the normal one is not"
            );
        }
    }
    let normal_now = app
        .get(&format!("/api/v1/tickets/{}", id(&normal)))
        .as_(&crate::fixtures::token_for(app, "sup.own").await)
        .expect(200)
        .await;
    assert!(
        holds_null(&normal_now, "warning"),
        "108 hours of 360 is not yet yellow"
    );
    let staff = crate::fixtures::token_for(app, "staff.three").await;
    let withdrawn = act(
        app,
        &staff,
        &urgent,
        "withdraw",
        json!({"reason": "不需要了"}),
        200,
    )
    .await;
    assert!(
        holds_null(&withdrawn, "warning"),
        "only open tickets carry a colour"
    );
}

async fn lists_are_scoped_filtered_and_paged(app: &TestApp) {
    let d = Desk::build(app).await;
    let w = &d.world;
    for _ in 0..3 {
        d.file(app, &w.staff1.token, json!({})).await;
    }
    let submitted = d
        .file(
            app,
            &d.staff3.token,
            json!({"category": "energy", "priority": "urgent"}),
        )
        .await;
    let list = |token: String, query: &'static str| async move {
        let page = app
            .get(&format!("/api/v1/tickets{query}"))
            .as_(&token)
            .expect(200)
            .await;
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        list(w.staff1.token.clone(), "").await.len(),
        3,
        "an enterprise sees its own"
    );
    assert_eq!(list(w.staff2.token.clone(), "").await.len(), 0);
    assert_eq!(list(w.cadre.token.clone(), "?assignee=me").await.len(), 3);
    assert_eq!(list(w.sup_own.token.clone(), "").await.len(), 4);
    assert_eq!(list(w.sup_foreign.token.clone(), "").await.len(), 0);
    assert_eq!(
        list(w.admin.clone(), "?status=submitted").await,
        [submitted["id"].as_i64().unwrap()]
    );
    assert_eq!(
        list(w.admin.clone(), "?status=submitted,assigned")
            .await
            .len(),
        4
    );
    assert_eq!(
        list(w.admin.clone(), "?category=energy&priority=urgent")
            .await
            .len(),
        1
    );
    assert_eq!(list(w.admin.clone(), "?region=411600").await.len(), 4);
    assert_eq!(list(w.admin.clone(), "?region=410100").await.len(), 0);
    let newest_first = list(w.admin.clone(), "").await;
    assert!(
        newest_first.windows(2).all(|p| p[0] > p[1]),
        "{newest_first:?}"
    );
    let soonest_due = list(w.admin.clone(), "?sort=due").await;
    assert_eq!(
        soonest_due[0],
        submitted["id"].as_i64().unwrap(),
        "the urgent one is due first"
    );
    // Keyset pages of one cover the list exactly once.
    let mut seen = Vec::new();
    let mut path = "/api/v1/tickets?limit=1&sort=due".to_owned();
    loop {
        let page = app.get(&path).as_(&w.admin).expect(200).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/tickets?limit=1&sort=due&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, soonest_due);
    for bad in [
        "?status=open",
        "?assignee=someone",
        "?warning=blue",
        "?filed_from=yesterday",
        "?sort=random",
    ] {
        app.get(&format!("/api/v1/tickets{bad}"))
            .as_(&w.admin)
            .expect(400)
            .await;
    }
    // Days are programme-time days: "today" as the tickets' filing clock reads it there.
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    let today = enterprise_assist::domain::time::date(app.timezone, now);
    let query = format!("/api/v1/tickets?filed_from={today}&filed_to={today}");
    let page = app.get(&query).as_(&w.admin).expect(200).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 4);
}

both_backends!(
    a_retried_filing_files_once,
    concurrent_filings_with_one_key_file_one_ticket,
    of_twenty_concurrent_moves_exactly_one_wins,
    internal_comments_never_reach_the_enterprise,
    warnings_turn_at_the_thresholds,
    lists_are_scoped_filtered_and_paged,
);
