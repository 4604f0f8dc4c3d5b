//! Instants in programme time (China Standard Time) for the tests of the clocks, and the
//! periodic work run at the test clock.

use serde_json::Value;

use crate::fixtures::id;
use crate::helpers::TestApp;

/// An instant written in programme time, `2026-02-13 10:00` (+08:00).
pub fn cst(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_str(&format!("{text} +08:00"), "%Y-%m-%d %H:%M %z")
        .unwrap()
        .to_utc()
}

/// Asserts that `value` is the RFC 3339 instant `expected` (the API writes microseconds too).
pub fn assert_at(value: &Value, expected: &str, what: &str) {
    let parse = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap();
    let actual = value
        .as_str()
        .unwrap_or_else(|| panic!("{what}: {value} is no time"));
    assert_eq!(parse(actual), parse(expected), "{what}: {actual}");
}

/// Asserts that `value` is `expected` written in programme time to the minute
/// (`2026-03-23T17:30`).
pub fn assert_cst(value: &Value, expected: &str, what: &str) {
    assert_at(value, &format!("{expected}:00+08:00"), what);
}

/// One round of the periodic work at the test clock: how many missed clocks it recorded.
pub async fn run_jobs(app: &TestApp) -> usize {
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    enterprise_assist::jobs::run_once(&app.state, now)
        .await
        .unwrap()
        .breaches_recorded
}

/// A ticket as `token`'s holder reads it.
pub async fn read(app: &TestApp, token: &str, ticket: &Value) -> Value {
    app.get(&format!("/api/v1/tickets/{}", id(ticket)))
        .as_(token)
        .expect(200)
        .await
}
