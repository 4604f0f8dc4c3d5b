//! Existence is not leaked across scopes: a taken username or USCC outside the caller's region
//! answers "not available", never the other object's role or region.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{World, user_body};
use crate::helpers::{TestApp, expect_json};

/// Asserts that nothing in `answer` names a role or one of Zhoukou's regions, and that it says
/// "not available".
fn says_only_not_available(answer: &Value) {
    let text = answer.to_string();
    assert!(text.contains("not available"), "{text}");
    for leak in [
        "supervisor",
        "cadre",
        "enterprise user",
        "administrator",
        "region",
        "4116",
        "taken",
        "exists",
    ] {
        assert!(!text.contains(leak), "{leak:?} in {text}");
    }
}

/// The message of the error for `field` in a 422 problem.
fn message_for<'a>(problem: &'a Value, field: &str) -> &'a str {
    problem["errors"]
        .as_array()
        .expect("an errors list")
        .iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("no error for {field:?} in {problem}"))
}

async fn taken_names_and_codes_elsewhere_are_only_not_available(app: &TestApp) {
    let w = World::build(app).await;
    let foreign = &w.sup_foreign.token;
    // Usernames of a Zhoukou cadre and supervisor, and of the administrator.
    for taken in ["cadre.own", "sup.own", "admin"] {
        let body = user_body(taken, "cadre", json!({"region_code": "410102"}));
        let problem = app
            .call(
                Method::POST,
                "/api/v1/users",
                Some(foreign),
                Some(body),
                409,
            )
            .await;
        says_only_not_available(&problem);
    }
    let body = json!({"name": "Copy", "uscc": w.e1["uscc"], "county_code": "410102"});
    let problem = app
        .call(
            Method::POST,
            "/api/v1/enterprises",
            Some(foreign),
            Some(body),
            409,
        )
        .await;
    says_only_not_available(&problem);
    let path = format!("/api/v1/enterprises/{}", w.e2["id"]);
    let body = json!({"uscc": w.e1["uscc"]});
    let problem = app
        .call(Method::PATCH, &path, Some(foreign), Some(body), 409)
        .await;
    says_only_not_available(&problem);
}

async fn imports_say_only_not_available_outside_the_scope(app: &TestApp) {
    let w = World::build(app).await;
    let foreign = &w.sup_foreign.token;
    let csv =
        "username,region_code\ncadre.own,410102\nsup.own,410102\nadmin,410102\nstaff.one,410102\n";
    let response = app
        .post_csv("/api/v1/imports/cadres", Some(foreign), csv)
        .await;
    let problem = expect_json(response, 422).await;
    for line in 2..=5 {
        let message = message_for(&problem, &format!("line {line}: username"));
        says_only_not_available(&json!(message));
    }
    let csv = format!(
        "uscc,name,county_code\n{},Copy,410102\n",
        w.e1["uscc"].as_str().unwrap()
    );
    let response = app
        .post_csv("/api/v1/imports/enterprises", Some(foreign), &csv)
        .await;
    let problem = expect_json(response, 422).await;
    says_only_not_available(&json!(message_for(&problem, "line 2: uscc")));

    // Inside the scope the answer may say what the account is: the supervisor sees it anyway.
    let csv = "username,region_code\nstaff.one,411602\n";
    let response = app
        .post_csv("/api/v1/imports/cadres", Some(&w.sup_own.token), csv)
        .await;
    let problem = expect_json(response, 422).await;
    assert!(
        message_for(&problem, "line 2: username").contains("not a cadre"),
        "{problem}"
    );
}

both_backends!(
    taken_names_and_codes_elsewhere_are_only_not_available,
    imports_say_only_not_available_outside_the_scope,
);
