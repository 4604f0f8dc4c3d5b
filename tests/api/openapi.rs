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
