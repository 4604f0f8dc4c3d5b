//! A deactivated enterprise is out entirely: no logins, refreshes or client tokens, no new
//! accounts or clients, its tokens end; its open tickets stay open and say so.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{
    PASSWORD, World, assert_bearer_401, client_token, exchange, id, new_client, user_body,
};
use crate::helpers::TestApp;

async fn set_active(app: &TestApp, admin: &str, enterprise: &Value, active: bool) {
    let path = format!("/api/v1/enterprises/{}", id(enterprise));
    let body = json!({ "active": active });
    let changed = app
        .call(Method::PATCH, &path, Some(admin), Some(body), 200)
        .await;
    assert_eq!(changed["active"], active);
}

async fn file(app: &TestApp, token: &str) -> Value {
    let body = json!({"category": "land", "title": "用地", "description": "需新增工业用地。"});
    app.call(
        Method::POST,
        "/api/v1/tickets",
        Some(token),
        Some(body),
        201,
    )
    .await
}

/// The ids of the tickets a list answers.
async fn listed(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let page = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets{query}"),
            Some(token),
            None,
            200,
        )
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].clone())
        .collect()
}

async fn deactivated_enterprises_are_out_entirely(app: &TestApp) {
    let w = World::build(app).await;
    let session = app.login("staff.one", PASSWORD).await;
    let client = new_client(app, &w.admin, &w.e1).await;
    let client_access = client_token(app, &client).await;
    let ticket = file(app, &w.staff1.token).await;
    let foreign = file(app, &w.staff2.token).await;
    assert_eq!(ticket["enterprise_active"], true, "{ticket}");

    set_active(app, &w.admin, &w.e1, false).await;
    for (token, what) in [
        (w.staff1.token.as_str(), "staff"),
        (client_access.as_str(), "client"),
    ] {
        let response = app
            .request(Method::GET, "/api/v1/me", Some(token), None)
            .await;
        assert_bearer_401(response, what).await;
    }
    let login = json!({"username": "staff.one", "password": PASSWORD});
    let refused = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(login), 401)
        .await;
    assert_eq!(refused["detail"], "invalid username or password");
    let body = json!({"refresh_token": session["refresh_token"]});
    app.call(Method::POST, "/api/v1/auth/refresh", None, Some(body), 401)
        .await;
    exchange(app, &client["client_id"], &client["client_secret"], 401).await;

    // Nothing new for it, from anyone.
    let staff = user_body(
        "staff.late",
        "enterprise",
        json!({ "enterprise_id": w.e1["id"] }),
    );
    for token in [&w.admin, &w.sup_own.token] {
        let problem = app
            .call(
                Method::POST,
                "/api/v1/users",
                Some(token),
                Some(staff.clone()),
                409,
            )
            .await;
        assert!(problem["detail"].as_str().unwrap().contains("deactivated"));
        let path = format!("/api/v1/enterprises/{}/clients", id(&w.e1));
        let body = json!({"name": "late"});
        app.call(Method::POST, &path, Some(token), Some(body), 409)
            .await;
    }

    // Its open ticket stays open, and supervisors see it as one of a deactivated enterprise.
    let path = format!("/api/v1/tickets/{}", id(&ticket));
    let kept = app
        .call(Method::GET, &path, Some(&w.sup_own.token), None, 200)
        .await;
    assert_eq!(
        (&kept["status"], &kept["enterprise_active"]),
        (&ticket["status"], &json!(false))
    );
    let sup = w.sup_own.token.as_str();
    assert_eq!(
        listed(app, sup, "?enterprise_active=false").await,
        vec![ticket["id"].clone()]
    );
    assert!(listed(app, sup, "?enterprise_active=true").await.is_empty());
    assert_eq!(
        listed(app, &w.admin, "?enterprise_active=true").await,
        vec![foreign["id"].clone()]
    );
    let all = listed(app, &w.admin, "").await;
    assert_eq!(all.len(), 2, "not withdrawn from the lists");
    app.call(
        Method::GET,
        "/api/v1/tickets?enterprise_active=maybe",
        Some(sup),
        None,
        400,
    )
    .await;

    // Reactivated, its people and clients come back.
    set_active(app, &w.admin, &w.e1, true).await;
    let staff = app.login("staff.one", PASSWORD).await;
    let path = format!("/api/v1/tickets/{}", id(&ticket));
    let back = app
        .call(
            Method::GET,
            &path,
            Some(staff["access_token"].as_str().unwrap()),
            None,
            200,
        )
        .await;
    assert_eq!(back["enterprise_active"], true);
    client_token(app, &client).await;
}

both_backends!(deactivated_enterprises_are_out_entirely);
