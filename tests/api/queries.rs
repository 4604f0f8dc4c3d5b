//! Query strings: a parameter an operation does not read answers 400 naming it (a misspelt
//! filter must not return everything), and no date or time in a query, a cursor included, can
//! reach the database outside the range it stores (PostgreSQL answered 500 for those).

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::TestApp;

/// GET `path` as the administrator, expecting a 400 whose detail names `needle`.
async fn refused_naming(app: &TestApp, token: &str, path: &str, needle: &str) {
    let problem = app.call(Method::GET, path, Some(token), None, 400).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains(needle), "{path}: {detail}");
}

async fn a_misspelt_filter_is_refused_naming_it(app: &TestApp) {
    let token = app.admin_token().await;
    refused_naming(app, &token, "/api/v1/tickets?stauts=closed", "`stauts`").await;
    // Not built yet: refused rather than silently ignored.
    refused_naming(app, &token, "/api/v1/tickets?q=land", "`q`").await;
    refused_naming(app, &token, "/api/v1/stats?as_of=2026-01-01", "`as_of`").await;
    refused_naming(app, &token, "/api/v1/stats/trend?as_of=2026-01", "`as_of`").await;
    refused_naming(app, &token, "/api/v1/regions?parnt=411600", "`parnt`").await;
    // Every unknown name is named, and the known ones are listed.
    let problem = app
        .call(
            Method::GET,
            "/api/v1/enterprises?regoin=411600&actve=true&limit=5",
            Some(&token),
            None,
            400,
        )
        .await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("`regoin`") && detail.contains("`actve`"),
        "{detail}"
    );
    assert!(
        detail.contains("`region`"),
        "the known names are listed: {detail}"
    );
    // The known ones still work.
    app.call(
        Method::GET,
        "/api/v1/tickets?status=closed",
        Some(&token),
        None,
        200,
    )
    .await;
}

/// Every documented operation that reads a query string refuses one it does not know.
async fn every_operation_with_a_query_refuses_unknown_parameters(app: &TestApp) {
    let token = app.admin_token().await;
    let doc: Value = serde_norway::from_str(enterprise_assist::routes::OPENAPI_YAML).unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        let reads_query = get["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        if !reads_query {
            continue;
        }
        let concrete = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "1" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let url = format!("{concrete}?zz_unknown=1");
        refused_naming(app, &token, &url, "`zz_unknown`").await;
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} operations read a query");
}

async fn extreme_dates_are_a_400(app: &TestApp) {
    let token = app.admin_token().await;
    for query in [
        "filed_from=-200000-01-01",
        "filed_to=-200000-01-01",
        "filed_from=+275760-09-13",
        "filed_to=+200000-12-31",
        "filed_from=0000-12-31",
    ] {
        let path = format!("/api/v1/tickets?{query}");
        refused_naming(app, &token, &path, "filed_").await;
    }
    // Months of statistics: refused or answered, never a 500.
    for path in ["/api/v1/stats", "/api/v1/stats/trend"] {
        for query in [
            "from=-200000-01",
            "from=+20000-01",
            "from=0000-01&to=0000-12",
            "from=9999-01&to=9999-12",
            "from=0001-01&to=0001-01",
        ] {
            let url = format!("{path}?{query}");
            let response = app.request(Method::GET, &url, Some(&token), None).await;
            let status = response.status().as_u16();
            assert!(status == 200 || status == 400, "{url}: {status}");
        }
    }
    // The edges of the range are fine.
    app.call(
        Method::GET,
        "/api/v1/tickets?filed_from=0001-01-01&filed_to=9999-12-31",
        Some(&token),
        None,
        200,
    )
    .await;
}

async fn a_cursor_with_an_extreme_date_is_a_400(app: &TestApp) {
    let token = app.admin_token().await;
    for at in [
        "-200000-01-01T00:00:00",
        "+275760-09-13T00:00:00",
        "0000-12-31T23:59:59",
    ] {
        for sort in ["filed", "due"] {
            let key = serde_json::to_vec(&json!([sort, at, 1])).unwrap();
            let cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key);
            let path = format!("/api/v1/tickets?sort={sort}&cursor={cursor}");
            refused_naming(app, &token, &path, "cursor").await;
        }
    }
}

both_backends!(
    a_misspelt_filter_is_refused_naming_it,
    every_operation_with_a_query_refuses_unknown_parameters,
    extreme_dates_are_a_400,
    a_cursor_with_an_extreme_date_is_a_400,
);
