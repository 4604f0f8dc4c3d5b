//! Statistics: the figures of section 5, rolled up from counts, scoped like everything else,
//! and equal to a recount of the tickets after a random concurrent workload.

use std::collections::BTreeMap;

use enterprise_assist::domain::ids::TicketId;
use enterprise_assist::domain::region::RegionCode;
use enterprise_assist::domain::rollup::{CountedFacts, Counters, Month, PeriodFigures};
use enterprise_assist::domain::sla::Warning;
use enterprise_assist::domain::ticket::Status;
use enterprise_assist::domain::workload::{AssignedFacts, WorkloadCounts, WorkloadFigures};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{client_token, id, new_client, new_enterprise, token_for};
use crate::helpers::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, holds_null};
use crate::ticket_fixtures::{Desk, act};

/// This month in programme time, where the statistics cut their months.
fn this_month() -> String {
    let now = chrono::Utc::now().naive_utc();
    Month::of(now, enterprise_assist::domain::time::DEFAULT_TIMEZONE).to_string()
}

fn stats_path(region: &str) -> String {
    let month = this_month();
    format!("/api/v1/stats?region={region}&from={month}&to={month}")
}

fn child<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["region"]["code"] == code)
        .unwrap()
}

async fn figures_follow_the_tickets_and_roll_up(app: &TestApp) {
    let d = Desk::build(app).await;
    let (staff, cadre) = (&d.world.staff1.token, &d.world.cadre.token);
    // Chuanhui (411602): one closed with rating 4, one withdrawn, one open; Zhengzhou: one open.
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
    let withdrawn = d.file(app, staff, json!({})).await;
    act(
        app,
        staff,
        &withdrawn,
        "withdraw",
        json!({"reason": "x"}),
        200,
    )
    .await;
    d.file(app, &d.staff3.token, json!({})).await;
    d.file(app, &d.world.staff2.token, json!({})).await;

    let report = app
        .get(&stats_path("411600"))
        .as_(&d.world.sup_own.token)
        .expect(200)
        .await;
    assert_eq!(
        report["region"],
        json!({"code": "411600", "name": "周口市", "level": "city"})
    );
    assert_eq!(report["children"].as_array().unwrap().len(), 11);
    let t = &report["totals"];
    assert_eq!(
        (
            t["filed"].as_i64(),
            t["withdrawn"].as_i64(),
            t["open"].as_i64(),
            t["closed"].as_i64()
        ),
        (Some(3), Some(1), Some(1), Some(1))
    );
    assert_eq!(
        t["completion_rate"], 0.5,
        "1 closed of 3 filed less 1 withdrawn"
    );
    assert_eq!(t["on_time_rate"], 1.0);
    assert_eq!(t["satisfaction_avg"], 4.0);
    assert_eq!(child(&report, "411602")["filed"], 3);
    let quiet = child(&report, "411621");
    assert_eq!(quiet["filed"], 0);
    assert!(
        holds_null(quiet, "completion_rate")
            && holds_null(quiet, "on_time_rate")
            && holds_null(quiet, "satisfaction_avg")
    );

    let henan = app
        .get(&stats_path("410000"))
        .as_(&d.sup_province.token)
        .expect(200)
        .await;
    assert_eq!(henan["totals"]["filed"], 4);
    assert_eq!(child(&henan, "411600")["filed"], 3);
    assert_eq!(child(&henan, "410100")["filed"], 1);
    let country = app
        .get(&format!("/api/v1/stats?from={m}&to={m}", m = this_month()))
        .as_(&d.world.admin)
        .expect(200)
        .await;
    assert_eq!(country["region"]["level"], "country");
    assert_eq!(country["children"].as_array().unwrap().len(), 31);
    assert_eq!(child(&country, "410000")["filed"], 4);
    let land = app
        .get(&format!("{}&category=land", stats_path("411600")))
        .as_(&d.world.admin)
        .expect(200)
        .await;
    assert_eq!(land["totals"]["filed"], 3);
    let energy = app
        .get(&format!("{}&category=energy", stats_path("411600")))
        .as_(&d.world.admin)
        .expect(200)
        .await;
    assert_eq!(energy["totals"]["filed"], 0);
}

async fn statistics_are_scoped(app: &TestApp) {
    let d = Desk::build(app).await;
    let w = &d.world;
    // Who reads which region's figures: a supervisor their own region and below, an admin
    // any region; other regions are not found, and other roles may not read statistics.
    let table: [(&str, &str, u16); 6] = [
        (&w.sup_own.token, "411602", 200),
        (&w.sup_own.token, "410000", 404),
        (&w.sup_foreign.token, "411600", 404),
        (&w.cadre.token, "411600", 403),
        (&w.staff1.token, "411600", 403),
        (&w.admin, "999999", 404),
    ];
    for (token, region, status) in table {
        app.get(&stats_path(region)).as_(token).expect(status).await;
    }
    let own = app
        .get("/api/v1/stats")
        .as_(&w.sup_own.token)
        .expect(200)
        .await;
    assert_eq!(
        own["region"]["code"], "411600",
        "a supervisor's default is their own region"
    );
    for bad in [
        "from=2024-13",
        "from=2024-05&to=2024-01",
        "from=1900-01&to=2024-01",
        "category=nope",
        "region=41",
    ] {
        app.get(&format!("/api/v1/stats?{bad}"))
            .as_(&w.admin)
            .expect(400)
            .await;
    }
}

/// GETs `path` as CSV; the lines after the byte-order mark.
pub async fn csv_lines(app: &TestApp, token: &str, path: &str) -> Vec<String> {
    let response = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = response.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "a byte-order mark");
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_owned)
        .collect()
}

const FIGURES: &str = "filed,withdrawn,open,resolved,closed,completion_rate,on_time_rate,avg_resolution_hours,satisfaction_avg,accepted_on_time_rate,feedback_breaches,extended,on_time_rate_original,supervised,returned";

/// The stats CSV: the region's own totals first, then its children; the trend CSV: `month`
/// and the figures, one line per month (section 15).
async fn csv_and_trend(app: &TestApp) {
    let d = Desk::build(app).await;
    let sup = &d.world.sup_own.token;
    d.file(app, &d.world.staff1.token, json!({})).await;
    let lines = csv_lines(app, sup, &stats_path("411600")).await;
    assert_eq!(
        lines[0],
        format!("code,name,level,{FIGURES},warnings_yellow,warnings_orange,warnings_red")
    );
    assert_eq!(lines.len(), 1 + 1 + 11, "header, totals, eleven counties");
    assert_eq!(
        lines[1],
        "411600,周口市,city,1,0,1,0,0,0.0000,,,,,0,0,,0,0,0,0,0"
    );
    assert!(
        lines[2..]
            .iter()
            .any(|r| r == "411602,川汇区,county,1,0,1,0,0,0.0000,,,,,0,0,,0,0,0,0,0"),
        "{lines:?}"
    );
    let month = this_month();
    let country = csv_lines(
        app,
        &d.world.admin,
        &format!("/api/v1/stats?from={month}&to={month}"),
    )
    .await;
    assert!(
        country[1].starts_with("000000,全国,country,1,"),
        "{country:?}"
    );
    assert_eq!(country.len(), 1 + 1 + 31);

    let trend_path = "/api/v1/stats/trend?region=411600&from=2024-11&to=2025-02";
    let trend = app.get(trend_path).as_(sup).expect(200).await;
    let months: Vec<&str> = trend["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2024-11", "2024-12", "2025-01", "2025-02"]);
    let lines = csv_lines(app, sup, trend_path).await;
    assert_eq!(lines[0], format!("month,{FIGURES}"));
    assert_eq!(
        lines[1..],
        ["2024-11", "2024-12", "2025-01", "2025-02"]
            .map(|m| format!("{m},0,0,0,0,0,,,,,,0,0,,0,0"))
    );
    let now = format!("/api/v1/stats/trend?region=411600&from={month}&to={month}");
    let trend = app.get(&now).as_(sup).expect(200).await;
    assert_eq!(trend["months"][0]["filed"], 1);
    let lines = csv_lines(app, sup, &now).await;
    assert_eq!(
        lines[1..],
        [format!("{month},1,0,1,0,0,0.0000,,,,,0,0,,0,0")]
    );
}

/// The warning snapshot of Zhoukou as its supervisor reads it, for one category or all:
/// (yellow, orange, red) of the totals, checked against the Chuanhui row and the trend.
async fn snapshot(app: &TestApp, category: Option<&str>) -> (i64, i64, i64) {
    let supervisor = token_for(app, "sup.own").await;
    let filter = category.map_or(String::new(), |c| format!("&category={c}"));
    let report = app
        .get(&format!("{}{filter}", stats_path("411600")))
        .as_(&supervisor)
        .expect(200)
        .await;
    let colours = |w: &Value| {
        (
            w["yellow"].as_i64().unwrap(),
            w["orange"].as_i64().unwrap(),
            w["red"].as_i64().unwrap(),
        )
    };
    let totals = colours(&report["totals"]["warnings"]);
    assert_eq!(colours(&child(&report, "411602")["warnings"]), totals);
    let trend = app
        .get(&format!(
            "/api/v1/stats/trend?region=411600&from=2024-01&to=2024-01{filter}"
        ))
        .as_(&supervisor)
        .expect(200)
        .await;
    assert_eq!(colours(&trend["warnings"]), totals, "the trend's snapshot");
    totals
}

/// Every counter, the warning counts included, equals the recount as of the test clock.
pub async fn assert_verified(app: &TestApp) {
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    let differences = enterprise_assist::services::reports::verify(&app.db, now, app.timezone)
        .await
        .unwrap();
    assert!(differences.is_empty(), "{differences:?}");
}

async fn run_jobs(app: &TestApp) -> usize {
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    enterprise_assist::jobs::run_once(&app.state, now)
        .await
        .unwrap()
        .warnings_advanced
}

/// The warning snapshot follows the clock and the moves, whether or not the periodic job has
/// moved the counts on yet: urgent tickets (72 h) turn yellow at 54 h, orange at 72 h, red at
/// 108 h; normal ones (360 h) yellow at 270 h.
async fn the_warning_snapshot_follows_time_and_moves(app: &TestApp) {
    let d = Desk::build(app).await;
    crate::ticket_fixtures::clocks_in_plain_hours(app).await;
    let staff = &d.world.staff1.token;
    let urgent = json!({"priority": "urgent"});
    let a = d.file(app, staff, urgent.clone()).await;
    let b = d.file(app, staff, urgent.clone()).await;
    let c = d.file(app, staff, json!({})).await;
    let dd = d.file(app, staff, urgent.clone()).await;
    let e = d
        .file(
            app,
            staff,
            json!({"priority": "urgent", "category": "energy"}),
        )
        .await;
    act(app, &d.world.cadre.token, &b, "accept", json!({}), 200).await;
    act(app, &d.world.cadre.token, &dd, "accept", json!({}), 200).await;
    assert_eq!(snapshot(app, None).await, (0, 0, 0));

    let hour = chrono::TimeDelta::hours(1);
    app.clock.advance(hour * 60);
    assert_eq!(snapshot(app, None).await, (4, 0, 0), "before the job runs");
    assert_eq!(snapshot(app, Some("land")).await, (3, 0, 0));
    assert_eq!(snapshot(app, Some("energy")).await, (1, 0, 0));
    assert_verified(app).await;
    assert_eq!(run_jobs(app).await, 4);
    assert_eq!(run_jobs(app).await, 0, "each count moves on once");
    assert_eq!(snapshot(app, None).await, (4, 0, 0), "after it");
    assert_verified(app).await;
    let cadre = token_for(app, "cadre.own").await;
    act(
        app,
        &cadre,
        &dd,
        "resolve",
        json!({"resolution": "ok"}),
        200,
    )
    .await;
    assert_eq!(
        snapshot(app, None).await,
        (3, 0, 0),
        "a resolved ticket has no colour"
    );

    // 80 h: a, b and e are orange; a is withdrawn before the job gets to it.
    app.clock.advance(hour * 20);
    let staff = token_for(app, "staff.one").await;
    act(app, &staff, &a, "withdraw", json!({"reason": "r"}), 200).await;
    assert_eq!(snapshot(app, None).await, (0, 2, 0));
    assert_verified(app).await;

    // 110 h: b and e red; b escalated (still open, still red), d reopened (red again).
    app.clock.advance(hour * 30);
    let (cadre, staff) = (
        token_for(app, "cadre.own").await,
        token_for(app, "staff.one").await,
    );
    act(app, &cadre, &b, "escalate", json!({"reason": "r"}), 200).await;
    assert_eq!(snapshot(app, None).await, (0, 0, 2));
    assert_eq!(run_jobs(app).await, 1, "only e was left to move on");
    act(app, &staff, &dd, "reopen", json!({"reason": "r"}), 200).await;
    assert_eq!(snapshot(app, None).await, (0, 0, 3));
    assert_eq!(snapshot(app, Some("energy")).await, (0, 0, 1));
    assert_verified(app).await;

    // 300 h: c, the normal one, is yellow too; the list filter agrees with the snapshot.
    app.clock.advance(hour * 190);
    assert_eq!(snapshot(app, None).await, (1, 0, 3));
    let supervisor = token_for(app, "sup.own").await;
    let red = app
        .get("/api/v1/tickets?warning=red")
        .as_(&supervisor)
        .expect(200)
        .await;
    let mut red_ids: Vec<String> = red["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(crate::fixtures::id)
        .collect();
    red_ids.sort();
    let mut expected: Vec<String> = [&b, &dd, &e].map(crate::fixtures::id).to_vec();
    expected.sort();
    assert_eq!(red_ids, expected);
    let yellow = app
        .get("/api/v1/tickets?warning=yellow")
        .as_(&supervisor)
        .expect(200)
        .await;
    assert_eq!(yellow["items"].as_array().unwrap().len(), 1);
    assert_eq!(yellow["items"][0]["id"], c["id"]);
    assert_eq!(run_jobs(app).await, 1);
    assert_eq!(snapshot(app, None).await, (1, 0, 3));
    assert_verified(app).await;
}

/// A move that reads a ticket while the periodic job is moving its warning count on, and
/// writes after the job commits, counts from what the job left: the counts add up. (SQLite
/// lets one writer in at a time, so there the move simply waits; PostgreSQL lets the move read
/// first and holds its write on the job's row lock.)
async fn a_move_racing_the_job_counts_from_what_the_job_left(app: &TestApp) {
    use enterprise_assist::db::{counters, tickets, write_transaction};
    use enterprise_assist::domain::rollup::WarningCounts;
    use enterprise_assist::domain::sla;
    let d = Desk::build(app).await;
    let ticket = d
        .file(app, &d.world.staff1.token, json!({"priority": "urgent"}))
        .await;
    act(app, &d.world.cadre.token, &ticket, "accept", json!({}), 200).await;
    app.clock.advance(chrono::TimeDelta::hours(60));
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    let ticket_id = ticket["id"].as_i64().unwrap();
    // Logging in writes too: before the job holds SQLite's one writer.
    let cadre = token_for(app, "cadre.own").await;

    // The job's step for this ticket, held open until told to commit.
    let (commit, committed) = std::sync::mpsc::channel::<()>();
    let (locked, is_locked) = tokio::sync::oneshot::channel::<()>();
    let db = app.db.clone();
    let job = tokio::spawn(async move {
        db.run(move |conn| {
            write_transaction(conn, |c| {
                let read = tickets::find(c, TicketId(ticket_id))?;
                let counted = sla::counted(true, now, &read.deadlines());
                assert!(tickets::recount_warning(c, &read, counted)?);
                let change = WarningCounts::change(read.counted_warning, counted.warning);
                counters::record_warning(c, &read.category, &read.county_code, change)?;
                locked.send(()).unwrap();
                committed.recv().unwrap();
                Ok::<_, enterprise_assist::db::DbError>(())
            })
        })
        .await
    });
    is_locked.await.unwrap();
    let resolve = act(
        app,
        &cadre,
        &ticket,
        "resolve",
        json!({"resolution": "ok"}),
        200,
    );
    let release = async {
        wait_for_a_lock_wait(app).await;
        commit.send(()).unwrap();
    };
    let (resolved, ()) = futures_util::future::join(resolve, release).await;
    job.await.unwrap().unwrap();
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(snapshot(app, None).await, (0, 0, 0));
    assert_verified(app).await;
}

/// Waits until some session of the test database waits for a row lock (PostgreSQL), or a
/// moment (SQLite, where the waiting writer cannot be seen from outside).
async fn wait_for_a_lock_wait(app: &TestApp) {
    use diesel::RunQueryDsl;
    use diesel::sql_types::BigInt;
    #[derive(diesel::QueryableByName)]
    struct Waiting {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    if app.db.backend() == enterprise_assist::db::Backend::Sqlite {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        return;
    }
    for _ in 0..200 {
        let waiting = app
            .db
            .run(|conn| {
                diesel::sql_query(
                    "SELECT count(*) AS n FROM pg_stat_activity \
                     WHERE datname = current_database() AND wait_event_type = 'Lock'",
                )
                .get_result::<Waiting>(conn)
                .map_err(enterprise_assist::db::DbError::from)
            })
            .await
            .unwrap();
        if waiting.n > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the move never waited for the job's lock");
}

fn assert_figures(served: &Value, counts: Counters, what: &str) {
    assert_same(served, &PeriodFigures::from(counts), what);
}

/// What the random moves did to a ticket, for the checks after them.
#[derive(Debug, Default)]
struct Fate {
    /// Given a supervision order (督办); sent back to dispatch by its assignee.
    supervised: bool,
    returned: bool,
    /// The username of the cadre whose assisting task on it is still open.
    assisting: Option<&'static str>,
    /// The username of its assignee when it is in progress and may be resolved later.
    resolvable_by: Option<&'static str>,
}

/// The cadres of Chuanhui (411602) who work the random workload, by username and token.
struct Worker<'a> {
    username: &'static str,
    person: &'a crate::fixtures::Person,
}

/// The moves of ticket `i` of the random workload (filed by `filers[i % filers]`, the `k`-th of
/// its filer). The tickets of Chuanhui (the paired enterprise's, assigned at filing, and the
/// unpaired one's, dispatched by the city's supervisor to one of two cadres) go through the
/// lifecycle: a third withdrawn; some returned to dispatch (half of those dispatched again),
/// some escalated to the city and delegated back down, some supervised (half the orders
/// answered), some with an assisting cadre (half the tasks done), some given more time, some
/// waiting for the enterprise, half resolved, a quarter closed with a rating. The other
/// enterprises' tickets wait for dispatch, a third withdrawn.
async fn random_moves(
    app: &TestApp,
    d: &Desk,
    cadres: [&Worker<'_>; 2],
    (i, filers): (usize, usize),
    (token, ticket): &(String, Value),
) -> Fate {
    let (f, k) = (i % filers, i / filers);
    let mut fate = Fate::default();
    if k % 3 == 0 {
        act(app, token, ticket, "withdraw", json!({"reason": "r"}), 200).await;
    }
    if k % 3 == 0 || f > 1 {
        return fate;
    }
    let supervisor = &d.world.sup_own.token;
    let (x, y) = if f == 0 || k % 2 == 0 {
        (cadres[0], cadres[1])
    } else {
        (cadres[1], cadres[0])
    };
    let to_x = json!({"assignee_id": x.person.user["id"]});
    let path = |rest: &str| format!("/api/v1/tickets/{}/{rest}", id(ticket));
    if f == 1 {
        act(app, supervisor, ticket, "assign", to_x.clone(), 200).await;
    }
    let cadre = &x.person.token;
    if k % 11 == 5 && k % 7 != 3 {
        act(
            app,
            cadre,
            ticket,
            "return",
            json!({"reason": "非本部门职责"}),
            200,
        )
        .await;
        fate.returned = true;
        if k % 2 == 0 {
            return fate;
        }
        act(app, supervisor, ticket, "assign", to_x.clone(), 200).await;
    }
    if k % 7 == 3 {
        // To the city, and delegated back down to a county cadre: the city stays accountable.
        act(
            app,
            cadre,
            ticket,
            "escalate",
            json!({"reason": "需市级协调"}),
            200,
        )
        .await;
        let delegate = json!({"assignee_id": x.person.user["id"], "delegate": true});
        let assigned = act(app, supervisor, ticket, "assign", delegate, 200).await;
        assert_eq!(assigned["level"], "city");
    }
    act(app, cadre, ticket, "accept", json!({}), 200).await;
    if k % 5 == 1 {
        let order = app
            .post(&path("supervision"))
            .as_(supervisor)
            .json(json!({"instruction": "请加快办理"}))
            .expect(201)
            .await;
        fate.supervised = true;
        if k % 10 == 1 {
            app.post(&path(&format!("supervision/{}/respond", id(&order))))
                .as_(cadre)
                .json(json!({"response": "已加快办理"}))
                .expect(200)
                .await;
        }
    }
    if k % 9 == 4 {
        let helper = json!({"user_id": y.person.user["id"], "task": "协助核实"});
        app.post(&path("collaborators"))
            .as_(cadre)
            .json(helper)
            .expect(201)
            .await;
        if k % 18 == 4 {
            app.post(&path(&format!("collaborators/{}/complete", y.person.id())))
                .as_(&y.person.token)
                .json(json!({"note": "已核实"}))
                .expect(200)
                .await;
        } else {
            fate.assisting = Some(y.username);
        }
    }
    if k % 5 < 2 {
        let asked = app
            .post(&path("extensions"))
            .as_(cadre)
            .json(json!({"working_days": 1 + k % 3, "reason": "r"}))
            .expect(201)
            .await;
        let verdict = if k % 5 == 0 { "approve" } else { "reject" };
        app.post(&path(&format!("extensions/{}/{verdict}", id(&asked))))
            .as_(supervisor)
            .json(json!({"comment": "c"}))
            .expect(200)
            .await;
    }
    let waiting = k % 2 != 0 && k % 7 < 3;
    if waiting {
        act(
            app,
            cadre,
            ticket,
            "request-info",
            json!({"question": "q"}),
            200,
        )
        .await;
        if k % 7 == 0 {
            act(
                app,
                token,
                ticket,
                "provide-info",
                json!({"answer": "a"}),
                200,
            )
            .await;
        }
    }
    if k % 2 == 0 {
        act(
            app,
            cadre,
            ticket,
            "resolve",
            json!({"resolution": "r"}),
            200,
        )
        .await;
        if k % 4 == 0 {
            let rating = json!({"rating": (k % 5 + 1) as i64});
            act(app, token, ticket, "confirm", rating, 200).await;
        }
    } else if (!waiting || k % 7 == 0) && fate.assisting.is_none() {
        fate.resolvable_by = Some(x.username);
    }
    fate
}

/// Every ticket as the admin sees it.
async fn every_ticket(app: &TestApp, admin: &str) -> Vec<Value> {
    let mut tickets = Vec::new();
    let mut path = "/api/v1/tickets?limit=200".to_owned();
    loop {
        let page = app.get(&path).as_(admin).expect(200).await;
        tickets.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/tickets?limit=200&cursor={cursor}"),
            None => return tickets,
        }
    }
}

/// Thousands of tickets pushed at random through the lifecycle by concurrent clients, with
/// supervision orders, returns, delegations and assisting cadres among the moves; then the
/// stored counters equal the recount, and every figure of every region, by region and by
/// category, and every row of the workload report, equals a recount from the tickets.
async fn a_random_concurrent_workload_adds_up(app: &TestApp) {
    let d = Desk::build(app).await;
    crate::ticket_fixtures::clocks_in_plain_hours(app).await;
    let admin = &d.world.admin;
    let two = crate::fixtures::person(
        app,
        admin,
        "cadre.two",
        "cadre",
        json!({"region_code": "411602"}),
    )
    .await;
    let own = Worker {
        username: "cadre.own",
        person: &d.world.cadre,
    };
    let second = Worker {
        username: "cadre.two",
        person: &two,
    };
    let mut filers = vec![
        d.world.staff1.token.clone(),
        d.staff3.token.clone(),
        d.world.staff2.token.clone(),
    ];
    for (seed, county) in [(11, "411621"), (12, "411681"), (13, "410105")] {
        let e = new_enterprise(app, admin, seed, county).await;
        filers.push(client_token(app, &new_client(app, admin, &e).await).await);
    }
    const TICKETS: usize = 1200;
    let categories = ["policy", "land", "energy", "finance"];
    let files = (0..TICKETS).map(|i| {
        let body = json!({"category": categories[i % 4], "priority": if i % 5 == 0 { "urgent" } else { "normal" },
                          "title": format!("诉求 {i}"), "description": "随机负载"});
        let token = filers[i % filers.len()].clone();
        async move { (token.clone(), app.post("/api/v1/tickets").as_(&token).json(body).expect(201).await) }
    });
    let filed = in_waves(files.collect()).await;
    let moves = filed
        .iter()
        .enumerate()
        .map(|(i, ticket)| random_moves(app, &d, [&own, &second], (i, filers.len()), ticket));
    let fates = in_waves(moves.collect()).await;
    assert_verified(app).await;

    // Recount by county and category from the tickets as the admin sees them, then compare
    // every region, by region and by category.
    let tickets = every_ticket(app, admin).await;
    assert_eq!(tickets.len(), TICKETS);
    let mut by_key: BTreeMap<(String, String), Counters> = BTreeMap::new();
    for t in &tickets {
        let key = (
            t["county_code"].as_str().unwrap().to_owned(),
            t["category"].as_str().unwrap().to_owned(),
        );
        let entry = by_key.entry(key).or_default();
        *entry = *entry + counts_of(t);
    }
    let within = |code: &str, category: Option<&str>| -> Counters {
        let region = RegionCode::parse(code).unwrap();
        by_key
            .iter()
            .filter(|((c, k), _)| region.subtree().contains(c) && category.is_none_or(|x| x == k))
            .map(|(_, c)| *c)
            .sum()
    };
    let all: Counters = by_key.values().copied().sum();
    let supervised = fates.iter().filter(|f| f.supervised).count() as i64;
    let returned = fates.iter().filter(|f| f.returned).count() as i64;
    assert!(supervised > 0 && returned > 0);
    assert_eq!((all.supervised, all.returned), (supervised, returned));
    let month = Month::parse(&this_month()).unwrap();
    for region in ["410000", "411600", "410100"] {
        let report = app.get(&stats_path(region)).as_(admin).expect(200).await;
        assert_figures(&report["totals"], within(region, None), region);
        for row in report["children"].as_array().unwrap() {
            let code = row["region"]["code"].as_str().unwrap();
            assert_figures(row, within(code, None), code);
        }
        let path = format!("{}&group_by=category", stats_path(region));
        let report = app.get(&path).as_(admin).expect(200).await;
        assert_figures(&report["totals"], within(region, None), &path);
        let rows = report["children"].as_array().unwrap();
        let mut summed = Counters::default();
        for row in rows {
            let category = row["category"]["code"].as_str().unwrap();
            let counts = within(region, Some(category));
            assert_figures(row, counts, &format!("{path} {category}"));
            summed = summed + counts;
        }
        assert_figures(
            &report["totals"],
            summed,
            "the categories add up to the totals",
        );
    }
    let country = app
        .get(&format!("/api/v1/stats?from={month}&to={month}"))
        .as_(admin)
        .expect(200)
        .await;
    assert_figures(&country["totals"], all, "country");
    // Whole years are read from the yearly counters, the months around them from the monthly
    // ones: the same figures either way.
    let year: i32 = this_month()[..4].parse().unwrap();
    for (from, to) in [
        (format!("{year}-01"), format!("{year}-12")),
        (format!("{}-11", year - 1), format!("{}-02", year + 1)),
    ] {
        let path = format!("/api/v1/stats?region=410000&from={from}&to={to}");
        let report = app.get(&path).as_(admin).expect(200).await;
        assert_figures(&report["totals"], within("410000", None), &path);
        for row in report["children"].as_array().unwrap() {
            let code = row["region"]["code"].as_str().unwrap();
            assert_figures(row, within(code, None), code);
        }
    }
    assert_workload(app, admin, &tickets, &fates, [&own, &second]).await;

    // 80 hours on, the urgent tickets still open are orange. Instances move their warning
    // counts on while the cadres resolve the tickets in progress: the counts still add up.
    app.clock.advance(chrono::TimeDelta::hours(80));
    let tokens: BTreeMap<&str, String> = BTreeMap::from([
        ("cadre.own", token_for(app, "cadre.own").await),
        ("cadre.two", token_for(app, "cadre.two").await),
    ]);
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    let resolves = filed
        .iter()
        .zip(&fates)
        .filter_map(|((_, ticket), fate)| Some((ticket, tokens[fate.resolvable_by?].clone())))
        .map(|(ticket, cadre)| async move {
            act(
                app,
                &cadre,
                ticket,
                "resolve",
                json!({"resolution": "r"}),
                200,
            )
            .await;
        });
    let jobs = (0..4).map(|_| enterprise_assist::jobs::run_once(&app.state, now));
    let (runs, _) = futures_util::future::join(join_all(jobs), in_waves(resolves.collect())).await;
    let runs: Vec<_> = runs.into_iter().map(Result::unwrap).collect();
    let advanced: usize = runs.iter().map(|r| r.warnings_advanced).sum();
    assert!(advanced > 0, "the urgent open tickets changed colour");
    // PostgreSQL spreads each key's counts over slots, which the job folds into one row.
    let folded: usize = runs.iter().map(|r| r.counter_keys_folded).sum();
    let postgres = app.db.backend() == enterprise_assist::db::Backend::Postgres;
    assert_eq!(folded > 0, postgres, "folded {folded} keys");
    assert_verified(app).await;
    enterprise_assist::jobs::run_once(&app.state, now)
        .await
        .unwrap();
    let unfolded = app
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use enterprise_assist::db::schema::ticket_stats;
            ticket_stats::table
                .filter(ticket_stats::slot.gt(0))
                .count()
                .get_result::<i64>(conn)
                .map_err(enterprise_assist::db::DbError::from)
        })
        .await
        .unwrap();
    assert_eq!(unfolded, 0);
    assert_verified(app).await;
    // The same report after the resolutions, the colours 80 hours on.
    let signed_in = app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
    let admin = signed_in["access_token"].as_str().unwrap();
    let tickets = every_ticket(app, admin).await;
    assert_workload(app, admin, &tickets, &fates, [&own, &second]).await;
}

/// The workload report of Chuanhui and of Zhoukou this month against a recount from the
/// tickets' JSON (and, for the assisting tasks, from what the moves left open).
async fn assert_workload(
    app: &TestApp,
    admin: &str,
    tickets: &[Value],
    fates: &[Fate],
    cadres: [&Worker<'_>; 2],
) {
    let month = this_month();
    let mut recount: BTreeMap<String, WorkloadCounts> = BTreeMap::new();
    for t in tickets {
        let Some(assignee) = t["assignee_id"].as_i64() else {
            continue;
        };
        let facts = assigned_facts(t);
        let mut counts = WorkloadCounts::snapshot(&facts);
        if filed_month(t) == month {
            counts = counts + WorkloadCounts::resolution(&facts);
        }
        let entry = recount.entry(assignee.to_string()).or_default();
        *entry = *entry + counts;
    }
    for worker in cadres {
        let open_tasks = fates
            .iter()
            .filter(|f| f.assisting == Some(worker.username))
            .count() as i64;
        let entry = recount.entry(worker.person.id()).or_default();
        entry.assisting += open_tasks;
    }
    assert!(recount.values().any(|c| c.assisting > 0 && c.rated > 0));
    for region in ["411602", "411600"] {
        let path = format!("/api/v1/stats/workload?region={region}&from={month}&to={month}");
        let report = app.get(&path).as_(admin).expect(200).await;
        let rows = report["cadres"].as_array().unwrap();
        assert!(rows.len() >= 2, "{report}");
        let mut summed = WorkloadCounts::default();
        for row in rows {
            let user = row["user_id"].to_string();
            let counts = recount.get(&user).copied().unwrap_or_default();
            assert_same(
                row,
                &WorkloadFigures::from(counts),
                &format!("{path} {user}"),
            );
            summed = summed + counts;
        }
        let none = report["departments"].as_array().unwrap().last().unwrap();
        assert_same(
            none,
            &WorkloadFigures::from(summed),
            "no department: every cadre",
        );
    }
}

/// The month a ticket was filed in, in programme time.
fn filed_month(t: &Value) -> String {
    let filed = time(&t["created_at"]).unwrap();
    Month::of(filed, enterprise_assist::domain::time::DEFAULT_TIMEZONE).to_string()
}

fn time(v: &Value) -> Option<chrono::NaiveDateTime> {
    v.as_str()
        .map(|s| chrono::DateTime::parse_from_rfc3339(s).unwrap().naive_utc())
}

/// What the workload looks at of a ticket, from its JSON (no ticket of the workload is
/// reopened, so its latest resolution is its first).
fn assigned_facts(t: &Value) -> AssignedFacts {
    AssignedFacts {
        status: Status::parse(t["status"].as_str().unwrap()).unwrap(),
        warning: t["warning"].as_str().and_then(Warning::parse),
        created_at: time(&t["created_at"]).unwrap(),
        first_resolved_at: time(&t["resolved_at"]),
        rating: t["rating"].as_i64().map(|r| r as i32),
    }
}

/// Asserts that every field of `want` is served as `served` has it.
fn assert_same(served: &Value, want: &impl serde::Serialize, what: &str) {
    let want = serde_json::to_value(want).unwrap();
    for (field, value) in want.as_object().unwrap() {
        let got = &served[field];
        let same = match (got.as_f64(), value.as_f64()) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            _ => got == value,
        };
        assert!(same, "{what}: {field} served {got}, recount {value}");
    }
}

/// Runs the requests 24 at a time: concurrent, without opening a connection per request at once.
async fn in_waves<F: std::future::Future>(mut pending: Vec<F>) -> Vec<F::Output> {
    let mut done = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let wave = pending.len().min(24);
        done.extend(join_all(pending.drain(..wave)).await);
    }
    done
}

/// One ticket's counts, recomputed from its JSON as the API shows it.
fn counts_of(t: &Value) -> Counters {
    // The API shows the latest resolution; in this workload no ticket is reopened, so the
    // first resolution is the latest one.
    Counters::of(&CountedFacts {
        status: Status::parse(t["status"].as_str().unwrap()).unwrap(),
        created_at: time(&t["created_at"]).unwrap(),
        due_at: time(&t["due_at"]).unwrap(),
        first_resolved_at: time(&t["resolved_at"]),
        rating: t["rating"].as_i64().map(|r| r as i32),
        response_due_at: time(&t["response_due_at"]).unwrap(),
        first_response_at: time(&t["first_response_at"]),
        feedback_breaches: t["breaches"]["feedback"].as_i64().unwrap() as i32,
        original_due_at: time(&t["original_due_at"]).unwrap(),
        supervision_count: t["supervision_count"].as_i64().unwrap() as i32,
        return_count: t["return_count"].as_i64().unwrap() as i32,
    })
}

both_backends!(
    figures_follow_the_tickets_and_roll_up,
    statistics_are_scoped,
    csv_and_trend,
    the_warning_snapshot_follows_time_and_moves,
    a_move_racing_the_job_counts_from_what_the_job_left,
    a_random_concurrent_workload_adds_up,
);
