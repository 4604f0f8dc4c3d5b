//! The demo programme, generated small and then explored through the API as its users would.

use reqwest::Method;
use serde_json::Value;

use crate::both_backends;
use crate::helpers::TestApp;
use enterprise_assist::demo::{self, DEMO_PASSWORD};
use enterprise_assist::domain::region::RegionCode;

async fn token(app: &TestApp, username: &str) -> String {
    app.login(username, DEMO_PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn items(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let page = app.call(Method::GET, path, Some(token), None, 200).await;
    page["items"].as_array().unwrap().clone()
}

async fn a_small_demo_can_be_explored(app: &TestApp) {
    let zhoukou = RegionCode::parse("411600").unwrap();
    let now = chrono::Utc::now().naive_utc();
    let summary = demo::run(&app.db, zhoukou.clone(), 120, 30, 7, now)
        .await
        .unwrap();
    assert_eq!(summary.counties, 11);
    assert_eq!(summary.enterprises.created, 120);
    // The administrator, a supervisor for the province, the city and each county, and the
    // cadres; a staff account for each enterprise.
    assert_eq!(summary.people.created, 1 + 1 + 12 + 30);
    assert_eq!(summary.staff.created, 120);
    // The same seed again changes nothing.
    let again = demo::run(&app.db, zhoukou, 120, 30, 7, now).await.unwrap();
    assert_eq!(
        (
            again.enterprises.unchanged,
            again.pairings.created,
            again.staff.unchanged
        ),
        (120, 0, 120)
    );

    let admin = token(app, "demo.admin").await;
    let city = token(app, "sup.411600").await;
    assert_eq!(
        items(app, &city, "/api/v1/enterprises?limit=200")
            .await
            .len(),
        120
    );
    // The province's supervisor sees the city's enterprises too.
    let province = token(app, "sup.410000").await;
    assert_eq!(
        items(app, &province, "/api/v1/enterprises?limit=200")
            .await
            .len(),
        120
    );
    let county = token(app, "sup.411602").await;
    let own = items(app, &county, "/api/v1/enterprises?limit=200").await;
    assert!(!own.is_empty() && own.len() < 120);
    assert!(own.iter().all(|e| e["county_code"] == "411602"));

    // Every enterprise has one primary cadre, of its own county.
    for enterprise in &own {
        let path = format!("/api/v1/enterprises/{}/cadres", enterprise["id"]);
        let cadres = items(app, &admin, &path).await;
        let primaries: Vec<&Value> = cadres.iter().filter(|c| c["primary"] == true).collect();
        assert_eq!(primaries.len(), 1, "{cadres:?}");
        assert_eq!(primaries[0]["region_code"], "411602");
    }
    // Each enterprise's staff logs in as `ent.<county>.<n>` and sees only its enterprise.
    let example = summary.staff_example.expect("a staff account to show");
    assert!(
        example.starts_with("ent.4116") && example.ends_with(".001"),
        "{example}"
    );
    let staff = token(app, &example).await;
    let theirs = items(app, &staff, "/api/v1/enterprises").await;
    assert_eq!(theirs.len(), 1);
    assert!(example.contains(theirs[0]["county_code"].as_str().unwrap()));
    // A county cadre logs in and sees the enterprises paired with them, at all three levels.
    let cadre = token(app, "cadre.411602.001").await;
    let me = app
        .call(Method::GET, "/api/v1/me", Some(&cadre), None, 200)
        .await;
    let theirs = items(app, &cadre, "/api/v1/enterprises?limit=200").await;
    let listed = items(
        app,
        &cadre,
        &format!("/api/v1/users/{}/enterprises?limit=200", me["id"]),
    )
    .await;
    assert_eq!(theirs, listed);
    let levels = items(app, &admin, "/api/v1/users?role=cadre&limit=200").await;
    for code in ["411602", "411600", "410000"] {
        assert!(
            levels.iter().any(|c| c["region_code"] == code),
            "no cadre at {code}"
        );
    }
}

/// Demo tickets: every state of the lifecycle, escalations, overdue ones, and counters that
/// equal the recount.
async fn demo_tickets_span_the_lifecycle(app: &TestApp) {
    let zhoukou = RegionCode::parse("411600").unwrap();
    let now = chrono::Utc::now().naive_utc();
    demo::run(&app.db, zhoukou.clone(), 200, 40, 3, now)
        .await
        .unwrap();
    let filed = demo::fill_tickets(
        &app.db,
        zhoukou.clone(),
        3000,
        3,
        now,
        app.timezone,
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(filed, 3000);
    assert_eq!(
        demo::fill_tickets(
            &app.db,
            zhoukou,
            3000,
            3,
            now,
            app.timezone,
            Default::default()
        )
        .await
        .unwrap(),
        0,
        "a rerun adds nothing"
    );
    let differences = enterprise_assist::services::reports::verify(&app.db, now, app.timezone)
        .await
        .unwrap();
    assert!(differences.is_empty(), "{differences:?}");
    // The demo recorded every clock that ran out and closed what the week closes, as the
    // periodic job would have: its first round finds nothing left.
    let report = enterprise_assist::jobs::run_once(&app.state, now)
        .await
        .unwrap();
    assert_eq!(
        (
            report.breaches_recorded,
            report.auto_closed,
            report.warnings_advanced
        ),
        (0, 0, 0),
        "{report:?}"
    );
    let admin = token(app, "demo.admin").await;
    for status in [
        "submitted",
        "assigned",
        "in_progress",
        "awaiting_enterprise",
        "resolved",
        "closed",
        "withdrawn",
    ] {
        let found = items(
            app,
            &admin,
            &format!("/api/v1/tickets?status={status}&limit=1"),
        )
        .await;
        assert_eq!(found.len(), 1, "no {status} ticket");
    }
    let escalated = items(
        app,
        &admin,
        "/api/v1/tickets?region=411600&limit=200&sort=due",
    )
    .await;
    assert!(
        escalated
            .iter()
            .all(|t| t["county_code"].as_str().unwrap().starts_with("4116"))
    );
    let red = items(app, &admin, "/api/v1/tickets?warning=red&limit=1").await;
    assert_eq!(red.len(), 1, "some open tickets are overdue");
    let year = chrono::Utc::now().format("%Y");
    let stats = app
        .call(
            Method::GET,
            &format!(
                "/api/v1/stats?region=411600&from={}-01&to={year}-12",
                year.to_string().parse::<i32>().unwrap() - 1
            ),
            Some(&admin),
            None,
            200,
        )
        .await;
    let totals = &stats["totals"];
    assert_eq!(totals["filed"], 3000);
    // The programme's figures are not trivial: some acceptance late, feedback missed, time
    // given, and fewer on time against the due times as filed.
    let rate = |name: &str| totals[name].as_f64().unwrap();
    assert!(
        (0.5..1.0).contains(&rate("accepted_on_time_rate")),
        "{totals}"
    );
    assert!(
        totals["feedback_breaches"].as_i64().unwrap() > 0,
        "{totals}"
    );
    assert!(totals["extended"].as_i64().unwrap() > 0, "{totals}");
    assert!(
        rate("on_time_rate_original") < rate("on_time_rate"),
        "{totals}"
    );
    for clock in ["accept", "feedback", "resolve"] {
        let breached = items(
            app,
            &admin,
            &format!("/api/v1/tickets?breached={clock}&limit=1"),
        )
        .await;
        assert_eq!(breached.len(), 1, "no ticket missed its {clock} clock");
    }
    // A wait for the enterprise: asked and answered in comments the events name.
    let paused = items(app, &admin, "/api/v1/tickets?status=closed&limit=200").await;
    let paused = paused
        .iter()
        .find(|t| t["paused_hours"].as_f64().unwrap() > 0.0)
        .expect("a closed ticket waited for its enterprise");
    let id = paused["id"].as_i64().unwrap();
    let events = items(
        app,
        &admin,
        &format!("/api/v1/tickets/{id}/events?limit=100"),
    )
    .await;
    let comments = items(
        app,
        &admin,
        &format!("/api/v1/tickets/{id}/comments?limit=100"),
    )
    .await;
    for action in ["request_info", "provide_info"] {
        let event = events
            .iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("no {action} in {events:?}"));
        assert!(
            comments
                .iter()
                .any(|c| c["id"] == event["details"]["comment_id"]),
            "{event} names no comment of {comments:?}"
        );
    }
    let times: Vec<&str> = events
        .iter()
        .map(|e| e["created_at"].as_str().unwrap())
        .collect();
    assert!(
        times.is_sorted(),
        "events in the order they happened: {times:?}"
    );
    // Requests for more time, approved ones among them.
    let approved = items(app, &admin, "/api/v1/extensions?status=approved&limit=1").await;
    assert_eq!(
        approved.len(),
        1,
        "some requests for more time were approved"
    );
}

/// `demo --help` lists the demo's own options, each described, and the database it writes to;
/// the server's settings stay out of it.
#[test]
fn demo_help_shows_only_its_own_options() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_enterprise-assist"))
        .args(["demo", "--help"])
        .env_clear()
        .output()
        .expect("the binary runs");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    let options: Vec<&str> = help
        .lines()
        .filter(|l| l.trim_start().starts_with('-'))
        .collect();
    let flags: Vec<&str> = options
        .iter()
        .map(|l| l.split_whitespace().find(|w| w.starts_with("--")).unwrap())
        .collect();
    assert_eq!(
        flags,
        [
            "--region",
            "--enterprises",
            "--cadres",
            "--tickets",
            "--seed",
            "--help",
            "--database-url",
            "--data-dir"
        ],
        "{help}"
    );
    for line in options {
        // The flag, its value name, then a description on the same line.
        let words = line
            .split_whitespace()
            .filter(|w| !w.starts_with('-') && !w.starts_with('<'));
        assert!(words.count() >= 2, "undescribed: {line}");
    }
}

both_backends!(
    a_small_demo_can_be_explored,
    demo_tickets_span_the_lifecycle
);
