//! The web app and the API documentation, served from the binary's embedded files with a
//! strict Content-Security-Policy, and the web session whose refresh token no script can read.

use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, ETAG, IF_NONE_MATCH, SET_COOKIE,
};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp};

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

/// The pages load only their own files: no inline script anywhere, in the header or the page.
async fn the_app_and_the_docs_are_served_with_a_strict_policy(app: &TestApp) {
    for (path, kind) in [
        ("/", "text/html"),
        ("/docs", "text/html"),
        ("/docs/init.js", "javascript"),
        ("/app/main.js", "javascript"),
    ] {
        let response = get(app, path).await;
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert!(
            headers[CONTENT_TYPE].to_str().unwrap().contains(kind),
            "{path}"
        );
        let policy = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_else(|| panic!("{path}: no script-src in {policy}"));
        assert_eq!(scripts.trim(), "script-src 'self'", "{path}");
        assert!(policy.contains("frame-ancestors 'none'"), "{path}");
        let body = response.text().await.unwrap();
        if kind == "text/html" {
            for tag in body.split("<script").skip(1) {
                let open = &tag[..tag.find('>').unwrap()];
                assert!(
                    open.contains("src="),
                    "{path}: an inline script: <script{open}>"
                );
            }
            assert!(
                !body.contains(" onclick=") && !body.contains(" onload="),
                "{path}"
            );
        }
    }
    // Revalidated by hash: the same file again costs a 304 and no body.
    let first = get(app, "/").await;
    let etag = first.headers()[ETAG].clone();
    let again = app
        .client
        .get(app.url("/"))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
    // Only the app's and the documentation's files, nothing else of the folder or the disk.
    for path in [
        "/app/missing.js",
        "/README.md",
        "/vendor.sh",
        "/app/../Cargo.toml",
        "/app/%2e%2e/Cargo.toml",
    ] {
        let response = get(app, path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(
            response.headers()[CONTENT_TYPE],
            "application/problem+json",
            "{path}"
        );
    }
}

/// The `ea_refresh` cookie of a response, as `name=value`, and its attributes.
fn refresh_cookie(response: &reqwest::Response) -> (String, String) {
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("ea_refresh="))
        .expect("the refresh token's cookie is set");
    let (pair, attributes) = cookie.split_once(';').unwrap();
    (pair.to_owned(), attributes.to_owned())
}

async fn post(app: &TestApp, path: &str, cookie: Option<&str>, body: Value) -> reqwest::Response {
    let mut request = app.client.post(app.url(path)).json(&body);
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    request.send().await.unwrap()
}

/// A page logs in with `refresh_cookie`: the refresh token lives in an HttpOnly, same-site
/// cookie for the auth endpoints only, rotates with each refresh, and dies with the logout.
async fn a_web_session_keeps_its_refresh_token_in_an_http_only_cookie(app: &TestApp) {
    app.admin_token().await;
    let login =
        json!({"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD, "refresh_cookie": true});
    let response = post(app, "/api/v1/auth/login", None, login.clone()).await;
    assert_eq!(response.status(), 200);
    let (first, attributes) = refresh_cookie(&response);
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth/"] {
        assert!(attributes.contains(attribute), "{attributes}");
    }
    let body: Value = response.json().await.unwrap();
    assert!(
        body.get("refresh_token").is_none(),
        "no script sees it: {body}"
    );
    // Refreshed from the cookie alone: a new access token and a new cookie.
    let response = post(app, "/api/v1/auth/refresh", Some(&first), json!({})).await;
    assert_eq!(response.status(), 200);
    let (second, _) = refresh_cookie(&response);
    assert_ne!(first, second);
    let body: Value = response.json().await.unwrap();
    assert!(body.get("refresh_token").is_none(), "{body}");
    let token = body["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/me").as_(token).expect(200).await;
    assert_eq!(me["username"], ADMIN_USERNAME);
    // The spent cookie presented again is a leak: refused, and the family revoked.
    let reused = post(app, "/api/v1/auth/refresh", Some(&first), json!({})).await;
    assert_eq!(reused.status(), 401);
    let after = post(app, "/api/v1/auth/refresh", Some(&second), json!({})).await;
    assert_eq!(
        after.status(),
        401,
        "the rightful holder's newest token went with it"
    );
    // Logging out clears the cookie and ends the session.
    let response = post(app, "/api/v1/auth/login", None, login).await;
    let (third, _) = refresh_cookie(&response);
    let response = post(app, "/api/v1/auth/logout", Some(&third), json!({})).await;
    assert_eq!(response.status(), 204);
    let (cleared, attributes) = refresh_cookie(&response);
    assert_eq!(cleared, "ea_refresh=");
    assert!(attributes.contains("Max-Age=0"), "{attributes}");
    let response = post(app, "/api/v1/auth/refresh", Some(&third), json!({})).await;
    assert_eq!(response.status(), 401);
    // Neither a body token nor a cookie: a clear problem.
    let response = post(app, "/api/v1/auth/refresh", None, json!({})).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "refresh_token", "{problem}");
}

both_backends!(
    the_app_and_the_docs_are_served_with_a_strict_policy,
    a_web_session_keeps_its_refresh_token_in_an_http_only_cookie,
);
