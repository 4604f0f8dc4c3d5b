//! Directly administered counties (SPEC section 10): the county-level units a province governs
//! itself (under 省直辖县级行政区划, e.g. Jiyuan 419001) and the municipalities' districts and
//! counties (under 市辖区 and 县) have no city government. An escalation from them goes
//! straight to the province, no ticket sits at a heading, and the migration moves the tickets
//! an earlier version left there.

use std::collections::BTreeMap;

use diesel::connection::SimpleConnection;
use enterprise_assist::db::{Backend, DbError};
use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{Person, assert_field_error, id, new_enterprise, new_user, person};
use crate::helpers::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, holds_null};
use crate::ticket_fixtures::{act, events};

/// Every city-level heading of the bundled list, with the first county-level unit under it:
/// (province, heading, county).
fn headings() -> Vec<(String, String, String)> {
    let list = include_str!("../../data/regions-cn.csv");
    let rows: Vec<Vec<&str>> = list
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let names = [
        "市辖区",
        "县",
        "省直辖县级行政区划",
        "自治区直辖县级行政区划",
    ];
    rows.iter()
        .filter(|r| r[2] == "city" && names.contains(&r[1]))
        .map(|heading| {
            let county = rows
                .iter()
                .find(|r| r[3] == heading[0] && r[2] == "county")
                .expect("a heading has county-level units");
            (heading[3].into(), heading[0].into(), county[0].into())
        })
        .collect()
}

/// A ticket of an enterprise in `county`, filed by its staff, assigned by the admin to a
/// cadre of the county: ready to escalate.
async fn assigned_ticket(app: &TestApp, admin: &str, seed: u32, county: &str) -> Value {
    let enterprise = new_enterprise(app, admin, seed, county).await;
    let of = json!({ "enterprise_id": enterprise["id"] });
    let staff = person(app, admin, &format!("staff.{seed}"), "enterprise", of).await;
    let body = json!({"category": "land", "title": "用地指标", "description": "需新增工业用地。"});
    let ticket = app
        .call(
            Method::POST,
            "/api/v1/tickets",
            Some(&staff.token),
            Some(body),
            201,
        )
        .await;
    assert_eq!(
        (ticket["status"].as_str(), ticket["level"].as_str()),
        (Some("submitted"), Some("county"))
    );
    let cadre = cadre_at(app, admin, &format!("cadre.{seed}"), county).await;
    act(
        app,
        admin,
        &ticket,
        "assign",
        json!({"assignee_id": cadre["id"]}),
        200,
    )
    .await
}

async fn cadre_at(app: &TestApp, admin: &str, username: &str, region: &str) -> Value {
    new_user(
        app,
        admin,
        username,
        "cadre",
        json!({"region_code": region}),
    )
    .await
}

/// Table-driven over every province with such units (Henan, Hubei, Hainan, Xinjiang and the
/// four municipalities), with a county under a real city beside them: escalation goes to the
/// province (the city for the control), where that level's supervisor dispatches it.
async fn counties_without_a_city_escalate_straight_to_the_province(app: &TestApp) {
    let admin = app.admin_token().await;
    let mut table: Vec<(String, String, &str)> = headings()
        .into_iter()
        .map(|(province, _, county)| (province, county, "province"))
        .collect();
    let provinces: std::collections::BTreeSet<&str> =
        table.iter().map(|(p, _, _)| p.as_str()).collect();
    assert_eq!(
        provinces.into_iter().collect::<Vec<_>>(),
        [
            "110000", "120000", "310000", "410000", "420000", "460000", "500000", "650000"
        ]
    );
    table.push(("410000".into(), "411602".into(), "city"));
    let mut supervisors: BTreeMap<String, Person> = BTreeMap::new();
    for (seed, (province, county, to_level)) in table.iter().enumerate() {
        let seed = 100 + seed as u32;
        let ticket = assigned_ticket(app, &admin, seed, county).await;
        if !supervisors.contains_key(province) {
            let region = json!({ "region_code": province });
            let sup = person(
                app,
                &admin,
                &format!("sup.{province}"),
                "supervisor",
                region,
            )
            .await;
            supervisors.insert(province.clone(), sup);
        }
        let sup = &supervisors[province];
        let escalated = act(
            app,
            &sup.token,
            &ticket,
            "escalate",
            json!({"reason": "需上级协调"}),
            200,
        )
        .await;
        assert_eq!(escalated["level"], *to_level, "{county}");
        assert_eq!(escalated["status"], "submitted", "{county}");
        assert!(holds_null(&escalated, "assignee_id"));
        let trail = events(app, &admin, &ticket).await;
        assert_eq!(trail.last().unwrap().0, "escalate");
        // That level's government takes it: a cadre of the province (or of the city).
        let at = if *to_level == "city" {
            "411600".to_owned()
        } else {
            province.clone()
        };
        let cadre = cadre_at(app, &admin, &format!("cadre.up.{seed}"), &at).await;
        let assigned = act(
            app,
            &sup.token,
            &ticket,
            "assign",
            json!({"assignee_id": cadre["id"]}),
            200,
        )
        .await;
        assert_eq!(assigned["level"], *to_level);
        if *to_level == "province" {
            // And from the province there is no level above.
            act(
                app,
                &sup.token,
                &ticket,
                "escalate",
                json!({"reason": "r"}),
                409,
            )
            .await;
        }
    }
}

/// No one is placed at a heading: it has no agency to hold a ticket or to supervise one.
async fn no_account_is_placed_at_a_heading(app: &TestApp) {
    let admin = app.admin_token().await;
    for (_, heading, _) in headings() {
        for role in ["cadre", "supervisor"] {
            let body = json!({"username": format!("{role}.{heading}"), "password": crate::fixtures::PASSWORD,
                              "role": role, "region_code": heading});
            let problem = app
                .call(Method::POST, "/api/v1/users", Some(&admin), Some(body), 422)
                .await;
            assert_field_error(&problem, "region_code");
        }
    }
    let cadre = cadre_at(app, &admin, "cadre.jiyuan", "419001").await;
    let path = format!("/api/v1/users/{}", id(&cadre));
    let problem = app
        .call(
            Method::PATCH,
            &path,
            Some(&admin),
            Some(json!({"region_code": "419000"})),
            422,
        )
        .await;
    assert_field_error(&problem, "region_code");
    // Nor by a roster.
    let csv = "username,region_code\ncadre.jiyuan,419000\nnew.cadre,419000\n";
    let response = app
        .post_csv("/api/v1/imports/cadres", Some(&admin), csv)
        .await;
    let problem = crate::helpers::expect_json(response, 422).await;
    for line in ["line 2: region_code", "line 3: region_code"] {
        assert_field_error(&problem, line);
    }
}

/// The migration's own text, as each backend applies it once.
fn heading_migration(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => {
            include_str!("../../migrations/postgres/2026-12-03-001101_tickets_off_headings/up.sql")
        }
        Backend::Sqlite => {
            include_str!("../../migrations/sqlite/2026-12-03-001101_tickets_off_headings/up.sql")
        }
    }
}

/// Puts a ticket where an earlier version could leave it: at city level, in `status` (an open
/// one: the counts do not tell them apart).
async fn leave_at_city(app: &TestApp, ticket: &Value, status: &str) {
    let sql = format!(
        "UPDATE tickets SET level = 'city', status = '{status}' WHERE id = {}",
        id(ticket)
    );
    app.db
        .run(move |conn| conn.batch_execute(&sql).map_err(DbError::from))
        .await
        .unwrap();
}

/// Tickets an earlier version escalated onto a heading (the 147 Jiyuan tickets of the Henan
/// demo) move on to the province with an escalation event by the service, waiting for the
/// province's dispatch; their counts and colours stay right, and nothing else moves.
async fn the_migration_moves_tickets_stuck_at_a_heading_to_the_province(app: &TestApp) {
    let admin = app.admin_token().await;
    crate::ticket_fixtures::clocks_in_plain_hours(app).await;
    let waiting = assigned_ticket(app, &admin, 1, "419001").await;
    let assigned = assigned_ticket(app, &admin, 2, "419001").await;
    let working = assigned_ticket(app, &admin, 3, "110101").await;
    let resolved = assigned_ticket(app, &admin, 4, "419001").await;
    let zhoukou = assigned_ticket(app, &admin, 5, "411602").await;
    leave_at_city(app, &waiting, "submitted").await;
    leave_at_city(app, &assigned, "assigned").await;
    leave_at_city(app, &working, "in_progress").await;
    let cadre = crate::fixtures::token_for(app, "cadre.4").await;
    act(app, &cadre, &resolved, "accept", json!({}), 200).await;
    act(
        app,
        &cadre,
        &resolved,
        "resolve",
        json!({"resolution": "ok"}),
        200,
    )
    .await;
    leave_at_city(app, &resolved, "resolved").await;
    leave_at_city(app, &zhoukou, "submitted").await;
    // Past 150 % of their window (360 h): the open ones are red, and counted so by the job.
    app.clock.advance(chrono::TimeDelta::hours(600));
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    enterprise_assist::jobs::run_once(&app.state, now)
        .await
        .unwrap();
    let admin = app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let before: Vec<Value> = {
        let mut all = vec![];
        for t in [&waiting, &assigned, &working, &resolved, &zhoukou] {
            let path = format!("/api/v1/tickets/{}", id(t));
            all.push(app.call(Method::GET, &path, Some(&admin), None, 200).await);
        }
        all
    };
    let sql = heading_migration(app.db.backend());
    app.db
        .run(move |conn| conn.batch_execute(sql).map_err(DbError::from))
        .await
        .unwrap();

    for (ticket, was) in [&waiting, &assigned, &working].into_iter().zip(&before) {
        let path = format!("/api/v1/tickets/{}", id(ticket));
        let now = app.call(Method::GET, &path, Some(&admin), None, 200).await;
        assert_eq!(now["level"], "province", "{now}");
        assert_eq!(now["status"], "submitted");
        assert!(holds_null(&now, "assignee_id"));
        assert_eq!(now["warning"], "red");
        assert_eq!(
            now["version"].as_i64(),
            was["version"].as_i64().map(|v| v + 1)
        );
        let trail = app
            .call(
                Method::GET,
                &format!("{path}/events"),
                Some(&admin),
                None,
                200,
            )
            .await;
        let last = trail["items"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["action"], "escalate");
        assert_eq!(last["from_status"], was["status"]);
        assert_eq!(last["to_status"], "submitted");
        assert!(holds_null(&last, "actor_id"), "by the service");
        assert_eq!(last["details"]["from_level"], "city");
        assert_eq!(last["details"]["to_level"], "province");
    }
    // A resolved ticket awaits its enterprise, and a Zhoukou ticket at city level is at home.
    for (ticket, was) in [&resolved, &zhoukou].into_iter().zip(&before[3..]) {
        let path = format!("/api/v1/tickets/{}", id(ticket));
        let now = app.call(Method::GET, &path, Some(&admin), None, 200).await;
        assert_eq!(now, *was);
    }
    crate::stats::assert_verified(app).await;
    // Henan's supervisor dispatches the Jiyuan tickets to a provincial cadre.
    let sup = person(
        app,
        &admin,
        "sup.henan",
        "supervisor",
        json!({"region_code": "410000"}),
    )
    .await;
    let cadre = cadre_at(app, &admin, "cadre.henan", "410000").await;
    for ticket in [&waiting, &assigned] {
        act(
            app,
            &sup.token,
            ticket,
            "assign",
            json!({"assignee_id": cadre["id"]}),
            200,
        )
        .await;
    }
    let report = app
        .call(
            Method::GET,
            "/api/v1/stats?region=410000",
            Some(&sup.token),
            None,
            200,
        )
        .await;
    assert_eq!(
        report["totals"]["warnings"]["red"], 3,
        "two in Jiyuan, one in Zhoukou"
    );
    crate::stats::assert_verified(app).await;
}

both_backends!(
    counties_without_a_city_escalate_straight_to_the_province,
    no_account_is_placed_at_a_heading,
    the_migration_moves_tickets_stuck_at_a_heading_to_the_province,
);
