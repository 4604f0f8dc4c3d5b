//! Failures the framework produces itself still answer problem documents.

use crate::both_backends;
use crate::helpers::{TestApp, expect_json};

async fn unknown_route_is_a_404_problem(app: &TestApp) {
    let problem = app.get_json("/api/v1/nothing-here", 404).await;
    assert_eq!(problem["title"], "Not Found");
    assert!(problem["type"].as_str().unwrap().ends_with("/not-found"));
    app.get_json("/nothing-here", 404).await;
}

async fn wrong_method_is_a_405_problem_with_allow(app: &TestApp) {
    let response = app
        .client
        .delete(app.url("/api/v1/regions/411600"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET");
    let problem = expect_json(response, 405).await;
    assert_eq!(problem["status"], 405);
}

async fn malformed_json_is_a_400_with_its_position(app: &TestApp) {
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"username\": \"a\",\n \"password\": }")
        .send()
        .await
        .unwrap();
    let problem = expect_json(response, 400).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("line 2 column"), "{detail}");
}

async fn a_missing_field_is_a_422_naming_it(app: &TestApp) {
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "someone"}))
        .send()
        .await
        .unwrap();
    let problem = expect_json(response, 422).await;
    assert_eq!(problem["errors"][0]["field"], "password");
}

async fn a_body_that_is_not_json_is_a_415(app: &TestApp) {
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body("username=a&password=b")
        .send()
        .await
        .unwrap();
    expect_json(response, 415).await;
}

async fn a_body_over_64_kib_is_a_413(app: &TestApp) {
    let big = format!(
        "{{\"username\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(70 * 1024)
    );
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_json(response, 413).await;
}

/// Asserts the answer is a problem of `type` `/problems/<slug>` carrying the headers every
/// answer carries; returns the problem.
async fn expect_problem(response: reqwest::Response, status: u16, slug: &str) -> serde_json::Value {
    let headers = response.headers().clone();
    for name in [
        "x-request-id",
        "x-content-type-options",
        "x-frame-options",
        "content-security-policy",
    ] {
        assert!(
            headers.contains_key(name),
            "{status} lacks {name}: {headers:?}"
        );
    }
    let problem = expect_json(response, status).await;
    assert_eq!(problem["type"], format!("/problems/{slug}"), "{problem}");
    assert_eq!(problem["status"], status);
    problem
}

async fn an_unreadable_id_is_a_404_problem_that_does_not_echo_it(app: &TestApp) {
    let token = app.admin_token().await;
    for (path, echo) in [
        ("/api/v1/users/abc", "abc"),
        ("/api/v1/tickets/abc", "abc"),
        (
            "/api/v1/tickets/99999999999999999999",
            "99999999999999999999",
        ),
        ("/api/v1/enterprises/-0x1/clients", "0x1"),
    ] {
        let response = app
            .request(reqwest::Method::GET, path, Some(&token), None)
            .await;
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        let problem = expect_problem(response, 404, "not-found").await;
        let detail = problem["detail"].as_str().unwrap();
        assert!(!detail.contains(echo), "{path}: {detail}");
    }
}

async fn an_oversized_head_is_a_problem_like_any_other(app: &TestApp) {
    let long = format!("/api/v1/regions/{}", "4".repeat(20 * 1024));
    let response = app.get(&long).await;
    let problem = expect_problem(response, 414, "uri-too-long").await;
    assert!(problem["detail"].as_str().unwrap().len() < 200);
    let query = format!("/api/v1/regions?parent={}", "4".repeat(9 * 1024));
    expect_problem(app.get(&query).await, 414, "uri-too-long").await;

    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-padding", "a".repeat(40 * 1024))
        .send()
        .await
        .unwrap();
    expect_problem(response, 431, "request-header-fields-too-large").await;
    // Just under the limits is served.
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-padding", "a".repeat(16 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// Every problem `type` is a relative URI that the service itself describes.
async fn problem_types_resolve_to_their_description(app: &TestApp) {
    let all = app.get_json("/problems", 200).await;
    let all = all.as_array().unwrap();
    assert!(all.len() >= 14, "{all:?}");
    for kind in all {
        let uri = kind["type"].as_str().unwrap();
        assert!(uri.starts_with("/problems/"), "{uri}");
        let described = app.get_json(uri, 200).await;
        assert_eq!(&described, kind);
        assert!(kind["description"].as_str().unwrap().len() > 20, "{kind}");
    }
    // The types answers carry are among them, the framework's own included.
    for (path, status) in [("/api/v1/nothing-here", 404), ("/api/v1/me", 401)] {
        let problem = app.get_json(path, status).await;
        let described = app.get_json(problem["type"].as_str().unwrap(), 200).await;
        assert_eq!(described["status"], status);
    }
    let problem = app.get_json("/problems/no-such-type", 404).await;
    assert_eq!(problem["type"], "/problems/not-found");
}

both_backends!(
    unknown_route_is_a_404_problem,
    wrong_method_is_a_405_problem_with_allow,
    malformed_json_is_a_400_with_its_position,
    a_missing_field_is_a_422_naming_it,
    a_body_that_is_not_json_is_a_415,
    a_body_over_64_kib_is_a_413,
    an_unreadable_id_is_a_404_problem_that_does_not_echo_it,
    an_oversized_head_is_a_problem_like_any_other,
    problem_types_resolve_to_their_description,
);

/// The SQLite database and its write-ahead log hold password hashes and every ticket: only
/// their owner may read them. (SQLite only: PostgreSQL keeps its own files.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_files_are_private() {
    crate::helpers::run_test(
        enterprise_assist::db::Backend::Sqlite,
        sqlite_files_are_0600,
    )
    .await
}

async fn sqlite_files_are_0600(app: &TestApp) {
    use std::os::unix::fs::PermissionsExt;
    app.admin_token().await; // a write, so the log files exist
    let db = app.sqlite_file().unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", db.display());
        let mode = std::fs::metadata(&path)
            .expect("the file exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{path} has mode {:o}", mode & 0o777);
    }
}
