//! The workload report (`/stats/workload`) on a hand-built scenario, its CSV, its scope and its
//! parameters; and the statistics by category (`/stats?group_by=category`).

use chrono::TimeDelta;
use enterprise_assist::domain::rollup::Month;
use enterprise_assist::services::reports::Difference;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{Person, id, person, token_for};
use crate::helpers::{TestApp, holds_null};
use crate::stats::{assert_verified, csv_lines};
use crate::ticket_fixtures::{Desk, act, clocks_in_plain_hours};

/// This month of the test clock, in programme time.
fn month_now(app: &TestApp) -> Month {
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    Month::of(now, app.timezone)
}

/// Creates a department of `region` handling `categories`; its id.
async fn department(
    app: &TestApp,
    token: &str,
    region: &str,
    name: &str,
    categories: Value,
) -> i64 {
    let body = json!({"region_code": region, "name": name, "categories": categories});
    let created = app
        .post("/api/v1/departments")
        .as_(token)
        .json(body)
        .expect(201)
        .await;
    created["id"].as_i64().unwrap()
}

/// A ticket of the enterprise without a cadre (staff3), dispatched by the city's supervisor to
/// `cadre` and accepted.
async fn dispatched(app: &TestApp, d: &Desk, cadre: &Person, extra: Value) -> Value {
    let ticket = d.file(app, &d.staff3.token, extra).await;
    let sup = &d.world.sup_own.token;
    let assign = json!({"assignee_id": cadre.user["id"]});
    act(app, sup, &ticket, "assign", assign, 200).await;
    act(app, &cadre.token, &ticket, "accept", json!({}), 200).await
}

/// The row of `rows` whose `key` is `value`.
fn row<'a>(report: &'a Value, rows: &str, key: &str, value: &Value) -> &'a Value {
    report[rows]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| &r[key] == value)
        .unwrap_or_else(|| panic!("no {rows} row with {key} {value} in {report}"))
}

/// (open, orange, red, resolved, avg_resolution_hours, satisfaction_avg, assisting).
fn figures(row: &Value) -> (i64, i64, i64, i64, Value, Value, i64) {
    let n = |field: &str| {
        row[field]
            .as_i64()
            .unwrap_or_else(|| panic!("{field} in {row}"))
    };
    assert!(row.get("avg_resolution_hours").is_some() && row.get("satisfaction_avg").is_some());
    (
        n("open"),
        n("orange"),
        n("red"),
        n("resolved"),
        row["avg_resolution_hours"].clone(),
        row["satisfaction_avg"].clone(),
        n("assisting"),
    )
}

/// The cast: in Chuanhui (411602) a land office with the paired cadre and a second cadre, a
/// development office with a third cadre, and a deactivated cadre with nothing; the city cadre
/// (411600) in no department.
struct Scenario {
    d: Desk,
    land: i64,
    development: i64,
    two: Person,
    three: Person,
    gone: Person,
    /// The months of the resolutions: from the filings to now.
    period: String,
}

/// Builds the scenario and works its tickets, 110 hours of the clock in all (categories on
/// plain hours: urgent tickets orange at 72 h, red at 108 h):
/// - the paired cadre resolves two tickets (2 h and 3 h after filing, rated 4 and 2) and holds
///   an urgent one, red at the end, with the third cadre assisting;
/// - the second cadre resolves one (3 h, not rated; an assisting task on another ticket done
///   before) and holds an urgent one filed 30 h later, orange at the end;
/// - the third cadre resolves one (5 h) and waits for an enterprise on an urgent one (no colour
///   while waiting).
async fn scenario(app: &TestApp) -> Scenario {
    let d = Desk::build(app).await;
    clocks_in_plain_hours(app).await;
    let admin = d.world.admin.clone();
    let land = department(app, &admin, "411602", "川汇区自然资源局", json!(["land"])).await;
    let development =
        department(app, &admin, "411602", "川汇区发展改革委", json!(["energy"])).await;
    app.patch(&format!("/api/v1/users/{}", d.world.cadre.id()))
        .as_(&admin)
        .json(json!({"department_id": land}))
        .expect(200)
        .await;
    let cadre = |department: i64| json!({"region_code": "411602", "department_id": department});
    let two = person(app, &admin, "cadre.two", "cadre", cadre(land)).await;
    let three = person(app, &admin, "cadre.three", "cadre", cadre(development)).await;
    let gone = person(app, &admin, "cadre.gone", "cadre", cadre(development)).await;
    app.patch(&format!("/api/v1/users/{}", gone.id()))
        .as_(&admin)
        .json(json!({"active": false}))
        .expect(200)
        .await;
    let first_month = month_now(app);

    let own = &d.world.cadre;
    let staff1 = d.world.staff1.token.clone();
    let urgent = json!({"priority": "urgent"});
    let filed = |extra: Value| d.file(app, &staff1, extra);
    let t1 = filed(json!({})).await;
    let t2 = filed(json!({})).await;
    let t3 = filed(urgent.clone()).await;
    for t in [&t1, &t2, &t3] {
        act(app, &own.token, t, "accept", json!({}), 200).await;
    }
    let t5 = dispatched(app, &d, &two, json!({})).await;
    let t6 = dispatched(app, &d, &three, json!({"category": "energy"})).await;
    let t8 = dispatched(app, &d, &three, urgent.clone()).await;
    act(
        app,
        &three.token,
        &t8,
        "request-info",
        json!({"question": "q"}),
        200,
    )
    .await;
    let help = |ticket: &Value, helper: &Person| {
        let path = format!("/api/v1/tickets/{}/collaborators", id(ticket));
        let body = json!({"user_id": helper.user["id"], "task": "协助核实"});
        app.post(&path).as_(&own.token).json(body).expect(201)
    };
    help(&t3, &three).await;
    help(&t1, &two).await;
    app.post(&format!(
        "/api/v1/tickets/{}/collaborators/{}/complete",
        id(&t1),
        two.id()
    ))
    .as_(&two.token)
    .json(json!({"note": "已核实"}))
    .expect(200)
    .await;

    // Access tokens last 15 minutes: each step of the clock signs in anew.
    let hour = TimeDelta::hours(1);
    let resolve = json!({"resolution": "办结"});
    app.clock.advance(hour * 2);
    let own = token_for(app, "cadre.own").await;
    act(app, &own, &t1, "resolve", resolve.clone(), 200).await;
    app.clock.advance(hour);
    let (own, second, staff1) = (
        token_for(app, "cadre.own").await,
        token_for(app, "cadre.two").await,
        token_for(app, "staff.one").await,
    );
    act(app, &own, &t2, "resolve", resolve.clone(), 200).await;
    act(app, &second, &t5, "resolve", resolve.clone(), 200).await;
    act(app, &staff1, &t1, "confirm", json!({"rating": 4}), 200).await;
    act(app, &staff1, &t2, "confirm", json!({"rating": 2}), 200).await;
    app.clock.advance(hour * 2);
    let third = token_for(app, "cadre.three").await;
    act(app, &third, &t6, "resolve", resolve, 200).await;
    app.clock.advance(hour * 25);
    let t4 = d
        .file(app, &token_for(app, "staff.three").await, urgent)
        .await;
    let assign = json!({"assignee_id": two.user["id"]});
    act(
        app,
        &token_for(app, "sup.own").await,
        &t4,
        "assign",
        assign,
        200,
    )
    .await;
    app.clock.advance(hour * 80);
    Scenario {
        period: format!("from={first_month}&to={}", month_now(app)),
        d,
        land,
        development,
        two,
        three,
        gone,
    }
}

async fn the_workload_counts_each_cadre_and_sums_the_departments(app: &TestApp) {
    let s = scenario(app).await;
    let sup = &token_for(app, "sup.county").await;
    let city_sup = &token_for(app, "sup.own").await;
    let report = app
        .get(&format!(
            "/api/v1/stats/workload?region=411602&{}",
            s.period
        ))
        .as_(sup)
        .expect(200)
        .await;
    assert_eq!(
        report["region"],
        json!({"code": "411602", "name": "川汇区", "level": "county"})
    );
    assert!(holds_null(&report, "department"));
    let cadre = |p: &Person| row(&report, "cadres", "user_id", &p.user["id"]);
    let own = cadre(&s.d.world.cadre);
    assert_eq!(own["department_id"], s.land);
    assert_eq!(own["department"], "川汇区自然资源局");
    assert_eq!(
        figures(own),
        (1, 0, 1, 2, json!(2.5), json!(3.0), 0),
        "red t3; t1 and t2 resolved in 2 h and 3 h, rated 4 and 2"
    );
    assert_eq!(
        figures(cadre(&s.two)),
        (1, 1, 0, 1, json!(3.0), Value::Null, 0),
        "orange t4; t5 in 3 h, unrated; the completed task does not count"
    );
    assert_eq!(
        figures(cadre(&s.three)),
        (1, 0, 0, 1, json!(5.0), Value::Null, 1),
        "t8 waits for the enterprise (no colour); t6 in 5 h; assisting on t3"
    );
    assert_eq!(
        report["cadres"].as_array().unwrap().len(),
        3,
        "the deactivated cadre with nothing is left out: {report}"
    );
    assert!(
        report["cadres"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["user_id"] != s.gone.user["id"])
    );

    let land = row(&report, "departments", "department_id", &json!(s.land));
    assert_eq!(
        (
            land["name"].as_str(),
            land["region_code"].as_str(),
            land["cadres"].as_i64()
        ),
        (Some("川汇区自然资源局"), Some("411602"), Some(2))
    );
    // Means from the sums: 480 minutes over 3 resolutions, ratings 6 over 2.
    let (open, orange, red, resolved, hours, satisfaction, assisting) = figures(land);
    assert_eq!((open, orange, red, resolved, assisting), (2, 1, 1, 3, 0));
    assert!(
        (hours.as_f64().unwrap() - 8.0 / 3.0).abs() < 1e-9,
        "{hours}"
    );
    assert_eq!(satisfaction, 3.0);
    let development = row(
        &report,
        "departments",
        "department_id",
        &json!(s.development),
    );
    assert_eq!(development["cadres"], 1);
    assert_eq!(
        figures(development),
        (1, 0, 0, 1, json!(5.0), Value::Null, 1)
    );
    assert_eq!(
        report["departments"].as_array().unwrap().len(),
        2,
        "no row of cadres in no department: {report}"
    );

    // The city's report adds the city cadre, in no department, in the last row.
    let city = app
        .get(&format!(
            "/api/v1/stats/workload?region=411600&{}",
            s.period
        ))
        .as_(city_sup)
        .expect(200)
        .await;
    assert_eq!(city["cadres"].as_array().unwrap().len(), 4);
    let none = city["departments"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert!(holds_null(&none, "department_id") && holds_null(&none, "name"));
    assert_eq!(none["cadres"], 1);
    assert_eq!(figures(&none), (0, 0, 0, 0, Value::Null, Value::Null, 0));
    let city_cadre = row(&city, "cadres", "user_id", &s.d.cadre_city.user["id"]);
    assert!(holds_null(city_cadre, "department_id"));

    // One department: its members and its row only.
    let only = app
        .get(&format!(
            "/api/v1/stats/workload?region=411600&department={}&{}",
            s.land, s.period
        ))
        .as_(city_sup)
        .expect(200)
        .await;
    assert_eq!(only["department"], s.land);
    let members: Vec<&Value> = only["cadres"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["user_id"])
        .collect();
    assert_eq!(members, [&s.d.world.cadre.user["id"], &s.two.user["id"]]);
    assert_eq!(only["departments"].as_array().unwrap().len(), 1);
    assert_eq!(only["departments"][0]["open"], 2);

    // Resolutions are of the period; the snapshot is not. A deactivated cadre with figures
    // stays in the report.
    app.patch(&format!("/api/v1/users/{}", s.three.id()))
        .as_(sup)
        .json(json!({"active": false}))
        .expect(200)
        .await;
    let before = app
        .get("/api/v1/stats/workload?region=411602&from=2000-01&to=2000-12")
        .as_(sup)
        .expect(200)
        .await;
    assert_eq!(
        figures(row(&before, "cadres", "user_id", &s.three.user["id"])),
        (1, 0, 0, 0, Value::Null, Value::Null, 1)
    );
    assert_verified(app).await;

    // verify-stats recounts the rows apart from the report's queries: a resolved ticket whose
    // stored month of filing is wrong shows in the third cadre's row and their department's.
    let third = s.three.user["id"].as_i64().unwrap();
    app.db
        .run(move |conn| {
            use diesel::prelude::*;
            use enterprise_assist::db::schema::tickets;
            let resolved = tickets::table
                .filter(tickets::assignee_id.eq(third))
                .filter(tickets::first_resolved_at.is_not_null());
            diesel::update(resolved)
                .set(tickets::filed_month.eq("2000-01"))
                .execute(conn)
                .map_err(enterprise_assist::db::DbError::from)
        })
        .await
        .unwrap();
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    let differences = enterprise_assist::services::reports::verify(&app.db, now, app.timezone)
        .await
        .unwrap();
    let rows: std::collections::BTreeSet<String> = differences
        .iter()
        .map(|d| match d {
            Difference::Workload { row, .. } => row.clone(),
            other => panic!("only the workload differs: {other}"),
        })
        .collect();
    let expected = [
        format!("cadre {third}"),
        format!("department {}", s.development),
    ];
    assert_eq!(rows, expected.into_iter().collect(), "{differences:?}");
}

async fn the_workload_csv_has_a_row_per_cadre_or_department(app: &TestApp) {
    let s = scenario(app).await;
    let sup = &token_for(app, "sup.county").await;
    let path = format!("/api/v1/stats/workload?region=411602&{}", s.period);
    let lines = csv_lines(app, sup, &path).await;
    assert_eq!(
        lines[0],
        "user_id,display_name,department_id,department,open,orange,red,resolved,avg_resolution_hours,satisfaction_avg,assisting"
    );
    assert_eq!(lines.len(), 1 + 3);
    assert!(
        lines.contains(&format!(
            "{},,{},川汇区自然资源局,1,0,1,2,2.5000,3.0000,0",
            s.d.world.cadre.id(),
            s.land
        )),
        "{lines:?}"
    );
    assert!(
        lines.contains(&format!(
            "{},,{},川汇区发展改革委,1,0,0,1,5.0000,,1",
            s.three.id(),
            s.development
        )),
        "{lines:?}"
    );
    let departments = csv_lines(app, sup, &format!("{path}&rows=departments")).await;
    assert_eq!(
        departments,
        [
            "department_id,name,region_code,cadres,open,orange,red,resolved,avg_resolution_hours,satisfaction_avg,assisting".to_owned(),
            format!("{},川汇区自然资源局,411602,2,2,1,1,3,2.6667,3.0000,0", s.land),
            format!("{},川汇区发展改革委,411602,1,1,0,0,1,5.0000,,1", s.development),
        ]
    );
    let city = csv_lines(
        app,
        &token_for(app, "sup.own").await,
        "/api/v1/stats/workload?region=411600&rows=departments",
    )
    .await;
    assert_eq!(
        city.last().unwrap(),
        ",,,1,0,0,0,0,,,0",
        "the cadres in no department"
    );
}

async fn the_workload_is_scoped_and_its_parameters_checked(app: &TestApp) {
    let d = Desk::build(app).await;
    let w = &d.world;
    let path = |region: &str| format!("/api/v1/stats/workload?region={region}");
    let table: [(&str, &str, u16); 9] = [
        (&w.sup_own.token, "411600", 200),
        (&w.sup_own.token, "411602", 200),
        (&w.sup_own.token, "410000", 404),
        (&w.sup_foreign.token, "411600", 404),
        (&d.sup_province.token, "411600", 200),
        (&w.cadre.token, "411600", 403),
        (&w.staff1.token, "411600", 403),
        (&w.admin, "410100", 200),
        (&w.admin, "999999", 404),
    ];
    for (token, region, status) in table {
        app.get(&path(region)).as_(token).expect(status).await;
    }
    let own = app
        .get("/api/v1/stats/workload")
        .as_(&w.sup_own.token)
        .expect(200)
        .await;
    assert_eq!(
        own["region"]["code"], "411600",
        "a supervisor's default is their region"
    );
    let all = app
        .get("/api/v1/stats/workload")
        .as_(&w.admin)
        .expect(200)
        .await;
    assert_eq!(all["region"]["code"], "000000");
    assert_eq!(
        all["cadres"].as_array().unwrap().len(),
        3,
        "every cadre: {all}"
    );

    let foreign = department(app, &w.admin, "410100", "郑州市自然资源和规划局", json!([])).await;
    let problem = app
        .get(&format!(
            "/api/v1/stats/workload?region=411600&department={foreign}"
        ))
        .as_(&w.admin)
        .expect(400)
        .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("department"),
        "{problem}"
    );
    for bad in [
        "from=2024-13",
        "from=2024-05&to=2024-01",
        "from=1900-01&to=2024-01",
        "department=land",
        "department=999999",
        "rows=regions",
        "group_by=category",
        "region=41",
        "regoin=411600",
    ] {
        app.get(&format!("/api/v1/stats/workload?{bad}"))
            .as_(&w.admin)
            .expect(400)
            .await;
    }
}

/// Minutes from filing to resolution are cut as the statistics cut them (whole seconds, then
/// whole minutes), on either backend, also when the second's fraction at resolution is smaller
/// than at filing (SQLite keeps the fraction as text, to the nanosecond).
async fn minutes_are_cut_as_the_statistics_cut_them(app: &TestApp) {
    use chrono::TimeZone;
    let start = chrono::Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    app.clock.set(start + TimeDelta::nanoseconds(700_000_123));
    let d = Desk::build(app).await;
    let (staff, cadre) = (&d.world.staff1.token, &d.world.cadre.token);
    let first = d.file(app, staff, json!({})).await;
    act(app, cadre, &first, "accept", json!({}), 200).await;
    // 1 h 59 min 59.5 s: 119 minutes, though the whole seconds of the two moments differ by 7,200.
    app.clock.advance(TimeDelta::milliseconds(7_199_500));
    let (staff, cadre) = (
        token_for(app, "staff.one").await,
        token_for(app, "cadre.own").await,
    );
    act(
        app,
        &cadre,
        &first,
        "resolve",
        json!({"resolution": "ok"}),
        200,
    )
    .await;
    let second = d.file(app, &staff, json!({})).await;
    act(app, &cadre, &second, "accept", json!({}), 200).await;
    // 119.9 s: one minute.
    app.clock.advance(TimeDelta::milliseconds(119_900));
    act(
        app,
        &cadre,
        &second,
        "resolve",
        json!({"resolution": "ok"}),
        200,
    )
    .await;

    let sup = token_for(app, "sup.own").await;
    let period = "region=411602&from=2026-03&to=2026-03";
    let stats = app
        .get(&format!("/api/v1/stats?{period}"))
        .as_(&sup)
        .expect(200)
        .await;
    assert_eq!(
        stats["totals"]["avg_resolution_hours"], 1.0,
        "120 minutes over 2"
    );
    let report = app
        .get(&format!("/api/v1/stats/workload?{period}"))
        .as_(&sup)
        .expect(200)
        .await;
    let own = row(&report, "cadres", "user_id", &d.world.cadre.user["id"]);
    assert_eq!(own["resolved"], 2);
    assert_eq!(own["avg_resolution_hours"], 1.0, "{own}");
    assert_verified(app).await;
}

async fn statistics_by_category_split_the_totals(app: &TestApp) {
    let d = Desk::build(app).await;
    let staff = &d.world.staff1.token;
    let cadre = &d.world.cadre.token;
    let energy = d.file(app, staff, json!({"category": "energy"})).await;
    act(app, cadre, &energy, "accept", json!({}), 200).await;
    act(
        app,
        cadre,
        &energy,
        "resolve",
        json!({"resolution": "ok"}),
        200,
    )
    .await;
    act(app, staff, &energy, "confirm", json!({"rating": 5}), 200).await;
    d.file(app, staff, json!({})).await;
    d.file(app, staff, json!({})).await;
    d.file(app, &d.world.staff2.token, json!({"category": "finance"}))
        .await;
    let month = month_now(app);
    let path = format!("/api/v1/stats?region=411600&from={month}&to={month}");
    let sup = &d.world.sup_own.token;
    let by_region = app.get(&path).as_(sup).expect(200).await;
    let report = app
        .get(&format!("{path}&group_by=category"))
        .as_(sup)
        .expect(200)
        .await;
    assert_eq!(
        report["totals"], by_region["totals"],
        "the totals are the same"
    );
    let categories = app.get("/api/v1/categories").as_(sup).expect(200).await;
    let mut codes: Vec<&str> = categories["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    codes.sort();
    let rows = report["children"].as_array().unwrap();
    let served: Vec<&str> = rows
        .iter()
        .map(|r| r["category"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(served, codes, "every category, in code order");
    assert!(rows.iter().all(|r| r.get("region").is_none()));
    let category = |code: &str| rows.iter().find(|r| r["category"]["code"] == code).unwrap();
    assert_eq!(category("land")["filed"], 2);
    assert_eq!(category("land")["open"], 2);
    assert_eq!(category("energy")["closed"], 1);
    assert_eq!(category("energy")["satisfaction_avg"], 5.0);
    assert_eq!(
        category("finance")["filed"],
        0,
        "Zhengzhou's ticket is not Zhoukou's"
    );
    assert!(
        category("energy")["category"]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    let summed = |field: &str| rows.iter().map(|r| r[field].as_i64().unwrap()).sum::<i64>();
    for field in [
        "filed",
        "withdrawn",
        "open",
        "resolved",
        "closed",
        "supervised",
        "returned",
    ] {
        assert_eq!(
            summed(field),
            report["totals"][field].as_i64().unwrap(),
            "{field}"
        );
    }

    let land = app
        .get(&format!("{path}&group_by=category&category=land"))
        .as_(sup)
        .expect(200)
        .await;
    assert_eq!(land["children"].as_array().unwrap().len(), 1);
    assert_eq!(land["children"][0]["filed"], 2);
    assert_eq!(land["totals"]["filed"], 2);

    let lines = csv_lines(app, sup, &format!("{path}&group_by=category")).await;
    assert!(lines[0].starts_with("code,name,filed,"), "{}", lines[0]);
    assert!(
        lines[0].ends_with(",supervised,returned,warnings_yellow,warnings_orange,warnings_red")
    );
    assert!(lines[1].starts_with("*,全部,3,0,2,0,1,"), "{lines:?}");
    assert_eq!(lines.len(), 2 + codes.len());
    assert!(lines[2..].iter().any(|l| l.starts_with("energy,")));

    app.get(&format!("{path}&group_by=county"))
        .as_(sup)
        .expect(400)
        .await;
    app.get("/api/v1/stats/trend?group_by=category")
        .as_(sup)
        .expect(400)
        .await;
    app.get("/api/v1/stats/monthly?month=2024-01&group_by=category")
        .as_(sup)
        .expect(400)
        .await;
}

both_backends!(
    the_workload_counts_each_cadre_and_sums_the_departments,
    the_workload_csv_has_a_row_per_cadre_or_department,
    the_workload_is_scoped_and_its_parameters_checked,
    minutes_are_cut_as_the_statistics_cut_them,
    statistics_by_category_split_the_totals,
);
