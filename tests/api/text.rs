//! Text that looks empty or lies: titles, names and usernames made only of invisible characters,
//! or holding bidirectional overrides and isolates, are refused wherever text is accepted.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{World, assert_field_error, id, user_body, valid_uscc};
use crate::helpers::TestApp;
use crate::ticket_fixtures::Desk;

/// Looks empty: zero-width space, joiner, word joiner, byte-order mark, soft hyphen.
const INVISIBLE: &[&str] = &[
    "\u{200B}",
    " \u{200C}\u{200D} ",
    "\u{2060}",
    "\u{FEFF}\u{AD}",
];
/// Reads as `invoice exe.jpg` but is `invoice gpj.exe`, and the other overrides and isolates.
const LYING: &[&str] = &[
    "invoice \u{202E}gpj.exe",
    "a\u{202A}b",
    "a\u{202D}b",
    "\u{2066}x\u{2069}",
    "a\u{2067}b",
    "a\u{2068}b",
];

fn bad_texts() -> impl Iterator<Item = &'static str> {
    INVISIBLE.iter().chain(LYING).copied()
}

/// `POST`/`PATCH` of `body` with `field` set to each bad text answers 422 naming `field`.
async fn refuses_each(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
    field: &str,
) {
    for bad in bad_texts() {
        let mut body = body.clone();
        body[field] = json!(bad);
        let problem = app
            .call(method.clone(), path, Some(token), Some(body), 422)
            .await;
        assert_field_error(&problem, field);
    }
}

async fn ticket_titles_that_look_empty_or_lie_are_refused(app: &TestApp) {
    let d = Desk::build(app).await;
    let staff = &d.world.staff1.token;
    let body = json!({"category": "land", "title": "x", "description": "需新增工业用地约20亩。"});
    refuses_each(
        app,
        staff,
        Method::POST,
        "/api/v1/tickets",
        body.clone(),
        "title",
    )
    .await;
    let mut lying = body.clone();
    lying["description"] = json!("see \u{202E}fdp.exe");
    let problem = app
        .call(
            Method::POST,
            "/api/v1/tickets",
            Some(staff),
            Some(lying),
            422,
        )
        .await;
    assert_field_error(&problem, "description");
    // Joiners inside visible text stay: a family emoji and a Persian word are text.
    let mut fine = body;
    fine["title"] = json!("家庭 👨\u{200D}👩\u{200D}👧 می\u{200C}خواهم");
    let ticket = app
        .call(
            Method::POST,
            "/api/v1/tickets",
            Some(staff),
            Some(fine.clone()),
            201,
        )
        .await;
    assert_eq!(ticket["title"], fine["title"]);
}

async fn names_that_look_empty_or_lie_are_refused(app: &TestApp) {
    let w = World::build(app).await;
    let admin = &w.admin;
    let enterprise = json!({"name": "x", "uscc": valid_uscc(40), "county_code": "411602"});
    refuses_each(
        app,
        admin,
        Method::POST,
        "/api/v1/enterprises",
        enterprise,
        "name",
    )
    .await;
    let e1 = format!("/api/v1/enterprises/{}", id(&w.e1));
    refuses_each(app, admin, Method::PATCH, &e1, json!({}), "name").await;
    let category = json!({"code": "tax", "name": "x"});
    refuses_each(
        app,
        admin,
        Method::POST,
        "/api/v1/categories",
        category,
        "name",
    )
    .await;
    let cadre = user_body("cadre.new", "cadre", json!({"region_code": "411602"}));
    for field in ["display_name", "department"] {
        refuses_each(
            app,
            admin,
            Method::POST,
            "/api/v1/users",
            cadre.clone(),
            field,
        )
        .await;
        let path = format!("/api/v1/users/{}", id(&w.cadre.user));
        refuses_each(app, admin, Method::PATCH, &path, json!({}), field).await;
    }
    refuses_each(app, admin, Method::POST, "/api/v1/users", cadre, "username").await;
    let clients = format!("/api/v1/enterprises/{}/clients", id(&w.e1));
    refuses_each(app, admin, Method::POST, &clients, json!({}), "name").await;
}

async fn imports_refuse_such_text_by_line(app: &TestApp) {
    let admin = app.admin_token().await;
    let csv = format!(
        "uscc,name,county_code\n{},\u{200B},411602\n{},invoice \u{202E}gpj.exe,411602\n",
        valid_uscc(41),
        valid_uscc(42)
    );
    let response = app
        .post_csv("/api/v1/imports/enterprises", Some(&admin), &csv)
        .await;
    let problem = crate::helpers::expect_json(response, 422).await;
    assert_field_error(&problem, "line 2: name");
    assert_field_error(&problem, "line 3: name");
    let csv = "username,region_code,display_name\ncadre.x,411602,\u{2060}\u{FEFF}\n";
    let response = app
        .post_csv("/api/v1/imports/cadres", Some(&admin), csv)
        .await;
    let problem = crate::helpers::expect_json(response, 422).await;
    assert_field_error(&problem, "line 2: display_name");
}

both_backends!(
    ticket_titles_that_look_empty_or_lie_are_refused,
    names_that_look_empty_or_lie_are_refused,
    imports_refuse_such_text_by_line,
);
