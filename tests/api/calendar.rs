//! The working-day calendar through `/calendar/{year}` and `import calendar`: the bundled
//! years, replacing a year, bad days changing nothing, and another instance on the same
//! database following a change within seconds.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use enterprise_assist::domain::calendar::Year;

use crate::both_backends;
use crate::fixtures::{assert_field_error, person};
use crate::helpers::TestApp;

async fn year(app: &TestApp, token: &str, year: &str) -> Value {
    let path = format!("/api/v1/calendar/{year}");
    app.call(Method::GET, &path, Some(token), None, 200).await
}

async fn replace(app: &TestApp, token: &str, year: &str, days: Value, status: u16) -> Value {
    let path = format!("/api/v1/calendar/{year}");
    let body = json!({ "days": days });
    app.call(Method::PUT, &path, Some(token), Some(body), status)
        .await
}

fn dates(calendar: &Value) -> Vec<&str> {
    calendar["days"]
        .as_array()
        .expect("a days list")
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect()
}

/// 2027 as a test loads it: New Year's Day, a make-up Saturday and a Monday off.
fn days_2027() -> Value {
    json!([
        {"date": "2027-02-08", "kind": "holiday", "name": "春节"},
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"date": "2027-02-06", "kind": "workday", "name": "春节"},
        {"date": "2027-02-07", "kind": "holiday"},
    ])
}

async fn the_bundled_calendar_is_loaded(app: &TestApp) {
    let admin = app.admin_token().await;
    let cadre = person(
        app,
        &admin,
        "cal.cadre",
        "cadre",
        json!({"region_code": "411602"}),
    )
    .await;
    let y2026 = year(app, &cadre.token, "2026").await;
    assert_eq!(y2026["year"], 2026);
    assert_eq!(y2026["loaded"], true);
    assert_eq!(y2026["working_days"], 248);
    let days = y2026["days"].as_array().unwrap();
    assert_eq!(days.len(), 39);
    assert!(
        days.contains(&json!({"date": "2026-02-14", "kind": "workday", "name": "春节"})),
        "{y2026}"
    );
    assert!(days.contains(&json!({"date": "2026-02-16", "kind": "holiday", "name": "春节"})));
    let mut sorted = dates(&y2026);
    sorted.sort_unstable();
    assert_eq!(dates(&y2026), sorted, "in date order");
    assert_eq!(year(app, &cadre.token, "2004").await["loaded"], true);

    // A year never loaded: weekends only.
    let y2027 = year(app, &cadre.token, "2027").await;
    assert_eq!(
        y2027,
        json!({"year": 2027, "loaded": false, "working_days": 261, "days": []})
    );
}

async fn years_the_calendar_cannot_hold_are_not_found(app: &TestApp) {
    let admin = app.admin_token().await;
    for bad in ["1899", "2200", "20260", "abcd", "-2026", "0202"] {
        let path = format!("/api/v1/calendar/{bad}");
        let problem = app.call(Method::GET, &path, Some(&admin), None, 404).await;
        assert_eq!(problem["status"], 404);
        replace(app, &admin, bad, json!([]), 404).await;
    }
    let anonymous = app
        .request(Method::GET, "/api/v1/calendar/2026", None, None)
        .await;
    assert_eq!(anonymous.status(), 401);
}

async fn an_admin_replaces_a_year_whole(app: &TestApp) {
    let admin = app.admin_token().await;
    let answer = replace(app, &admin, "2027", days_2027(), 200).await;
    assert_eq!(answer["loaded"], true);
    // 261 weekdays, less 1 Jan and 8 Feb, plus Saturday 6 Feb; Sunday 7 Feb changes nothing.
    assert_eq!(answer["working_days"], 260);
    assert_eq!(
        dates(&answer),
        ["2027-01-01", "2027-02-06", "2027-02-07", "2027-02-08"]
    );
    assert_eq!(
        answer["days"][2],
        json!({"date": "2027-02-07", "kind": "holiday", "name": null})
    );
    assert_eq!(year(app, &admin, "2027").await, answer);

    // Replacing again keeps only the new days; an empty list loads a year of weekends only.
    let again = replace(
        app,
        &admin,
        "2027",
        json!([{"date": "2027-10-01", "kind": "holiday"}]),
        200,
    )
    .await;
    assert_eq!(dates(&again), ["2027-10-01"]);
    let empty = replace(app, &admin, "2027", json!([]), 200).await;
    assert_eq!(
        empty,
        json!({"year": 2027, "loaded": true, "working_days": 261, "days": []})
    );
    // Other years are untouched.
    assert_eq!(year(app, &admin, "2026").await["working_days"], 248);
}

async fn bad_days_are_named_and_change_nothing(app: &TestApp) {
    let admin = app.admin_token().await;
    let before = year(app, &admin, "2026").await;
    let problem = replace(
        app,
        &admin,
        "2026",
        json!([
            {"date": "2026-05-01", "kind": "holiday", "name": "劳动节"},
            {"date": "2027-01-01", "kind": "holiday"},
            {"date": "2026-05-01", "kind": "holiday"},
            {"date": "2026-05-06", "kind": "workday"},
            {"date": "2026-05-09", "kind": "workday", "name": "x".repeat(101)},
        ]),
        422,
    )
    .await;
    for field in [
        "days[1].date",
        "days[2].date",
        "days[3].date",
        "days[4].name",
    ] {
        assert_field_error(&problem, field);
    }
    assert_eq!(problem["errors"].as_array().unwrap().len(), 4, "{problem}");
    for (days, field) in [
        (
            json!([{"date": "2026-02-30", "kind": "holiday"}]),
            "days[0].date",
        ),
        (
            json!([{"date": "2026-03-01", "kind": "rest"}]),
            "days[0].kind",
        ),
        (
            json!([{"date": "2026-03-01", "kind": "holiday", "in_lieu": true}]),
            "days[0]",
        ),
        (json!([{"kind": "holiday"}]), "days[0].date"),
    ] {
        let problem = replace(app, &admin, "2026", days, 422).await;
        assert!(
            problem["errors"][0]["field"]
                .as_str()
                .unwrap()
                .starts_with(field),
            "{field}: {problem}"
        );
    }
    let path = "/api/v1/calendar/2026";
    let problem = app
        .call(
            Method::PUT,
            path,
            Some(&admin),
            Some(json!({"days": [], "year": 2026})),
            422,
        )
        .await;
    assert_eq!(problem["status"], 422);
    assert_eq!(year(app, &admin, "2026").await, before);
}

async fn the_import_replaces_each_year_the_file_names(app: &TestApp) {
    use enterprise_assist::services::imports::calendar;
    let admin = app.admin_token().await;
    let file = "date,kind,name_en,name_zh,in_lieu\n\
                2027-01-01,holiday,New Year's Day,元旦,no\n\
                2026-12-31,holiday,New Year's Day,元旦,yes\n\
                2027-02-06,workday,Spring Festival,春节,no\n";
    let replaced = calendar::import(&app.db, file).await.expect("a good file");
    assert_eq!(replaced.len(), 2);
    assert_eq!(
        (replaced[1].year, replaced[1].days, replaced[1].working_days),
        (2027, 2, 261)
    );

    // This instance did not make the change: it notices it within seconds.
    let y2026 = until(app, &admin, "2026", |y| {
        y["days"].as_array().unwrap().len() == 1
    })
    .await;
    assert_eq!(
        y2026["days"][0],
        json!({"date": "2026-12-31", "kind": "holiday", "name": "元旦"})
    );
    assert_eq!(y2026["working_days"], 260);
    assert_eq!(year(app, &admin, "2027").await["loaded"], true);

    // A bad line anywhere: nothing at all is imported.
    let bad = "date,kind,name_zh\n2025-01-01,holiday,元旦\n2028-01-03,workday,\n";
    let error = calendar::import(&app.db, bad).await.unwrap_err();
    let problem = error.problem();
    assert_eq!(problem.errors.unwrap()[0].field, "line 3: date");
    let unknown = calendar::import(&app.db, "date,kind,extra\n")
        .await
        .unwrap_err();
    assert_eq!(unknown.problem().errors.unwrap()[0].field, "line 1: header");
    assert!(
        calendar::import(&app.db, "date,kind\n").await.is_err(),
        "no days"
    );
    let stored = enterprise_assist::services::calendar::load(&app.db)
        .await
        .unwrap();
    let in_store = |y| stored.year(Year::new(y).unwrap()).map(|y| y.days().len());
    assert_eq!(in_store(2025), Some(33));
    assert_eq!(in_store(2028), None);
}

/// GETs a year until `done` holds of it (the change another instance made has arrived), for
/// at most ten seconds.
async fn until(app: &TestApp, token: &str, which: &str, done: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let answer = year(app, token, which).await;
        if done(&answer) {
            return answer;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the change did not arrive: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn another_instance_follows_a_change_within_seconds(app: &TestApp) {
    let other = app.spawn_sibling().await;
    let admin = app.admin_token().await;
    assert_eq!(year(&other, &admin, "2027").await["loaded"], false);
    replace(app, &admin, "2027", days_2027(), 200).await;
    let started = Instant::now();
    let seen = until(&other, &admin, "2027", |y| y["loaded"] == true).await;
    let waited = started.elapsed();
    assert_eq!(seen["working_days"], 260);
    assert!(waited < Duration::from_secs(5), "took {waited:?}");
    // And back the other way.
    replace(&other, &admin, "2027", json!([]), 200).await;
    until(app, &admin, "2027", |y| y["working_days"] == 261).await;
    other.stop().await;
}

both_backends!(
    the_bundled_calendar_is_loaded,
    years_the_calendar_cannot_hold_are_not_found,
    an_admin_replaces_a_year_whole,
    bad_days_are_named_and_change_nothing,
    the_import_replaces_each_year_the_file_names,
    another_instance_follows_a_change_within_seconds,
);
