//! The logs of a full run of the binary (JSON format): every line is one JSON object, no input
//! forges a line, the audit events are there with actor, target, request id and outcome, and no
//! password, client secret, refresh token or access token appears anywhere.

use reqwest::Method;
use serde_json::{Value, json};

use crate::cast::Cast;
use crate::server::{ADMIN_PASSWORD, PASSWORD, Server, TestDb, base_env, call, login};

const FORGED: &str = "x\n{\"level\":\"ERROR\",\"fields\":{\"message\":\"forged\"}}\n";

async fn ok(
    client: &reqwest::Client,
    server: &Server,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Value,
    status: u16,
) -> Value {
    let body = (!body.is_null()).then_some(body);
    let (got, answer) = call(client, method, &server.url(path), token, body)
        .await
        .unwrap();
    assert_eq!(got, status, "{path}: {answer}");
    answer
}

pub async fn logs_hold_the_audit_trail_and_no_secrets() {
    let db = TestDb::sqlite();
    let env = base_env(&db);
    let client = reqwest::Client::new();
    let server = Server::start(&env);
    let cast = Cast::build(&client, &server, &env).await;
    let mut secrets = vec![
        ADMIN_PASSWORD.to_owned(),
        PASSWORD.to_owned(),
        crate::server::JWT_SECRET.to_owned(),
    ];

    // Sessions: login, refresh, logout, failures, a forged username.
    let pair = ok(
        &client,
        &server,
        Method::POST,
        "/api/v1/auth/login",
        None,
        json!({"username": "staff.load", "password": PASSWORD}),
        200,
    )
    .await;
    let refresh = pair["refresh_token"].as_str().unwrap().to_owned();
    let renewed = ok(
        &client,
        &server,
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": refresh}),
        200,
    )
    .await;
    ok(
        &client,
        &server,
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": refresh}),
        401,
    )
    .await;
    ok(
        &client,
        &server,
        Method::POST,
        "/api/v1/auth/logout",
        None,
        json!({"refresh_token": renewed["refresh_token"]}),
        204,
    )
    .await;
    ok(
        &client,
        &server,
        Method::POST,
        "/api/v1/auth/login",
        None,
        json!({"username": "staff.load", "password": "a wrong password 1"}),
        401,
    )
    .await;
    ok(
        &client,
        &server,
        Method::POST,
        "/api/v1/auth/login",
        None,
        json!({"username": FORGED, "password": "whatever password"}),
        401,
    )
    .await;
    for token in [&pair, &renewed] {
        secrets.push(token["access_token"].as_str().unwrap().to_owned());
        secrets.push(token["refresh_token"].as_str().unwrap().to_owned());
    }
    secrets.extend([
        cast.admin.clone(),
        cast.staff.clone(),
        cast.cadre.clone(),
        "a wrong password 1".into(),
    ]);

    // An API client: its secret, and a wrong one.
    let clients = format!("/api/v1/enterprises/{}/clients", cast.enterprise_id);
    let created = ok(
        &client,
        &server,
        Method::POST,
        &clients,
        Some(&cast.staff),
        json!({"name": "erp"}),
        201,
    )
    .await;
    let secret = created["client_secret"].as_str().unwrap().to_owned();
    let exchanged = ok(
        &client,
        &server,
        Method::POST,
        "/api/v1/auth/token",
        None,
        json!({"client_id": created["client_id"], "client_secret": secret}),
        200,
    )
    .await;
    ok(
        &client,
        &server,
        Method::POST,
        "/api/v1/auth/token",
        None,
        json!({"client_id": created["client_id"], "client_secret": "not the secret at all"}),
        401,
    )
    .await;
    secrets.extend([
        secret,
        exchanged["access_token"].as_str().unwrap().to_owned(),
        "not the secret at all".into(),
    ]);

    // Admin actions: create, change role and region, change a password, deactivate.
    let user = ok(&client, &server, Method::POST, "/api/v1/users", Some(&cast.admin), json!({"username": "cadre.audit", "password": "first-password-123", "role": "cadre", "region_code": "411602"}), 201).await;
    let path = format!("/api/v1/users/{}", user["id"]);
    // Paired first, so the role change ends the pairing (and says so).
    let pairing = json!({"cadres": [{"user_id": user["id"], "primary": true}]});
    let cadres = format!("/api/v1/enterprises/{}/cadres", cast.enterprise_id);
    ok(
        &client,
        &server,
        Method::PUT,
        &cadres,
        Some(&cast.admin),
        pairing,
        200,
    )
    .await;
    ok(
        &client,
        &server,
        Method::PATCH,
        &path,
        Some(&cast.admin),
        json!({"role": "supervisor", "region_code": "411600", "password": "second-password-456"}),
        200,
    )
    .await;
    ok(
        &client,
        &server,
        Method::PATCH,
        &path,
        Some(&cast.admin),
        json!({"active": false}),
        200,
    )
    .await;
    secrets.extend([
        "first-password-123".to_owned(),
        "second-password-456".to_owned(),
    ]);

    // Denied: a cadre may not list users (403); staff may not see another user (404);
    // a forged bearer token (401).
    ok(
        &client,
        &server,
        Method::GET,
        "/api/v1/users",
        Some(&cast.cadre),
        Value::Null,
        403,
    )
    .await;
    ok(
        &client,
        &server,
        Method::GET,
        &path,
        Some(&cast.staff),
        Value::Null,
        404,
    )
    .await;
    ok(
        &client,
        &server,
        Method::GET,
        "/api/v1/me",
        Some("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.forged"),
        Value::Null,
        401,
    )
    .await;
    let admin_again = login(&client, &server, "admin", ADMIN_PASSWORD).await;
    secrets.push(admin_again);

    let logs = server.kill();
    let mut events = Vec::new();
    for line in &logs {
        let parsed: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"));
        assert_ne!(
            parsed["fields"]["message"], "forged",
            "a forged line: {line}"
        );
        for secret in &secrets {
            assert!(
                !line.contains(secret.as_str()),
                "a secret in the logs: {line}"
            );
        }
        assert!(
            !line.contains("eyJ"),
            "something like a JWT in the logs: {line}"
        );
        if parsed["target"] == "audit" {
            events.push(parsed);
        }
    }
    // Every event of a request carries its id; `create-admin` has no request.
    let find = |event: &str, outcome: &str| {
        events
            .iter()
            .find(|e| {
                e["fields"]["event"] == event
                    && e["fields"]["outcome"] == outcome
                    && e["span"]["request_id"].is_string()
            })
            .unwrap_or_else(|| panic!("no {event} {outcome} event with a request id"))
    };
    for (event, outcome) in [
        ("auth.login", "success"),
        ("auth.login", "failure"),
        ("auth.refresh", "success"),
        ("auth.refresh_reuse", "family_revoked"),
        ("auth.logout", "success"),
        ("auth.client_token", "success"),
        ("auth.client_token", "failure"),
        ("auth.token_rejected", "failure"),
        ("user.created", "success"),
        ("user.deactivated", "success"),
    ] {
        find(event, outcome);
    }
    let changed = events
        .iter()
        .find(|e| e["fields"]["event"] == "user.changed" && e["fields"]["role_to"] == "supervisor")
        .expect("the role change is recorded");
    assert_eq!(changed["fields"]["role_from"], "cadre");
    assert_eq!(changed["fields"]["region_to"], "411600");
    assert_eq!(changed["fields"]["target_id"], user["id"]);
    assert!(changed["fields"]["actor_id"].is_number());
    let ended = find("pairings.ended", "success");
    assert_eq!(ended["fields"]["cause"], "user.changed");
    let listed = format!("[({}, {}, true)]", cast.enterprise_id, user["id"]);
    assert_eq!(ended["fields"]["pairings"], listed.as_str());
    let denied: Vec<_> = events
        .iter()
        .filter(|e| e["fields"]["event"] == "access.denied")
        .collect();
    assert!(denied.iter().any(|e| e["fields"]["decision"] == "forbidden" && e["span"]["path"] == "/api/v1/users"));
    assert!(
        denied
            .iter()
            .any(|e| e["fields"]["decision"] == "hidden" && e["span"]["path"] == path.as_str())
    );
    let forged = events
        .iter()
        .find(|e| {
            e["fields"]["username"]
                .as_str()
                .is_some_and(|u| u.contains("forged"))
        })
        .expect("the forged username is logged as a field");
    assert_eq!(forged["fields"]["event"], "auth.login");
    println!(
        "logs: {} JSON lines, {} audit events, {} secrets and tokens searched for, none found; \
         a username carrying a forged line stayed inside its field",
        logs.len(),
        events.len(),
        secrets.len()
    );
}
