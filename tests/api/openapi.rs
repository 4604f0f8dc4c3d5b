//! `openapi.yaml` is what the server does: the document generated from the registered routes
//! must equal the committed file, the server serves that file, and every operation it lists
//! is routed.

use enterprise_assist::openapi;
use serde_json::Value;

use crate::both_backends;
use crate::helpers::TestApp;

#[test]
fn committed_file_matches_the_routes() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml at the repository root");
    let generated = openapi::yaml();
    assert!(
        committed == generated,
        "openapi.yaml differs from the routes; regenerate it with \
         `cargo run -- openapi > openapi.yaml` and review the diff"
    );
}

async fn serves_the_committed_file(app: &TestApp) {
    let response = app.get("/openapi.yaml").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/yaml");
    let served = response.text().await.unwrap();
    assert_eq!(served, enterprise_assist::routes::OPENAPI_YAML);
    let doc: Value = serde_norway::from_str(&served).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
}

/// Calls every documented operation with placeholder parameters; none may meet the
/// "no such route" answers (404 from the route table, 405).
async fn every_documented_operation_is_routed(app: &TestApp) {
    let doc: Value = serde_norway::from_str(enterprise_assist::routes::OPENAPI_YAML).unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "1" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app
                .client
                .request(method.clone(), app.url(&concrete))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert_ne!(status, 405, "{method} {path} is documented but not routed");
            assert!(
                !body.contains("no resource at"),
                "{method} {path} is documented but not routed"
            );
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} operations found");
}

both_backends!(
    serves_the_committed_file,
    every_documented_operation_is_routed
);

fn one_request_a_minute(settings: &mut enterprise_assist::config::Settings) {
    settings.limits.rate_limit_requests = 1;
    settings.limits.rate_limit_window_secs = 60;
}

/// Past the rate limit every operation but the probes answers 429, and each documents it
/// with its Retry-After; the probes are never limited and do not.
async fn every_rate_limited_operation_documents_429(app: &TestApp) {
    let doc: Value = serde_norway::from_str(enterprise_assist::routes::OPENAPI_YAML).unwrap();
    app.get("/api/v1/regions/411600").await; // spends the anonymous budget
    let mut limited = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "1" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        for (method, operation) in item.as_object().unwrap() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let status = app
                .client
                .request(method.clone(), app.url(&concrete))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            let documented = &operation["responses"]["429"];
            if status == 429 {
                assert!(
                    documented.is_object(),
                    "{method} {path} answers 429 undocumented"
                );
                assert!(
                    documented["headers"]["Retry-After"].is_object(),
                    "{method} {path}: 429 without Retry-After"
                );
                limited += 1;
            } else {
                assert!(
                    ["/healthz", "/readyz", "/metrics"].contains(&path.as_str()),
                    "{method} {path} was not limited ({status})"
                );
                assert!(
                    documented.is_null(),
                    "{method} {path} documents a 429 it never answers"
                );
            }
        }
    }
    assert!(limited >= 40, "only {limited} operations");
}

mod limited {
    use super::*;
    crate::both_backends_with!(one_request_a_minute; every_rate_limited_operation_documents_429);
}
