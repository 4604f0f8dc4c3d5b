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

both_backends!(
    unknown_route_is_a_404_problem,
    wrong_method_is_a_405_problem_with_allow
);
