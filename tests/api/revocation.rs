//! Revocation takes effect at once: the next request with a token whose user was deactivated,
//! whose role or region changed, whose API client was revoked, whose enterprise was
//! deactivated or whose session logged out answers 401, at once on the instance that made the
//! change and within five seconds on another instance sharing the database.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{PASSWORD, World, assert_bearer_401, client_token, id, new_client, person};
use crate::helpers::TestApp;

/// How long another instance may take to learn of a revocation.
const WITHIN: Duration = Duration::from_secs(5);

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.request(Method::GET, "/api/v1/me", Some(token), None)
        .await
}

/// Asserts that `token` is accepted by both instances.
pub async fn works_on_both(a: &TestApp, b: &TestApp, token: &str, what: &str) {
    for app in [a, b] {
        assert_eq!(me(app, token).await.status(), 200, "{what}");
    }
}

/// Asserts that `token` answers 401 on `changed` (the instance that made the change) at once,
/// and on `other` within [`WITHIN`].
pub async fn revoked_on_both(changed: &TestApp, other: &TestApp, token: &str, what: &str) {
    assert_bearer_401(me(changed, token).await, what).await;
    let deadline = Instant::now() + WITHIN;
    loop {
        let status = me(other, token).await.status();
        if status == 401 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: still {status} on the other instance after {WITHIN:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_bearer_401(me(other, token).await, what).await;
}

async fn patch_user(app: &TestApp, admin: &str, user: &Value, body: Value) {
    let path = format!("/api/v1/users/{}", id(user));
    app.call(Method::PATCH, &path, Some(admin), Some(body), 200)
        .await;
}

/// Deactivation, a role change and a region change each end the user's tokens; a token of the
/// new facts (from a refresh or a login) carries them.
async fn user_changes_revoke_tokens_on_every_instance(app: &TestApp) {
    let other = app.spawn_sibling().await;
    let admin = app.admin_token().await;
    let region = |code: &str| json!({ "region_code": code });
    let leaving = person(app, &admin, "leaving.cadre", "cadre", region("411602")).await;
    let promoted = person(app, &admin, "promoted.cadre", "cadre", region("411602")).await;
    let moved = person(app, &admin, "moved.sup", "supervisor", region("411600")).await;
    let moved_session = other.login("moved.sup", PASSWORD).await;
    let moved_token = moved_session["access_token"].as_str().unwrap();
    let stats = "/api/v1/stats?region=411600";
    app.call(Method::GET, stats, Some(moved_token), None, 200)
        .await;
    for (person, what) in [
        (&leaving, "deactivated"),
        (&promoted, "role"),
        (&moved, "region"),
    ] {
        works_on_both(app, &other, &person.token, what).await;
    }

    patch_user(app, &admin, &leaving.user, json!({"active": false})).await;
    revoked_on_both(app, &other, &leaving.token, "deactivated user").await;
    patch_user(app, &admin, &promoted.user, json!({"role": "supervisor"})).await;
    revoked_on_both(app, &other, &promoted.token, "role change").await;
    // The case: a supervisor moved from Zhoukou to Zhengzhou kept reading Zhoukou.
    patch_user(app, &admin, &moved.user, region("410100")).await;
    revoked_on_both(app, &other, &moved.token, "region change").await;
    revoked_on_both(app, &other, moved_token, "region change, other session").await;

    // The session itself lives on: a refresh hands out a token of the new region.
    let body = json!({"refresh_token": moved_session["refresh_token"]});
    let refreshed = other
        .call(Method::POST, "/api/v1/auth/refresh", None, Some(body), 200)
        .await;
    let fresh = refreshed["access_token"].as_str().unwrap();
    works_on_both(app, &other, fresh, "refreshed after the move").await;
    app.call(Method::GET, stats, Some(fresh), None, 404).await;
    let zhengzhou = "/api/v1/stats?region=410100";
    other
        .call(Method::GET, zhengzhou, Some(fresh), None, 200)
        .await;
    other.stop().await;
}

/// A revoked client's tokens end; deactivating an enterprise ends its staff's and clients'.
async fn revoked_clients_and_deactivated_enterprises_lose_their_tokens(app: &TestApp) {
    let w = World::build(app).await;
    let other = app.spawn_sibling().await;
    let client = new_client(app, &w.admin, &w.e1).await;
    let revoked = client_token(&other, &client).await;
    let kept = new_client(app, &w.admin, &w.e1).await;
    let kept_token = client_token(app, &kept).await;
    works_on_both(app, &other, &revoked, "client").await;

    let path = format!(
        "/api/v1/enterprises/{}/clients/{}",
        id(&w.e1),
        client["client_id"].as_str().unwrap()
    );
    app.call(Method::DELETE, &path, Some(&w.staff1.token), None, 204)
        .await;
    revoked_on_both(app, &other, &revoked, "revoked client").await;
    works_on_both(app, &other, &kept_token, "the enterprise's other client").await;

    let path = format!("/api/v1/enterprises/{}", id(&w.e1));
    let body = json!({"active": false});
    other
        .call(Method::PATCH, &path, Some(&w.admin), Some(body), 200)
        .await;
    revoked_on_both(
        &other,
        app,
        &w.staff1.token,
        "deactivated enterprise's staff",
    )
    .await;
    revoked_on_both(&other, app, &kept_token, "deactivated enterprise's client").await;
    works_on_both(app, &other, &w.staff2.token, "another enterprise's staff").await;
    other.stop().await;
}

/// Logging out ends the access tokens of that session, and only of that one; so does the reuse
/// of a spent refresh token, which revokes its family.
async fn logout_and_refresh_reuse_end_their_session_everywhere(app: &TestApp) {
    let w = World::build(app).await;
    let other = app.spawn_sibling().await;
    let leaving = app.login("cadre.own", PASSWORD).await;
    let staying = other.login("cadre.own", PASSWORD).await;
    let leaving_token = leaving["access_token"].as_str().unwrap();
    let staying_token = staying["access_token"].as_str().unwrap();
    works_on_both(app, &other, leaving_token, "before logout").await;

    let body = json!({"refresh_token": leaving["refresh_token"]});
    app.call(Method::POST, "/api/v1/auth/logout", None, Some(body), 204)
        .await;
    revoked_on_both(app, &other, leaving_token, "logged-out session").await;
    works_on_both(app, &other, staying_token, "another session").await;
    works_on_both(app, &other, &w.cadre.token, "the fixture's session").await;

    let refresh = |token: &Value| json!({"refresh_token": token});
    let rotated = other
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(refresh(&staying["refresh_token"])),
            200,
        )
        .await;
    let rotated_token = rotated["access_token"].as_str().unwrap();
    works_on_both(app, &other, rotated_token, "rotated").await;
    // The spent token again: theft, so the whole family ends, its access tokens too.
    other
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(refresh(&staying["refresh_token"])),
            401,
        )
        .await;
    revoked_on_both(&other, app, rotated_token, "family revoked on reuse").await;
    other.stop().await;
}

both_backends!(
    user_changes_revoke_tokens_on_every_instance,
    revoked_clients_and_deactivated_enterprises_lose_their_tokens,
    logout_and_refresh_reuse_end_their_session_everywhere,
);
