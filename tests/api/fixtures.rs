//! Builders for the people, enterprises and API clients the auth and access tests need, and the
//! assertions they share.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_json};

/// The password of every user the fixtures create (12–128 characters are allowed).
pub const PASSWORD: &str = "correct-horse-battery";

const USCC_CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The GB 32100-2015 check character of the first 17 characters of a USCC.
fn uscc_check(body: &str) -> char {
    let sum: usize = body
        .bytes()
        .zip(USCC_WEIGHTS)
        .map(|(c, w)| USCC_CHARSET.iter().position(|&x| x == c).unwrap() * w)
        .sum();
    USCC_CHARSET[(31 - sum % 31) % 31] as char
}

/// A valid USCC, distinct for each seed.
pub fn valid_uscc(seed: u32) -> String {
    let body = format!("91411602{seed:09}");
    let check = uscc_check(&body);
    format!("{body}{check}")
}

/// The same code with a wrong check character.
pub fn with_bad_check(uscc: &str) -> String {
    let (body, check) = uscc.split_at(17);
    let wrong = if check == "0" { '1' } else { '0' };
    format!("{body}{wrong}")
}

/// Guards the generator itself, so a 422 on its codes is the server's fault.
#[test]
fn uscc_check_matches_real_codes() {
    for real in ["91350100M000100Y43", "91440300708461136T"] {
        assert_eq!(uscc_check(&real[..17]), real.chars().last().unwrap());
    }
    assert_ne!(valid_uscc(1), valid_uscc(2));
    assert_ne!(with_bad_check(&valid_uscc(1)), valid_uscc(1));
}

/// An object's `id` as a path segment (ids are numbers, but strings work too).
pub fn id(object: &Value) -> String {
    match &object["id"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("no id in {object}: {other}"),
    }
}

/// Fails if any key anywhere in `value` could carry a credential.
pub fn assert_no_secrets(value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                assert!(
                    !matches!(key.as_str(), "password" | "password_hash" | "secret")
                        && !key.contains("hash"),
                    "credential key {key:?} in {value}"
                );
                assert_no_secrets(inner);
            }
        }
        Value::Array(items) => items.iter().for_each(assert_no_secrets),
        _ => {}
    }
}

/// Asserts a 422 problem lists `field` among its errors.
pub fn assert_field_error(problem: &Value, field: &str) {
    assert_eq!(problem["status"], 422, "{problem}");
    let errors = problem["errors"].as_array().expect("an errors list");
    assert!(
        errors
            .iter()
            .any(|e| e["field"] == field && e["message"].as_str().is_some_and(|m| !m.is_empty())),
        "no error for {field:?} in {problem}"
    );
}

/// Asserts a 401 problem that tells the client to use a bearer token.
pub async fn assert_bearer_401(response: reqwest::Response, what: &str) {
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(
        challenge.starts_with("Bearer"),
        "{what}: WWW-Authenticate {challenge:?}"
    );
    let problem = expect_json(response, 401).await;
    assert_eq!(problem["status"], 401, "{what}");
}

/// A user with a token of their own.
pub struct Person {
    pub user: Value,
    pub token: String,
}

impl Person {
    pub fn id(&self) -> String {
        id(&self.user)
    }
}

/// The request body of a new user: `extra` adds or overrides fields.
pub fn user_body(username: &str, role: &str, extra: Value) -> Value {
    let mut body = json!({"username": username, "password": PASSWORD, "role": role});
    for (key, value) in extra.as_object().expect("extra is an object") {
        body[key] = value.clone();
    }
    body
}

/// Creates a user as `token`'s holder, expecting 201.
pub async fn new_user(
    app: &TestApp,
    token: &str,
    username: &str,
    role: &str,
    extra: Value,
) -> Value {
    let body = user_body(username, role, extra);
    let user = app
        .call(Method::POST, "/api/v1/users", Some(token), Some(body), 201)
        .await;
    assert_no_secrets(&user);
    user
}

/// Logs in with the fixture password; returns the access token.
pub async fn token_for(app: &TestApp, username: &str) -> String {
    app.login(username, PASSWORD).await["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// Creates a user (as `token`'s holder) and logs them in.
pub async fn person(
    app: &TestApp,
    token: &str,
    username: &str,
    role: &str,
    extra: Value,
) -> Person {
    let user = new_user(app, token, username, role, extra).await;
    Person {
        token: token_for(app, username).await,
        user,
    }
}

/// Creates an enterprise in `county` with a USCC from `seed`, expecting 201.
pub async fn new_enterprise(app: &TestApp, token: &str, seed: u32, county: &str) -> Value {
    let body = json!({
        "name": format!("Enterprise {seed}"),
        "uscc": valid_uscc(seed),
        "county_code": county,
    });
    app.call(
        Method::POST,
        "/api/v1/enterprises",
        Some(token),
        Some(body),
        201,
    )
    .await
}

/// Creates an API client of `enterprise`, expecting 201; the answer holds the secret.
pub async fn new_client(app: &TestApp, token: &str, enterprise: &Value) -> Value {
    let path = format!("/api/v1/enterprises/{}/clients", id(enterprise));
    let body = json!({"name": "erp connector"});
    app.call(Method::POST, &path, Some(token), Some(body), 201)
        .await
}

/// Exchanges a client's credentials at `/auth/token`, expecting `status`.
pub async fn exchange(app: &TestApp, client_id: &Value, secret: &Value, status: u16) -> Value {
    let body = json!({"client_id": client_id, "client_secret": secret});
    app.call(Method::POST, "/api/v1/auth/token", None, Some(body), status)
        .await
}

/// An access token of a client created by [`new_client`].
pub async fn client_token(app: &TestApp, client: &Value) -> String {
    exchange(app, &client["client_id"], &client["client_secret"], 200).await["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// The cast most access tests need: two regions' supervisors, a cadre, and one enterprise (with a
/// staff user) inside and one outside Zhoukou.
pub struct World {
    pub admin: String,
    pub admin_id: String,
    /// Supervisor of Zhoukou city (411600).
    pub sup_own: Person,
    /// Supervisor of Zhengzhou city (410100).
    pub sup_foreign: Person,
    /// Cadre in Chuanhui district (411602, Zhoukou).
    pub cadre: Person,
    /// Enterprise in 411602.
    pub e1: Value,
    /// Enterprise in 410102 (Zhengzhou).
    pub e2: Value,
    pub staff1: Person,
    pub staff2: Person,
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        let admin = app.admin_token().await;
        let me = app
            .call(Method::GET, "/api/v1/me", Some(&admin), None, 200)
            .await;
        let e1 = new_enterprise(app, &admin, 1, "411602").await;
        let e2 = new_enterprise(app, &admin, 2, "410102").await;
        let region = |code: &str| json!({ "region_code": code });
        let of = |enterprise: &Value| json!({ "enterprise_id": enterprise["id"] });
        World {
            admin_id: id(&me),
            sup_own: person(app, &admin, "sup.own", "supervisor", region("411600")).await,
            sup_foreign: person(app, &admin, "sup.foreign", "supervisor", region("410100")).await,
            cadre: person(app, &admin, "cadre.own", "cadre", region("411602")).await,
            staff1: person(app, &admin, "staff.one", "enterprise", of(&e1)).await,
            staff2: person(app, &admin, "staff.two", "enterprise", of(&e2)).await,
            admin,
            e1,
            e2,
        }
    }
}
