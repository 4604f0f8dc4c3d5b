//! Programme time (SPEC section 9): statistics months, date filters and "today" are cut in
//! `TIMEZONE` (China Standard Time by default), while timestamps stay UTC.

use chrono::{TimeZone, Utc};
use enterprise_assist::db::programme_time::{Rekeying, key_in_programme_time};
use enterprise_assist::domain::time::Tz;
use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::TestApp;
use crate::ticket_fixtures::Desk;

/// The period figures `filed` of Zhoukou for `query`, as its supervisor reads them.
async fn filed(app: &TestApp, token: &str, query: &str) -> i64 {
    let path = format!("/api/v1/stats?region=411600{query}");
    let report = app.call(Method::GET, &path, Some(token), None, 200).await;
    report["totals"]["filed"].as_i64().unwrap()
}

async fn listed(app: &TestApp, token: &str, query: &str) -> usize {
    let path = format!("/api/v1/tickets?{query}");
    let page = app.call(Method::GET, &path, Some(token), None, 200).await;
    page["items"].as_array().unwrap().len()
}

/// Files a ticket at 2026-01-31T17:00Z, which is 01:00 on 1 February in Beijing.
async fn file_at_the_turn_of_january(app: &TestApp, d: &Desk) -> Value {
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 1, 31, 17, 0, 0).unwrap());
    let ticket = d.file(app, &d.world.staff1.token, json!({})).await;
    assert_eq!(
        ticket["created_at"], "2026-01-31T17:00:00.000000Z",
        "UTC in the API"
    );
    ticket
}

/// A ticket filed at 2026-01-31T17:00Z counts in February: in the report, the trend, the
/// default period ("this month" is February then), the date filters, and the recount.
async fn a_ticket_filed_at_17_utc_on_31_january_counts_in_february(app: &TestApp) {
    let d = Desk::build(app).await;
    file_at_the_turn_of_january(app, &d).await;
    let sup = &d.world.sup_own.token;
    assert_eq!(filed(app, sup, "&from=2026-02&to=2026-02").await, 1);
    assert_eq!(filed(app, sup, "&from=2026-01&to=2026-01").await, 0);
    assert_eq!(
        filed(app, sup, "&from=2026-01&to=2026-12").await,
        1,
        "its year"
    );
    assert_eq!(filed(app, sup, "&from=2025-01&to=2025-12").await, 0);
    assert_eq!(
        filed(app, sup, "").await,
        1,
        "this month and year, in programme time"
    );
    let trend = app
        .call(
            Method::GET,
            "/api/v1/stats/trend?region=411600&from=2026-01&to=2026-02",
            Some(sup),
            None,
            200,
        )
        .await;
    assert_eq!(trend["months"][0]["filed"], 0);
    assert_eq!(trend["months"][1]["filed"], 1);
    // Its day is 1 February.
    let admin = &d.world.admin;
    assert_eq!(
        listed(app, admin, "filed_from=2026-02-01&filed_to=2026-02-01").await,
        1
    );
    assert_eq!(listed(app, admin, "filed_to=2026-01-31").await, 0);
    assert_eq!(listed(app, admin, "filed_from=2026-02-02").await, 0);
    // Half an hour before the turn of the day in Beijing, a ticket is still January's.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 1, 31, 15, 30, 0).unwrap());
    d.file(app, &d.world.staff1.token, json!({})).await;
    assert_eq!(
        listed(app, admin, "filed_from=2026-01-31&filed_to=2026-01-31").await,
        1
    );
    assert_eq!(filed(app, sup, "&from=2026-01&to=2026-01").await, 1);
    crate::stats::assert_verified(app).await;
}

/// Counters keyed by another zone's months (UTC, as every database before programme time) are
/// re-keyed when the service migrates with `TIMEZONE`: verify-stats, which recounts in
/// programme time, finds the old keys wrong, and right after.
async fn counters_keyed_by_utc_months_are_rekeyed_at_migrate(app: &TestApp) {
    let d = Desk::build(app).await;
    file_at_the_turn_of_january(app, &d).await;
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 2, 10, 3, 0, 0).unwrap());
    d.file(app, &d.world.staff1.token, json!({})).await;
    let sup = &d.world.sup_own.token;
    // The database as an earlier version left it: every month cut at UTC midnight.
    let to_utc = app
        .db
        .run(|conn| key_in_programme_time(conn, Tz::UTC, Rekeying::Allowed))
        .await
        .unwrap()
        .expect("keyed by Asia/Shanghai until now");
    assert_eq!(
        (to_utc.from.as_str(), to_utc.tickets_moved),
        ("Asia/Shanghai", 1)
    );
    assert_eq!(filed(app, sup, "&from=2026-01&to=2026-01").await, 1);
    assert_eq!(filed(app, sup, "&from=2026-02&to=2026-02").await, 1);
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    let wrong = enterprise_assist::services::reports::verify(&app.db, now, app.timezone)
        .await
        .unwrap();
    assert!(!wrong.is_empty(), "verify-stats counts in programme time");

    // A one-off command with TIMEZONE=Asia/Shanghai refuses to re-key; `serve` and `migrate`
    // with it do, once.
    let refused = app.db.migrate(app.timezone, Rekeying::Refused).await;
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.to_string().contains("TIMEZONE=UTC")),
        "{refused:?}"
    );
    assert_eq!(
        filed(app, sup, "&from=2026-01&to=2026-01").await,
        1,
        "unchanged"
    );
    app.db
        .migrate(app.timezone, Rekeying::Allowed)
        .await
        .unwrap();
    assert_eq!(filed(app, sup, "&from=2026-01&to=2026-01").await, 0);
    assert_eq!(filed(app, sup, "&from=2026-02&to=2026-02").await, 2);
    assert_eq!(filed(app, sup, "&from=2026-01&to=2026-12").await, 2);
    crate::stats::assert_verified(app).await;
    let again = app
        .db
        .run(move |conn| key_in_programme_time(conn, Tz::Asia__Shanghai, Rekeying::Refused))
        .await
        .unwrap();
    assert_eq!(again, None, "nothing to do the second time");
    // Moves after the re-keying count under the new months.
    let ticket = d.file(app, &d.world.staff1.token, json!({})).await;
    crate::ticket_fixtures::act(app, &d.world.cadre.token, &ticket, "accept", json!({}), 200).await;
    crate::stats::assert_verified(app).await;
}

both_backends!(
    a_ticket_filed_at_17_utc_on_31_january_counts_in_february,
    counters_keyed_by_utc_months_are_rekeyed_at_migrate,
);
