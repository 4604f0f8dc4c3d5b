//! Security headers on every answer, CORS off unless configured, and an audit trail that the
//! database itself keeps append-only.

use diesel::RunQueryDsl;
use enterprise_assist::config::Settings;
use enterprise_assist::db::DbError;
use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::fixtures::World;
use crate::helpers::TestApp;

const APP_ORIGIN: &str = "https://app.example.cn";

fn assert_security_headers(response: &reqwest::Response, what: &str) {
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(headers["x-frame-options"], "DENY", "{what}");
    assert_eq!(headers["referrer-policy"], "no-referrer", "{what}");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
}

fn cache_control(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap())
}

/// Every kind of answer carries the headers; what a token opened, or a token itself, is never
/// stored by a cache; public answers may be.
async fn security_headers_on_every_answer(app: &TestApp) {
    let admin = app.admin_token().await;
    let public = app.get("/api/v1/regions/411600").await;
    assert_security_headers(&public, "public");
    assert_eq!(cache_control(&public), None);

    let missing = app.get("/no/such/path").await;
    assert_eq!(missing.status(), 404);
    assert_security_headers(&missing, "404");

    let unauthorized = app.get("/api/v1/me").await;
    assert_eq!(unauthorized.status(), 401);
    assert_security_headers(&unauthorized, "401");

    let mine = app
        .request(Method::GET, "/api/v1/me", Some(&admin), None)
        .await;
    assert_security_headers(&mine, "authenticated");
    assert_eq!(cache_control(&mine), Some("no-store"));

    let body = json!({"username": "admin", "password": "wrong password here"});
    let login = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(&body))
        .await;
    assert_eq!(login.status(), 401);
    assert_eq!(cache_control(&login), Some("no-store"));

    let bad_json = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
    assert_security_headers(&bad_json, "400");
}

/// Without `CORS_ORIGINS` no answer grants a browser origin anything.
async fn cors_is_off_by_default(app: &TestApp) {
    let response = app
        .client
        .get(app.url("/api/v1/regions/411600"))
        .header("origin", APP_ORIGIN)
        .send()
        .await
        .unwrap();
    assert!(
        !response
            .headers()
            .contains_key("access-control-allow-origin")
    );
    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/me"))
        .header("origin", APP_ORIGIN)
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(
        !preflight
            .headers()
            .contains_key("access-control-allow-origin")
    );
}

/// Each database refuses to change or remove an event, whatever the connection's rights.
async fn ticket_events_are_append_only(app: &TestApp) {
    let world = World::build(app).await;
    let body = json!({"category": "land", "title": "用地", "description": "需新增工业用地。"});
    app.call(
        Method::POST,
        "/api/v1/tickets",
        Some(&world.staff1.token),
        Some(body),
        201,
    )
    .await;
    let count = || {
        app.db.run(|c| {
            #[derive(diesel::QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let counted: Count =
                diesel::sql_query("SELECT COUNT(*) AS n FROM ticket_events").get_result(c)?;
            Ok::<_, DbError>(counted.n)
        })
    };
    let before = count().await.unwrap();
    assert!(before >= 1);
    for statement in [
        "UPDATE ticket_events SET action = 'forged'",
        "DELETE FROM ticket_events",
    ] {
        let refused = app
            .db
            .run(move |c| {
                diesel::sql_query(statement)
                    .execute(c)
                    .map_err(DbError::from)
            })
            .await;
        let error = refused.expect_err(statement).to_string();
        assert!(error.contains("append-only"), "{statement}: {error}");
    }
    assert_eq!(count().await.unwrap(), before);
}

/// A NUL character (which PostgreSQL refuses mid-query) is turned away wherever it comes: in a
/// path parameter, a query parameter or a JSON field.
async fn nul_characters_are_refused_everywhere(app: &TestApp) {
    let admin = app.admin_token().await;
    let body = json!({"name": "x"});
    let path = app
        .request(
            Method::PATCH,
            "/api/v1/categories/a%00b",
            Some(&admin),
            Some(&body),
        )
        .await;
    crate::helpers::expect_json(path, 400).await;
    let query = app
        .request(
            Method::GET,
            "/api/v1/tickets?category=a%00",
            Some(&admin),
            None,
        )
        .await;
    crate::helpers::expect_json(query, 400).await;
    let login = json!({"username": "a\u{0}b", "password": "any password at all"});
    let problem = app
        .call(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"client_id": "a\u{0}b", "client_secret": "s"})),
            422,
        )
        .await;
    crate::fixtures::assert_field_error(&problem, "client_id");
    app.call(Method::POST, "/api/v1/auth/login", None, Some(login), 422)
        .await;
}

both_backends!(
    security_headers_on_every_answer,
    cors_is_off_by_default,
    ticket_events_are_append_only,
    nul_characters_are_refused_everywhere
);

fn with_cors(settings: &mut Settings) {
    settings.limits.cors_origins = vec![APP_ORIGIN.to_owned()];
}

/// A configured origin passes its preflight and reads answers; any other origin is refused.
async fn cors_admits_configured_origins_only(app: &TestApp) {
    let preflight = |origin: &'static str| {
        app.client
            .request(Method::OPTIONS, app.url("/api/v1/me"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let allowed = preflight(APP_ORIGIN).await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(allowed.headers()["access-control-allow-origin"], APP_ORIGIN);
    let refused = preflight("https://evil.example").await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(
        !refused
            .headers()
            .contains_key("access-control-allow-origin")
    );
    assert_security_headers(&refused, "refused preflight");
    crate::helpers::expect_json(refused, 400).await;

    let simple = app
        .client
        .get(app.url("/api/v1/regions/411600"))
        .header("origin", APP_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(simple.headers()["access-control-allow-origin"], APP_ORIGIN);
}

mod cors {
    use super::*;
    crate::both_backends_with!(with_cors; cors_admits_configured_origins_only);
}
