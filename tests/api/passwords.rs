//! Passwords and sessions: a password change ends every session of its user, users change
//! their own password, and a session has an absolute lifetime that refreshing does not extend.

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{
    PASSWORD, World, assert_bearer_401, assert_field_error, client_token, new_client,
};
use crate::helpers::{TestApp, expect_json};
use crate::revocation::{revoked_on_both, works_on_both};

const CHANGE: &str = "/api/v1/me/password";
const NEW_PASSWORD: &str = "a-brand-new-password";

async fn refresh(app: &TestApp, session: &Value, status: u16) -> Value {
    let body = json!({"refresh_token": session["refresh_token"]});
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(body),
        status,
    )
    .await
}

fn access(session: &Value) -> &str {
    session["access_token"].as_str().expect("an access token")
}

fn change(current: &str, new: &str) -> Option<Value> {
    Some(json!({"current_password": current, "new_password": new}))
}

/// An administrator's (or supervisor's) reset of a password ends every session of that user on
/// every instance: refresh tokens and access tokens alike.
async fn a_password_reset_ends_every_session(app: &TestApp) {
    let w = World::build(app).await;
    let other = app.spawn_sibling().await;
    let first = app.login("cadre.own", PASSWORD).await;
    let second = other.login("cadre.own", PASSWORD).await;
    let path = format!("/api/v1/users/{}", w.cadre.id());
    let body = json!({"password": NEW_PASSWORD});
    app.call(
        Method::PATCH,
        &path,
        Some(&w.sup_own.token),
        Some(body),
        200,
    )
    .await;
    for session in [&first, &second] {
        revoked_on_both(app, &other, access(session), "reset password").await;
        refresh(app, session, 401).await;
    }
    revoked_on_both(app, &other, &w.cadre.token, "reset password").await;
    let fresh = other.login("cadre.own", NEW_PASSWORD).await;
    works_on_both(app, &other, access(&fresh), "after the reset").await;
    other.stop().await;
}

/// `POST /me/password`: the current password is checked (and wrong guesses are throttled like
/// logins), the new one follows the usual rules; on success every other session ends and the
/// answer is a new session.
async fn users_change_their_own_password(app: &TestApp) {
    let w = World::build(app).await;
    let token = w.cadre.token.as_str();
    let elsewhere = app.login("cadre.own", PASSWORD).await;

    let wrong = app
        .call(
            Method::POST,
            CHANGE,
            Some(token),
            change("not-my-password", NEW_PASSWORD),
            422,
        )
        .await;
    assert_field_error(&wrong, "current_password");
    for new in ["short", PASSWORD] {
        let problem = app
            .call(
                Method::POST,
                CHANGE,
                Some(token),
                change(PASSWORD, new),
                422,
            )
            .await;
        assert_field_error(&problem, "new_password");
    }
    let missing = Some(json!({"new_password": NEW_PASSWORD}));
    app.call(Method::POST, CHANGE, Some(token), missing, 422)
        .await;
    app.call(
        Method::POST,
        CHANGE,
        None,
        change(PASSWORD, NEW_PASSWORD),
        401,
    )
    .await;
    let client = client_token(app, &new_client(app, &w.admin, &w.e1).await).await;
    app.call(
        Method::POST,
        CHANGE,
        Some(&client),
        change(PASSWORD, NEW_PASSWORD),
        403,
    )
    .await;
    // Nothing changed so far: the old password still logs in.
    app.login("cadre.own", PASSWORD).await;

    let session = app
        .call(
            Method::POST,
            CHANGE,
            Some(token),
            change(PASSWORD, NEW_PASSWORD),
            200,
        )
        .await;
    assert_eq!(session["token_type"], "Bearer");
    let me = app
        .call(Method::GET, "/api/v1/me", Some(access(&session)), None, 200)
        .await;
    assert_eq!(me["username"], "cadre.own");
    refresh(app, &session, 200).await;
    for old in [token, access(&elsewhere)] {
        let response = app
            .request(Method::GET, "/api/v1/me", Some(old), None)
            .await;
        assert_bearer_401(response, "a session from before the change").await;
    }
    refresh(app, &elsewhere, 401).await;
    let old = json!({"username": "cadre.own", "password": PASSWORD});
    app.call(Method::POST, "/api/v1/auth/login", None, Some(old), 401)
        .await;
    app.login("cadre.own", NEW_PASSWORD).await;
}

/// Wrong current passwords count like failed logins: past five, even the right one waits.
async fn wrong_current_passwords_are_throttled(app: &TestApp) {
    let w = World::build(app).await;
    let token = w.staff1.token.as_str();
    for _ in 0..5 {
        app.call(
            Method::POST,
            CHANGE,
            Some(token),
            change("not-my-password", NEW_PASSWORD),
            422,
        )
        .await;
    }
    let response = app
        .request(
            Method::POST,
            CHANGE,
            Some(token),
            change(PASSWORD, NEW_PASSWORD).as_ref(),
        )
        .await;
    assert!(response.headers().contains_key("retry-after"));
    expect_json(response, 429).await;
    // The guesses locked the login too, from this address.
    let login = json!({"username": "staff.one", "password": PASSWORD});
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(&login))
        .await;
    expect_json(response, 429).await;
}

/// Thirty days after a login its refresh tokens stop working, however often they were rotated.
async fn sessions_end_at_their_absolute_lifetime(app: &TestApp) {
    World::build(app).await;
    let mut session = app.login("cadre.own", PASSWORD).await;
    for _ in 0..2 {
        app.clock.advance(Duration::days(13));
        session = refresh(app, &session, 200).await;
    }
    app.clock.advance(Duration::days(4) - Duration::seconds(1));
    let last = refresh(app, &session, 200).await;
    app.clock.advance(Duration::seconds(2));
    refresh(app, &last, 401).await;
    // A new login starts a new session.
    let fresh = app.login("cadre.own", PASSWORD).await;
    refresh(app, &fresh, 200).await;
}

both_backends!(
    a_password_reset_ends_every_session,
    users_change_their_own_password,
    wrong_current_passwords_are_throttled,
    sessions_end_at_their_absolute_lifetime,
);
