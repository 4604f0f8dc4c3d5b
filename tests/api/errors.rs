//! Failures the framework produces itself still answer problem documents.

use crate::both_backends;
use crate::helpers::{TestApp, expect_json};

async fn unknown_route_is_a_404_problem(app: &TestApp) {
    let problem = app.get_json("/api/v1/nothing-here", 404).await;
    assert_eq!(problem["title"], "Not Found");
    assert!(problem["type"].as_str().unwrap().ends_with("/not-found"));
    app.get_json("/", 404).await;
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

async fn a_non_numeric_id_is_a_404_problem(app: &TestApp) {
    let token = app.admin_token().await;
    let response = app
        .request(
            reqwest::Method::GET,
            "/api/v1/users/abc",
            Some(&token),
            None,
        )
        .await;
    expect_json(response, 404).await;
}

both_backends!(
    unknown_route_is_a_404_problem,
    wrong_method_is_a_405_problem_with_allow,
    malformed_json_is_a_400_with_its_position,
    a_missing_field_is_a_422_naming_it,
    a_body_that_is_not_json_is_a_415,
    a_body_over_64_kib_is_a_413,
    a_non_numeric_id_is_a_404_problem,
);
