//! Login, refresh-token rotation, logout, the login throttle and bearer-token validation.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use enterprise_assist::clock::Clock;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{
    PASSWORD, assert_bearer_401, assert_field_error, assert_no_secrets, id, new_user,
};
use crate::helpers::{
    ADMIN_PASSWORD, ADMIN_USERNAME, JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET, TestApp, expect_json,
};

const LOGIN: &str = "/api/v1/auth/login";

/// Asserts the shape of a login or refresh answer.
fn assert_token_pair(tokens: &Value) {
    assert_eq!(tokens["token_type"], "Bearer", "{tokens}");
    assert_eq!(tokens["expires_in"], 900, "{tokens}");
    for key in ["access_token", "refresh_token"] {
        assert!(
            tokens[key].as_str().is_some_and(|t| !t.is_empty()),
            "{key} in {tokens}"
        );
    }
}

async fn refresh(app: &TestApp, refresh_token: &Value, status: u16) -> Value {
    let body = json!({ "refresh_token": refresh_token });
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(body),
        status,
    )
    .await
}

async fn me(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    app.request(Method::GET, "/api/v1/me", token, None).await
}

/// The claims of a JWT, read without checking it.
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

async fn login_issues_tokens_and_me_names_the_caller(app: &TestApp) {
    app.admin_token().await;
    let tokens = app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
    assert_token_pair(&tokens);
    let access = tokens["access_token"].as_str().unwrap();
    let me = expect_json(me(app, Some(access)).await, 200).await;
    assert_eq!(me["username"], ADMIN_USERNAME);
    assert_eq!(me["role"], "admin");
    assert_eq!(me["active"], true);
    assert_no_secrets(&me);

    let claims = claims_of(access);
    assert_eq!(claims["sub"], id(&me), "sub is the user id as a string");
    assert_eq!(claims["role"], "admin");
    assert_eq!(claims["iss"], JWT_ISSUER);
    assert!(claims["aud"] == JWT_AUDIENCE || claims["aud"] == json!([JWT_AUDIENCE]));
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 900);

    for (body, missing) in [
        (json!({ "username": ADMIN_USERNAME }), "password"),
        (json!({ "password": ADMIN_PASSWORD }), "username"),
    ] {
        let problem = app.call(Method::POST, LOGIN, None, Some(body), 422).await;
        assert_field_error(&problem, missing);
    }
}

/// A wrong password, an unknown user and a deactivated one must be indistinguishable, so
/// usernames cannot be probed.
async fn failed_logins_look_alike_and_deactivation_ends_sessions(app: &TestApp) {
    let admin = app.admin_token().await;
    let region = json!({ "region_code": "411602" });
    let leaving = new_user(app, &admin, "leaving.cadre", "cadre", region).await;
    let session = app.login("leaving.cadre", PASSWORD).await;
    let path = format!("/api/v1/users/{}", id(&leaving));
    let body = json!({ "active": false });
    let patched = app
        .call(Method::PATCH, &path, Some(&admin), Some(body), 200)
        .await;
    assert_eq!(patched["active"], false);

    let mut details = Vec::new();
    for (username, password) in [
        (ADMIN_USERNAME, "wrong-password-000"),
        ("nobody.here", PASSWORD),
        ("leaving.cadre", PASSWORD),
    ] {
        let body = json!({ "username": username, "password": password });
        let problem = app.call(Method::POST, LOGIN, None, Some(body), 401).await;
        assert_eq!(problem["status"], 401);
        details.push(problem["detail"].as_str().unwrap().to_owned());
    }
    assert!(details.iter().all(|d| *d == details[0]), "{details:?}");

    refresh(app, &session["refresh_token"], 401).await;
}

async fn repeated_failures_lock_the_username_for_a_while(app: &TestApp) {
    let admin = app.admin_token().await;
    new_user(
        app,
        &admin,
        "target.user",
        "cadre",
        json!({ "region_code": "411602" }),
    )
    .await;
    let wrong = json!({ "username": "target.user", "password": "not-the-password" });
    for _ in 0..5 {
        app.call(Method::POST, LOGIN, None, Some(wrong.clone()), 401)
            .await;
    }
    // Locked now, even for the right password.
    let right = json!({ "username": "target.user", "password": PASSWORD });
    let response = app.request(Method::POST, LOGIN, None, Some(&right)).await;
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .expect("an integer Retry-After");
    assert!(
        (1..=900).contains(&retry_after),
        "Retry-After {retry_after}"
    );
    assert_eq!(expect_json(response, 429).await["status"], 429);

    // The lock is per username: others still log in.
    app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
    app.clock
        .advance(Duration::minutes(15) + Duration::seconds(1));
    assert_token_pair(&app.login("target.user", PASSWORD).await);
}

async fn refresh_rotates_and_reuse_revokes_the_family(app: &TestApp) {
    app.admin_token().await;
    let first = app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
    let other_session = app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;

    let rotated = refresh(app, &first["refresh_token"], 200).await;
    assert_token_pair(&rotated);
    assert_ne!(rotated["refresh_token"], first["refresh_token"]);
    let access = rotated["access_token"].as_str().unwrap();
    expect_json(me(app, Some(access)).await, 200).await;

    // Replaying the spent token looks like theft: the whole chain dies, its newest token too.
    refresh(app, &first["refresh_token"], 401).await;
    refresh(app, &rotated["refresh_token"], 401).await;
    // Another login's chain is not that family.
    assert_token_pair(&refresh(app, &other_session["refresh_token"], 200).await);
    refresh(app, &json!("no-such-refresh-token"), 401).await;
}

async fn logout_spends_the_refresh_token(app: &TestApp) {
    app.admin_token().await;
    let session = app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
    for token in [
        session["refresh_token"].clone(),
        json!("no-such-refresh-token"),
    ] {
        let body = json!({ "refresh_token": token });
        let response = app
            .request(Method::POST, "/api/v1/auth/logout", None, Some(&body))
            .await;
        assert_eq!(response.status(), 204);
        assert_eq!(response.text().await.unwrap(), "");
    }
    refresh(app, &session["refresh_token"], 401).await;
}

/// HS256 with `secret` over `claims`.
fn sign(claims: &Value, secret: &str) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes());
    encode(&Header::new(Algorithm::HS256), claims, &key).unwrap()
}

/// An unsigned token, which must never be accepted.
fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.")
}

async fn me_rejects_forged_and_stale_tokens(app: &TestApp) {
    let admin = app.admin_token().await;
    let sub = id(&expect_json(me(app, Some(&admin)).await, 200).await);
    let now = app.clock.now().and_utc().timestamp();
    let claims = |iat: i64, exp: i64, aud: &str| json!({"sub": sub, "role": "admin", "iss": JWT_ISSUER, "aud": aud, "iat": iat, "exp": exp});
    let valid = claims(now, now + 600, JWT_AUDIENCE);
    let bad = [
        ("no token", None),
        ("garbage", Some("garbage".to_owned())),
        (
            "another secret",
            Some(sign(&valid, "another-secret-that-is-32-bytes-long!!")),
        ),
        ("alg none", Some(unsigned(&valid))),
        (
            "expired",
            Some(sign(
                &claims(now - 3600, now - 1800, JWT_AUDIENCE),
                JWT_SECRET,
            )),
        ),
        (
            "other audience",
            Some(sign(&claims(now, now + 600, "someone-else"), JWT_SECRET)),
        ),
    ];
    for (what, token) in bad {
        assert_bearer_401(me(app, token.as_deref()).await, what).await;
    }
    // The same claims signed properly pass, so each rejection above is for what it changed.
    let forged = sign(&valid, JWT_SECRET);
    let me = expect_json(me(app, Some(&forged)).await, 200).await;
    assert_eq!(me["username"], ADMIN_USERNAME);
}

async fn access_tokens_expire_after_fifteen_minutes(app: &TestApp) {
    let admin = app.admin_token().await;
    app.clock.advance(Duration::minutes(14));
    expect_json(me(app, Some(&admin)).await, 200).await;
    app.clock.advance(Duration::minutes(2));
    let problem = expect_json(me(app, Some(&admin)).await, 401).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("expired") && detail.contains("POST /api/v1/auth/refresh"),
        "{detail}"
    );
    assert_bearer_401(me(app, Some(&admin)).await, "expired by the clock").await;
}

/// RFC 7235: the scheme name is case-insensitive.
async fn the_bearer_scheme_is_matched_in_any_case(app: &TestApp) {
    let admin = app.admin_token().await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let response = app
            .client
            .get(app.url("/api/v1/me"))
            .header("authorization", format!("{scheme} {admin}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{scheme}");
    }
    let response = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", format!("Basic {admin}"))
        .send()
        .await
        .unwrap();
    assert_bearer_401(response, "another scheme").await;
}

both_backends!(
    login_issues_tokens_and_me_names_the_caller,
    failed_logins_look_alike_and_deactivation_ends_sessions,
    repeated_failures_lock_the_username_for_a_while,
    refresh_rotates_and_reuse_revokes_the_family,
    logout_spends_the_refresh_token,
    me_rejects_forged_and_stale_tokens,
    access_tokens_expire_after_fifteen_minutes,
    the_bearer_scheme_is_matched_in_any_case,
);
