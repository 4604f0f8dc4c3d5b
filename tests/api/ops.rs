use crate::both_backends;
use crate::helpers::TestApp;

async fn health_and_readiness(app: &TestApp) {
    assert_eq!(app.get_json("/healthz", 200).await["status"], "ok");
    assert_eq!(app.get_json("/readyz", 200).await["status"], "ready");
}

async fn request_ids_are_echoed_or_generated(app: &TestApp) {
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "abc-123");

    // An id that could forge a log line is replaced by a generated one.
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "a b\"c")
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "a b\"c");
    assert_eq!(id.len(), 36);
}

async fn metrics_count_requests_per_route(app: &TestApp) {
    app.get("/api/v1/regions/411600").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    assert!(
        text.contains(
            r#"http_requests_total{method="GET",route="/api/v1/regions/{code}",status="200"}"#
        ),
        "{text}"
    );
    assert!(text.contains("http_request_duration_seconds_bucket"));
    assert!(text.contains("db_pool_connections"));
}

both_backends!(
    health_and_readiness,
    request_ids_are_echoed_or_generated,
    metrics_count_requests_per_route,
);

/// With its database gone, the service says it is not ready (and does not hang). PostgreSQL
/// only: an embedded SQLite file cannot become unreachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_when_postgres_is_gone() {
    crate::helpers::run_test(
        enterprise_assist::db::Backend::Postgres,
        readiness_fails_without_a_database,
    )
    .await
}

async fn readiness_fails_without_a_database(app: &TestApp) {
    assert_eq!(app.get_json("/readyz", 200).await["status"], "ready");
    app.drop_database();
    let started = std::time::Instant::now();
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let problem = crate::helpers::expect_json(response, 503).await;
    assert!(
        !problem["detail"].as_str().unwrap().contains("5432"),
        "no connection details leak"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
