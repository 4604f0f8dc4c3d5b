//! The demo programme, generated small and then explored through the API as its users would.

use reqwest::Method;
use serde_json::Value;

use crate::both_backends;
use crate::helpers::{TestApp, holds_null};
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

/// Every page of a list (`path` has a query already).
async fn all_items(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let mut found = Vec::new();
    let mut next = path.to_owned();
    loop {
        let page = app.call(Method::GET, &next, Some(token), None, 200).await;
        found.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => next = format!("{path}&cursor={cursor}"),
            None => return found,
        }
    }
}

/// A ticket's events, oldest first.
async fn events_of(app: &TestApp, token: &str, ticket: &Value) -> Vec<Value> {
    let path = format!("/api/v1/tickets/{}/events?limit=200", ticket["id"]);
    items(app, token, &path).await
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
    // The province's, the city's and each county's promotion centre: 17 departments, 16 in a
    // county (without a financial regulator).
    assert_eq!(summary.departments.created, 17 + 17 + 11 * 16);
    // The same seed again changes nothing.
    let again = demo::run(&app.db, zhoukou, 120, 30, 7, now).await.unwrap();
    assert_eq!(
        (
            again.departments.created,
            again.departments.unchanged,
            again.enterprises.unchanged,
            again.pairings.created,
            again.staff.unchanged
        ),
        (0, 210, 120, 0, 120)
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

    // Departments, each handling some categories, named after their government; every cadre
    // in one of their own region's, whose name their free-text department repeats.
    let departments = all_items(app, &city, "/api/v1/departments?region=410000&limit=200").await;
    assert_eq!(departments.len(), 210);
    assert!(
        departments
            .iter()
            .all(|d| { !d["categories"].as_array().unwrap().is_empty() && d["active"] == true })
    );
    let land = items(
        app,
        &city,
        "/api/v1/departments?region=411600&category=land&q=自然资源&limit=200",
    )
    .await;
    let names: Vec<&str> = land.iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"周口市自然资源和规划局"), "{names:?}");
    assert!(names.contains(&"川汇区自然资源和规划局"), "{names:?}");
    let by_id: std::collections::HashMap<i64, &Value> = departments
        .iter()
        .map(|d| (d["id"].as_i64().unwrap(), d))
        .collect();
    assert_eq!(levels.len(), 30);
    for cadre in &levels {
        let department = by_id[&cadre["department_id"].as_i64().expect("in a department")];
        assert_eq!(department["region_code"], cadre["region_code"], "{cadre}");
        assert_eq!(department["name"], cadre["department"], "{cadre}");
    }
}

/// A region whose counties sit under a heading (Beijing's districts under 市辖区, 110100): the
/// heading is no government, so it gets no departments.
async fn a_demo_gives_headings_no_departments(app: &TestApp) {
    let beijing = RegionCode::parse("110000").unwrap();
    let now = chrono::Utc::now().naive_utc();
    let summary = demo::run(&app.db, beijing, 20, 16, 1, now).await.unwrap();
    assert_eq!(summary.counties, 16);
    let admin = token(app, "demo.admin").await;
    let departments = all_items(app, &admin, "/api/v1/departments?region=110000&limit=200").await;
    assert_eq!(departments.len(), summary.departments.created);
    let regions: std::collections::BTreeSet<&str> = departments
        .iter()
        .map(|d| d["region_code"].as_str().unwrap())
        .collect();
    assert_eq!(regions.len(), 17, "the municipality and its districts");
    assert!(regions.contains("110000") && regions.contains("110101"));
    assert!(!regions.contains("110100"), "{regions:?}");
}

/// Demo tickets: every state of the lifecycle, escalations, overdue ones, and counters that
/// equal the recount.
async fn demo_tickets_span_the_lifecycle(app: &TestApp) {
    let zhoukou = RegionCode::parse("411600").unwrap();
    let now = chrono::Utc::now().naive_utc();
    demo::run(&app.db, zhoukou.clone(), 200, 40, 5, now)
        .await
        .unwrap();
    let filed = demo::fill_tickets(
        &app.db,
        zhoukou.clone(),
        3000,
        5,
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
            5,
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
    coordination_is_in_the_demo(app, &admin, totals).await;
}

/// Demo tickets returned, delegated, assisted and supervised, with the events the service
/// writes for each.
async fn coordination_is_in_the_demo(app: &TestApp, admin: &str, totals: &Value) {
    let count = |name: &str| totals[name].as_i64().unwrap();
    assert!(count("returned") > 0 && count("supervised") > 0, "{totals}");
    let tickets = all_items(app, admin, "/api/v1/tickets?region=411600&limit=200").await;
    assert_eq!(tickets.len(), 3000);
    let returned: Vec<&Value> = tickets.iter().filter(|t| t["return_count"] == 1).collect();
    assert_eq!(returned.len() as i64, count("returned"));
    // Returned: back to dispatch by its assignee, then (unless it waits for dispatch still, as
    // a recent one may, or was withdrawn meanwhile) dispatched to another cadre.
    let mut redispatched = 0;
    for ticket in &returned {
        let events = events_of(app, admin, ticket).await;
        let at = events.iter().position(|e| e["action"] == "return").unwrap();
        let back = &events[at];
        assert_eq!(
            (&back["to_status"], &back["details"]["level"]),
            (&"submitted".into(), &"county".into()),
            "{back}"
        );
        assert!(back["details"]["reason"].is_string(), "{back}");
        let Some(again) = events[at..].iter().find(|e| e["action"] == "assign") else {
            let waiting = ["submitted", "withdrawn"].map(Value::from);
            assert!(waiting.contains(&ticket["status"]), "{ticket}");
            continue;
        };
        assert_ne!(again["details"]["assignee_id"], back["actor_id"], "{again}");
        assert_eq!(again["details"]["delegated"], false);
        redispatched += 1;
    }
    assert!(redispatched > 0, "returned tickets are dispatched again");

    // Delegated: escalated to the city, which hands it to a cadre of its county.
    let mut delegated = 0;
    for ticket in tickets.iter().filter(|t| t["level"] == "city") {
        let events = events_of(app, admin, ticket).await;
        let Some(assign) = events.iter().rev().find(|e| e["action"] == "assign") else {
            continue;
        };
        if assign["details"]["delegated"] == true {
            let path = format!("/api/v1/users/{}", assign["details"]["assignee_id"]);
            let cadre = app.call(Method::GET, &path, Some(admin), None, 200).await;
            assert_eq!(cadre["region_code"], ticket["county_code"], "{cadre}");
            assert_eq!(ticket["assignee_id"], cadre["id"], "{ticket}");
            delegated += 1;
        }
        if delegated == 3 {
            break;
        }
    }
    assert_eq!(delegated, 3, "some escalated tickets came back down");

    // Assisted (协办): about one in ten, each task added and completed in internal events; a
    // task still open holds the resolution.
    let cadres = items(app, admin, "/api/v1/users?role=cadre&limit=200").await;
    let mut tasks = Vec::new();
    for cadre in &cadres {
        let path = format!("/api/v1/tickets?collaborating={}&limit=200", cadre["id"]);
        for ticket in items(app, admin, &path).await {
            let path = format!("/api/v1/tickets/{}/collaborators", ticket["id"]);
            let helpers = items(app, admin, &path).await;
            let task = helpers
                .into_iter()
                .find(|h| h["user_id"] == cadre["id"])
                .unwrap();
            assert_ne!(ticket["assignee_id"], task["user_id"], "{ticket}");
            tasks.push((ticket, task));
        }
    }
    let share = tasks.len() as f64 / 3000.0;
    assert!((0.05..0.15).contains(&share), "{} assisted", tasks.len());
    for (ticket, task) in &tasks {
        if task["status"] == "open" {
            assert!(holds_null(task, "completed_at"), "{task}");
            assert_eq!(ticket["status"], "in_progress", "{ticket}");
        }
    }
    let (ticket, task) = tasks
        .iter()
        .find(|(_, task)| task["status"] == "completed")
        .unwrap();
    let events = events_of(app, admin, ticket).await;
    for (action, actor) in [
        ("collaborator_added", &ticket["assignee_id"]),
        ("collaborator_completed", &task["user_id"]),
    ] {
        let event = events.iter().find(|e| e["action"] == action).unwrap();
        assert_eq!(event["details"]["user_id"], task["user_id"], "{event}");
        assert_eq!(&event["actor_id"], actor, "{event}");
    }

    // Supervised (督办): orders from the city's or the province's supervisor, answered in time or
    // late; those still open mark their tickets supervised, and are overdue once the two
    // working days have passed.
    let orders = all_items(app, admin, "/api/v1/supervision?region=411600&limit=200").await;
    let supervised: std::collections::BTreeSet<i64> = orders
        .iter()
        .map(|o| o["ticket_id"].as_i64().unwrap())
        .collect();
    assert_eq!(supervised.len() as i64, count("supervised"));
    // One order per ticket: the tickets under an open one are the open orders'.
    assert_eq!(supervised.len(), orders.len());
    let open: Vec<&Value> = orders.iter().filter(|o| o["status"] == "open").collect();
    let pressed = all_items(app, admin, "/api/v1/tickets?supervised=true&limit=200").await;
    assert_eq!(pressed.len(), open.len());
    assert!(
        pressed
            .iter()
            .all(|t| t["supervised"] == true && t["supervision_count"] == 1)
    );
    let overdue = all_items(
        app,
        admin,
        "/api/v1/supervision?region=411600&status=overdue&limit=200",
    )
    .await;
    let late: Vec<&&Value> = open.iter().filter(|o| o["overdue"] == true).collect();
    assert_eq!(overdue.len(), late.len());
    let issuers: std::collections::BTreeSet<i64> = orders
        .iter()
        .map(|o| o["issued_by"].as_i64().unwrap())
        .collect();
    for issuer in issuers {
        let path = format!("/api/v1/users/{issuer}");
        let supervisor = app.call(Method::GET, &path, Some(admin), None, 200).await;
        assert_eq!(supervisor["role"], "supervisor");
        assert!(["411600", "410000"].contains(&supervisor["region_code"].as_str().unwrap()));
    }
    let answered_late = |o: &&Value| {
        o["status"] == "answered" && o["responded_at"].as_str() > o["respond_by"].as_str()
    };
    for answered in [
        orders
            .iter()
            .find(|o| o["status"] == "answered" && !answered_late(o)),
        orders.iter().find(answered_late),
    ] {
        let answered = answered.expect("orders answered in time and late");
        let ticket = tickets
            .iter()
            .find(|t| t["id"] == answered["ticket_id"])
            .unwrap();
        assert_eq!(ticket["supervision_count"], 1);
        let events = events_of(app, admin, ticket).await;
        let issued = events
            .iter()
            .find(|e| e["action"] == "supervision_issued")
            .unwrap();
        assert_eq!(issued["details"]["supervision_id"], answered["id"]);
        assert_eq!(issued["details"]["respond_by"], answered["respond_by"]);
        assert_eq!(issued["actor_id"], answered["issued_by"]);
        let answer = events
            .iter()
            .find(|e| e["action"] == "supervision_answered")
            .unwrap();
        assert_eq!(answer["details"]["supervision_id"], answered["id"]);
        assert_eq!(answer["details"]["overdue"], answered_late(&answered));
        assert_eq!(answer["actor_id"], ticket["assignee_id"]);
        // Two working days to answer.
        let day = |at: &Value| at.as_str().unwrap()[..10].to_owned();
        assert!(
            day(&answered["respond_by"]) > day(&answered["issued_at"]),
            "{answered}"
        );
    }
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
    a_demo_gives_headings_no_departments,
    demo_tickets_span_the_lifecycle
);
