//! Enterprises (validation and scope) and their API clients: creation, listing, the
//! client-credentials exchange and revocation.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{
    World, assert_field_error, assert_no_secrets, client_token, exchange, id, new_client,
    new_enterprise, valid_uscc, with_bad_check,
};
use crate::helpers::{TestApp, holds_null};

const ENTERPRISES: &str = "/api/v1/enterprises";

fn enterprise_body(uscc: &str, county: &str) -> Value {
    json!({"name": "Zhoukou Flour Mill", "uscc": uscc, "county_code": county})
}

async fn enterprises_need_a_valid_uscc_and_a_county(app: &TestApp) {
    let admin = app.admin_token().await;
    let full = json!({
        "name": "Zhoukou Flour Mill", "uscc": "91350100M000100Y43", "county_code": "411602",
        "industry": "food", "contact_name": "Zhang San", "contact_phone": "0394-8888888",
    });
    let created = app
        .post(ENTERPRISES)
        .as_(&admin)
        .json(full.clone())
        .expect(201)
        .await;
    for (key, value) in full.as_object().unwrap() {
        assert_eq!(&created[key], value, "{key}");
    }
    assert_eq!(created["active"], true);
    assert!(created["id"].is_number() || created["id"].is_string());
    assert!(created["created_at"].is_string() && created["updated_at"].is_string());
    let path = format!("{ENTERPRISES}/{}", id(&created));
    let fetched = app.get(&path).as_(&admin).expect(200).await;
    assert_eq!(fetched, created);

    let cases = [
        (
            enterprise_body(&with_bad_check(&valid_uscc(7)), "411602"),
            "uscc",
        ),
        (enterprise_body(&valid_uscc(7)[..17], "411602"), "uscc"),
        // A city and a province are not counties; 999999 is nothing at all.
        (enterprise_body(&valid_uscc(7), "411600"), "county_code"),
        (enterprise_body(&valid_uscc(7), "410000"), "county_code"),
        (enterprise_body(&valid_uscc(7), "999999"), "county_code"),
    ];
    for (body, field) in cases {
        let problem = app
            .post(ENTERPRISES)
            .as_(&admin)
            .json(body)
            .expect(422)
            .await;
        assert_field_error(&problem, field);
    }
    // Nothing was kept from those: the code is still free, and then taken.
    let body = enterprise_body(&valid_uscc(7), "411681");
    app.post(ENTERPRISES)
        .as_(&admin)
        .json(body.clone())
        .expect(201)
        .await;
    let problem = app
        .post(ENTERPRISES)
        .as_(&admin)
        .json(body)
        .expect(409)
        .await;
    assert_eq!(problem["status"], 409);
}

async fn enterprises_are_created_and_read_within_scope(app: &TestApp) {
    let w = World::build(app).await;
    let own = new_enterprise(app, &w.sup_own.token, 10, "411603").await;
    assert_eq!(own["county_code"], "411603");
    for (token, county) in [
        (&w.sup_own.token, "410102"),
        (&w.cadre.token, "411602"),
        (&w.staff1.token, "411602"),
    ] {
        let body = enterprise_body(&valid_uscc(11), county);
        let problem = app
            .post(ENTERPRISES)
            .as_(token)
            .json(body)
            .expect(403)
            .await;
        assert_eq!(problem["status"], 403);
    }
    // Staff read their own enterprise as it was created, and nobody finds an unknown one.
    let e1 = format!("{ENTERPRISES}/{}", id(&w.e1));
    let fetched = app.get(&e1).as_(&w.staff1.token).expect(200).await;
    assert_eq!(fetched, w.e1);
    let unknown = format!("{ENTERPRISES}/999999999");
    for token in [&w.admin, &w.sup_own.token] {
        app.get(&unknown).as_(token).expect(404).await;
    }
}

async fn api_clients_exchange_credentials_until_revoked(app: &TestApp) {
    let w = World::build(app).await;
    let clients = format!("{ENTERPRISES}/{}/clients", id(&w.e1));
    let client = new_client(app, &w.staff1.token, &w.e1).await;
    assert_eq!(client["name"], "erp connector");
    assert_eq!(client["enterprise_id"], w.e1["id"]);
    assert!(holds_null(&client, "revoked_at") && client["created_at"].is_string());
    for key in ["client_id", "client_secret"] {
        assert!(client[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    let second = new_client(app, &w.admin, &w.e1).await;
    assert_ne!(second["client_id"], client["client_id"]);
    assert_ne!(second["client_secret"], client["client_secret"]);

    // The secret is shown once, at creation, and never listed.
    let listed = app.get(&clients).as_(&w.staff1.token).expect(200).await;
    assert_no_secrets(&listed);
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(
        items.iter().all(|c| c.get("client_secret").is_none()),
        "{listed}"
    );
    assert!(items.iter().any(|c| c["client_id"] == client["client_id"]));

    let tokens = exchange(app, &client["client_id"], &client["client_secret"], 200).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["expires_in"].as_i64().is_some_and(|s| s > 0));
    assert!(tokens.get("refresh_token").is_none(), "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/me").as_(access).expect(200).await;
    assert_eq!(
        (&me["role"], &me["enterprise_id"]),
        (&json!("enterprise"), &w.e1["id"])
    );
    assert_no_secrets(&me);
    // A machine may not mint more machines.
    let body = json!({"name": "another"});
    app.post(&clients).as_(access).json(body).expect(403).await;

    exchange(app, &client["client_id"], &json!("not-the-secret"), 401).await;
    exchange(app, &json!("no-such-client"), &client["client_secret"], 401).await;

    let revoke = format!("{clients}/{}", client["client_id"].as_str().unwrap());
    let response = app
        .request(Method::DELETE, &revoke, Some(&w.staff1.token), None)
        .await;
    assert_eq!(response.status(), 204);
    exchange(app, &client["client_id"], &client["client_secret"], 401).await;
    // Revoking one client leaves the other working.
    client_token(app, &second).await;
    let unknown = format!("{clients}/no-such-client");
    app.delete(&unknown).as_(&w.staff1.token).expect(404).await;
}

fn three_clients_each(settings: &mut enterprise_assist::config::Settings) {
    settings.limits.max_clients_per_enterprise = 3;
}

/// Past the cap of live clients a new one is refused with 409 (before its secret is hashed);
/// revoking one makes room, and another enterprise has its own.
async fn api_clients_are_capped_per_enterprise(app: &TestApp) {
    let w = World::build(app).await;
    let clients = format!("{ENTERPRISES}/{}/clients", id(&w.e1));
    let mut made = Vec::new();
    for _ in 0..3 {
        made.push(new_client(app, &w.staff1.token, &w.e1).await);
    }
    let body = json!({"name": "one too many"});
    let problem = app
        .post(&clients)
        .as_(&w.admin)
        .json(body.clone())
        .expect(409)
        .await;
    assert!(
        problem["detail"].as_str().unwrap().contains('3'),
        "{problem}"
    );
    new_client(app, &w.admin, &w.e2).await;

    let revoke = format!("{clients}/{}", made[0]["client_id"].as_str().unwrap());
    app.delete(&revoke).as_(&w.admin).expect(204).await;
    new_client(app, &w.staff1.token, &w.e1).await;
    app.post(&clients)
        .as_(&w.admin)
        .json(body)
        .expect(409)
        .await;
}

mod capped {
    use super::*;
    crate::both_backends_with!(three_clients_each; api_clients_are_capped_per_enterprise);
}

both_backends!(
    enterprises_need_a_valid_uscc_and_a_county,
    enterprises_are_created_and_read_within_scope,
    api_clients_exchange_credentials_until_revoked,
);
