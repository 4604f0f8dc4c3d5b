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

/// The exposition may not grow with what clients invent: methods outside the standard nine
/// share the label `other`, paths are counted by their route template, and paths no route
/// takes under one `unmatched`. The bound holds for the whole test process, whose recorder
/// every test shares.
const METRICS_BOUND_BYTES: usize = 2 * 1024 * 1024;

async fn metrics_stay_bounded_whatever_clients_send(app: &TestApp) {
    use futures_util::StreamExt;
    let token = app.admin_token().await;
    let requests = (0..10_000u32).map(|i| {
        let (method, path) = match i % 4 {
            0 => (format!("M{i}X"), format!("/api/v1/regions/{i}")),
            1 => (format!("INVENTED{i}"), format!("/nothing/{i}/here")),
            2 => ("GET".to_owned(), format!("/api/v1/tickets/{i}")),
            _ => ("GET".to_owned(), format!("/api/v1/nope{i}/x")),
        };
        let request = app
            .client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(&path),
            )
            .bearer_auth(&token);
        async move {
            let status = request.send().await.expect("request sent").status();
            assert!(status.is_client_error(), "{method} {path}: {status}");
        }
    });
    futures_util::stream::iter(requests)
        .buffer_unordered(16)
        .collect::<Vec<()>>()
        .await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(
        text.len() < METRICS_BOUND_BYTES,
        "/metrics holds {} bytes",
        text.len()
    );
    for invented in [
        "M4X\"",
        "INVENTED5\"",
        "/nothing/",
        "/api/v1/nope",
        "/api/v1/tickets/6\"",
    ] {
        assert!(!text.contains(invented), "{invented} became a label");
    }
    assert!(text.contains(r#"method="other",route="/api/v1/regions/{code}""#));
    assert!(text.contains(r#"route="unmatched""#));
    assert!(text.contains(r#"method="GET",route="/api/v1/tickets/{id}",status="404""#));
}

/// Every metric is described by a `# HELP` line.
async fn every_metric_has_help(app: &TestApp) {
    app.get("/api/v1/regions/411600").await;
    let text = app.get("/metrics").await.text().await.unwrap();
    let families: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split(' ').next())
        .collect();
    for name in [
        "http_requests_total",
        "http_request_duration_seconds",
        "db_pool_connections",
    ] {
        assert!(families.contains(&name), "{name} is missing");
    }
    for family in families {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("# HELP {family} "))),
            "{family} has no # HELP line"
        );
    }
}

both_backends!(
    health_and_readiness,
    request_ids_are_echoed_or_generated,
    metrics_count_requests_per_route,
    metrics_stay_bounded_whatever_clients_send,
    every_metric_has_help,
);

const METRICS_TOKEN: &str = "metrics-token-for-the-tests";

fn with_metrics_token(settings: &mut enterprise_assist::config::Settings) {
    settings.metrics_token = Some(enterprise_assist::config::Secret::new(METRICS_TOKEN));
}

mod token {
    use super::*;
    use crate::both_backends_with;

    /// With `METRICS_TOKEN` set, `/metrics` answers only to it, even on this host.
    async fn metrics_need_the_token_when_one_is_set(app: &TestApp) {
        let problem = app.get_json("/metrics", 401).await;
        assert_eq!(problem["type"], "/problems/unauthorized");
        let user = app.admin_token().await;
        let response = app
            .request(reqwest::Method::GET, "/metrics", Some(&user), None)
            .await;
        assert_eq!(
            response.status(),
            401,
            "a user's token is not the metrics token"
        );
        let response = app
            .request(reqwest::Method::GET, "/metrics", Some(METRICS_TOKEN), None)
            .await;
        assert_eq!(response.status(), 200);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("http_requests_total")
        );
    }

    both_backends_with!(with_metrics_token; metrics_need_the_token_when_one_is_set);
}

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
