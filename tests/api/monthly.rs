//! Frozen monthly reports (SPEC section 9): not found before the month is frozen; after the
//! periodic job, `/stats` of that month as it stood then, plus `frozen_at` and
//! `formula_version`; never altered by later changes to tickets; frozen once by several
//! instances; scoped and checked like `/stats`.
//!
//! Every test application runs a round of the periodic work as it starts (and every minute of
//! real time after), so a test never counts on being the one that froze a month; its clock is
//! manual, so whoever freezes a month does it at the test's `now`.

use chrono::{NaiveDateTime, TimeDelta, TimeZone};
use enterprise_assist::clock::Clock;
use enterprise_assist::domain::rollup::Month;
use enterprise_assist::domain::time::rfc3339;
use enterprise_assist::jobs::{JobReport, run_once};
use futures_util::future::join_all;
use serde_json::{Value, json};

use enterprise_assist::config::Settings;

use crate::both_backends_with;
use crate::fixtures::token_for;
use crate::helpers::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp};
use crate::ticket_fixtures::{Desk, act};

/// A confirmation window long enough (90 days) that no resolved ticket of these tests closes
/// by itself while the clock moves on by months.
fn long_confirmation_window(settings: &mut Settings) {
    settings.tickets.confirmation_window_hours = 90 * 24;
}

fn now(app: &TestApp) -> NaiveDateTime {
    app.clock.now()
}

fn month_of(app: &TestApp) -> Month {
    Month::of(now(app), app.timezone)
}

/// Moves the clock to a minute past the start of the next month of programme time.
fn into_next_month(app: &TestApp) {
    let next = month_of(app).next();
    let start = app
        .timezone
        .with_ymd_and_hms(next.year, next.month, 1, 0, 1, 0)
        .unwrap()
        .naive_utc();
    app.clock.advance(start - now(app));
}

async fn run_job(app: &TestApp) -> JobReport {
    run_once(&app.state, now(app))
        .await
        .expect("the periodic work runs")
}

fn monthly_path(region: Option<&str>, month: Month) -> String {
    match region {
        Some(region) => format!("/api/v1/stats/monthly?region={region}&month={month}"),
        None => format!("/api/v1/stats/monthly?month={month}"),
    }
}

fn stats_path(region: Option<&str>, month: Month) -> String {
    match region {
        Some(region) => format!("/api/v1/stats?region={region}&from={month}&to={month}"),
        None => format!("/api/v1/stats?from={month}&to={month}"),
    }
}

/// A frozen report without its two frozen fields (asserted present), to compare with `/stats`.
fn without_frozen_fields(mut report: Value) -> Value {
    let fields = report.as_object_mut().unwrap();
    assert!(fields.remove("frozen_at").is_some_and(|v| v.is_string()));
    assert!(fields.remove("formula_version").is_some_and(|v| v.is_i64()));
    report
}

async fn admin_token(app: &TestApp) -> String {
    app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn body_as_csv(app: &TestApp, token: &str, path: &str) -> String {
    let response = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    response.text().await.unwrap()
}

async fn a_month_is_frozen_once_it_ends_and_stays_as_it_was(app: &TestApp) {
    let d = Desk::build(app).await;
    let (staff, cadre) = (&d.world.staff1.token, &d.world.cadre.token);
    let month = month_of(app);
    // In Chuanhui (411602): one closed, one resolved, one in progress, one assigned; one in
    // Zhengzhou waiting for dispatch.
    let closed = d.file(app, staff, json!({})).await;
    act(app, cadre, &closed, "accept", json!({}), 200).await;
    act(
        app,
        cadre,
        &closed,
        "resolve",
        json!({"resolution": "ok"}),
        200,
    )
    .await;
    act(app, staff, &closed, "confirm", json!({"rating": 4}), 200).await;
    let resolved = d.file(app, staff, json!({})).await;
    act(app, cadre, &resolved, "accept", json!({}), 200).await;
    act(
        app,
        cadre,
        &resolved,
        "resolve",
        json!({"resolution": "ok"}),
        200,
    )
    .await;
    let working = d.file(app, staff, json!({})).await;
    act(app, cadre, &working, "accept", json!({}), 200).await;
    let assigned = d.file(app, staff, json!({})).await;
    d.file(app, &d.world.staff2.token, json!({})).await;

    let sup = &d.world.sup_own.token;
    let path = monthly_path(Some("411600"), month);
    let problem = app.get(&path).as_(sup).expect(404).await;
    assert!(problem["detail"].as_str().unwrap().contains("not frozen"));
    run_job(app).await;
    app.get(&path).as_(sup).expect(404).await;

    into_next_month(app);
    let frozen_at = now(app);
    // Tokens expire as the clock moves: log in again.
    let (admin, sup) = (admin_token(app).await, token_for(app, "sup.own").await);
    app.get(&path).as_(&sup).expect(404).await;
    run_job(app).await;
    let report = app.get(&path).as_(&sup).expect(200).await;
    assert_eq!(report["frozen_at"], rfc3339(&frozen_at));
    assert_eq!(report["formula_version"], 2);
    assert_eq!(report["totals"]["filed"], 4);
    // Each region's report is `/stats` of that month as it stood: with tickets (the city, the
    // country), and without (a quiet county, another province).
    let mut as_it_was = vec![];
    for region in [
        Some("411600"),
        Some("411602"),
        None,
        Some("411621"),
        Some("110000"),
    ] {
        let frozen = app
            .get(&monthly_path(region, month))
            .as_(&admin)
            .expect(200)
            .await;
        let live = app
            .get(&stats_path(region, month))
            .as_(&admin)
            .expect(200)
            .await;
        assert_eq!(without_frozen_fields(frozen.clone()), live, "{region:?}");
        as_it_was.push(frozen);
    }
    let csv = body_as_csv(app, &sup, &path).await;
    assert_eq!(
        csv,
        body_as_csv(app, &sup, &stats_path(Some("411600"), month)).await
    );
    assert_eq!(run_job(app).await.months_frozen, 0, "frozen once");

    // Later changes to that month's tickets change `/stats`, never the frozen report.
    let (staff, cadre) = (
        token_for(app, "staff.one").await,
        token_for(app, "cadre.own").await,
    );
    act(
        app,
        &cadre,
        &working,
        "resolve",
        json!({"resolution": "late"}),
        200,
    )
    .await;
    act(app, &staff, &resolved, "confirm", json!({"rating": 2}), 200).await;
    act(
        app,
        &staff,
        &assigned,
        "withdraw",
        json!({"reason": "x"}),
        200,
    )
    .await;
    d.file(app, &staff, json!({})).await;
    app.clock.advance(TimeDelta::days(40));
    let admin = admin_token(app).await;
    run_job(app).await;
    let live = app
        .get(&stats_path(Some("411600"), month))
        .as_(&admin)
        .expect(200)
        .await;
    assert_eq!(live["totals"]["withdrawn"], 1, "the tickets did change");
    for (region, was) in [
        Some("411600"),
        Some("411602"),
        None,
        Some("411621"),
        Some("110000"),
    ]
    .into_iter()
    .zip(&as_it_was)
    {
        let frozen = app
            .get(&monthly_path(region, month))
            .as_(&admin)
            .expect(200)
            .await;
        assert_eq!(&frozen, was, "{region:?}");
    }
    assert_eq!(body_as_csv(app, &admin, &path).await, csv);
}

/// The months from two years ago to this one that are frozen.
async fn frozen_months(app: &TestApp) -> Vec<String> {
    let this = month_of(app);
    let since = Month {
        year: this.year - 2,
        ..this
    };
    app.db
        .run(move |conn| enterprise_assist::db::monthly::frozen_between(conn, since, this))
        .await
        .unwrap()
}

async fn two_instances_freeze_a_month_once(app: &TestApp) {
    let d = Desk::build(app).await;
    d.file(app, &d.world.staff1.token, json!({})).await;
    let month = month_of(app);
    // The sibling's own first round runs as it starts, before the clock moves on.
    let sibling = app.spawn_sibling().await;
    assert_eq!(sibling.get("/healthz").await.status(), 200);
    into_next_month(app);
    let runs = join_all(
        [app, &sibling, app, &sibling]
            .into_iter()
            .map(|instance| run_once(&instance.state, now(app))),
    )
    .await;
    let frozen: usize = runs.into_iter().map(|r| r.unwrap().months_frozen).sum();
    assert!(
        frozen <= 1,
        "at most one of the racing rounds froze the month"
    );
    assert_eq!(
        frozen_months(app).await,
        [month.previous().to_string(), month.to_string()]
    );
    let admin = admin_token(app).await;
    let path = monthly_path(Some("411602"), month);
    let here = app.get(&path).as_(&admin).expect(200).await;
    let there = sibling.get(&path).as_(&admin).expect(200).await;
    assert_eq!(here, there);
    assert_eq!(here["frozen_at"], rfc3339(&now(app)));
    assert_eq!(here["totals"]["filed"], 1);
    sibling.stop().await;
}

async fn a_new_installation_has_last_months_report_after_its_first_run(app: &TestApp) {
    let admin = app.admin_token().await;
    let this = month_of(app);
    let last = this.previous();
    run_job(app).await;
    assert_eq!(frozen_months(app).await, [last.to_string()]);
    assert_eq!(run_job(app).await.months_frozen, 0);
    for region in [None, Some("411600")] {
        let frozen = app
            .get(&monthly_path(region, last))
            .as_(&admin)
            .expect(200)
            .await;
        assert_eq!(frozen["totals"]["filed"], 0);
        let live = app
            .get(&stats_path(region, last))
            .as_(&admin)
            .expect(200)
            .await;
        assert_eq!(without_frozen_fields(frozen), live);
    }
    app.get(&monthly_path(None, this))
        .as_(&admin)
        .expect(404)
        .await;
    app.get(&monthly_path(None, last.previous()))
        .as_(&admin)
        .expect(404)
        .await;
}

async fn monthly_reports_are_scoped_and_checked_like_statistics(app: &TestApp) {
    let d = Desk::build(app).await;
    let w = &d.world;
    let last = month_of(app).previous();
    run_job(app).await;
    let table: [(&str, &str, u16); 7] = [
        (&w.sup_own.token, "411602", 200),
        (&w.sup_own.token, "410000", 404),
        (&w.sup_foreign.token, "411600", 404),
        (&w.cadre.token, "411600", 403),
        (&w.staff1.token, "411600", 403),
        (&w.admin, "410000", 200),
        (&w.admin, "999999", 404),
    ];
    for (token, region, status) in table {
        app.get(&monthly_path(Some(region), last))
            .as_(token)
            .expect(status)
            .await;
    }
    let own = app
        .get(&monthly_path(None, last))
        .as_(&w.sup_own.token)
        .expect(200)
        .await;
    assert_eq!(own["region"]["code"], "411600", "a supervisor's default");
    let country = app
        .get(&monthly_path(None, last))
        .as_(&w.admin)
        .expect(200)
        .await;
    assert_eq!(country["region"]["level"], "country", "an admin's default");
    for bad in [
        format!("month={last}&category=land"),
        format!("month={last}&from={last}"),
        format!("month={last}&nope=1"),
        "month=2024-13".to_owned(),
        "month=2024-1".to_owned(),
        "month=".to_owned(),
        "region=411600".to_owned(),
        format!("month={last}&region=41"),
    ] {
        let problem = app
            .get(&format!("/api/v1/stats/monthly?{bad}"))
            .as_(&w.admin)
            .expect(400)
            .await;
        assert!(problem["detail"].is_string(), "{bad}: {problem}");
    }
}

both_backends_with!(
    long_confirmation_window;
    a_month_is_frozen_once_it_ends_and_stays_as_it_was,
    two_instances_freeze_a_month_once,
    a_new_installation_has_last_months_report_after_its_first_run,
    monthly_reports_are_scoped_and_checked_like_statistics,
);
