//! Creating, listing, reading and updating users: validation and who may do what in which region.

use std::collections::BTreeSet;

use chrono::Duration;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{
    PASSWORD, World, assert_field_error, assert_no_secrets, id, new_enterprise, new_user, person,
    user_body,
};
use crate::helpers::{TestApp, holds_null};

const USERS: &str = "/api/v1/users";
const USER_KEYS: [&str; 10] = [
    "id",
    "username",
    "role",
    "region_code",
    "enterprise_id",
    "department",
    "display_name",
    "active",
    "created_at",
    "updated_at",
];

fn user_path(user: &Value) -> String {
    format!("{USERS}/{}", id(user))
}

fn region(code: &str) -> Value {
    json!({ "region_code": code })
}

async fn admin_creates_users_of_every_role(app: &TestApp) {
    let admin = app.admin_token().await;
    let enterprise = new_enterprise(app, &admin, 1, "411602").await;
    let cases = [
        (
            "Cadre.One",
            "cadre",
            json!({"region_code": "411602", "department": "Commerce Bureau", "display_name": "Li Wei"}),
        ),
        ("sup.city", "supervisor", region("411600")),
        ("sup.province", "supervisor", region("410000")),
        (
            "staff@ent-1",
            "enterprise",
            json!({ "enterprise_id": enterprise["id"] }),
        ),
        ("second.admin", "admin", json!({})),
    ];
    for (username, role, extra) in cases {
        let user = new_user(app, &admin, username, role, extra.clone()).await;
        for key in USER_KEYS {
            assert!(user.get(key).is_some(), "{key} missing from {user}");
        }
        assert_eq!(
            user["username"],
            username.to_lowercase(),
            "names are lowercased"
        );
        assert_eq!(user["role"], role);
        assert_eq!(user["active"], true);
        for key in ["region_code", "enterprise_id", "department", "display_name"] {
            assert_eq!(
                user[key],
                extra.get(key).cloned().unwrap_or(Value::Null),
                "{key}"
            );
        }
        let fetched = app.get(&user_path(&user)).as_(&admin).expect(200).await;
        assert_eq!(fetched, user);
    }
    // The lowercased name is the login name.
    app.login("cadre.one", PASSWORD).await;
}

async fn invalid_or_duplicate_users_are_rejected(app: &TestApp) {
    let admin = app.admin_token().await;
    let with = user_body;
    let cadre = |password: &str| json!({"region_code": "411602", "password": password});
    let cases = [
        (
            with("valid.name", "cadre", cadre("eleven-char")),
            "password",
        ),
        (
            with("valid.name", "cadre", cadre(&"p".repeat(129))),
            "password",
        ),
        (with("ab", "cadre", region("411602")), "username"),
        (with(&"a".repeat(65), "cadre", region("411602")), "username"),
        (with("has space", "cadre", region("411602")), "username"),
        (with("valid.name", "cadre", json!({})), "region_code"),
        (with("valid.name", "supervisor", json!({})), "region_code"),
        (with("valid.name", "cadre", region("999999")), "region_code"),
        (with("valid.name", "enterprise", json!({})), "enterprise_id"),
        (with("valid.name", "overlord", json!({})), "role"),
    ];
    for (body, field) in cases {
        let problem = app.post(USERS).as_(&admin).json(body).expect(422).await;
        assert_field_error(&problem, field);
    }
    // The bounds themselves are fine, and no rejected request left "valid.name" behind.
    new_user(app, &admin, "valid.name", "cadre", cadre(&"p".repeat(12))).await;
    new_user(app, &admin, "abc", "cadre", cadre(&"p".repeat(128))).await;
    new_user(app, &admin, &"a".repeat(64), "cadre", region("411602")).await;

    let duplicate = with("Valid.Name", "cadre", region("411602"));
    let problem = app
        .post(USERS)
        .as_(&admin)
        .json(duplicate)
        .expect(409)
        .await;
    assert_eq!(problem["status"], 409);
}

async fn supervisors_create_only_inside_their_subtree(app: &TestApp) {
    let w = World::build(app).await;
    let own = json!({ "enterprise_id": w.e1["id"] });
    let foreign = json!({ "enterprise_id": w.e2["id"] });
    let cases = [
        ("c.county", "cadre", region("411602"), 201),
        ("c.city", "cadre", region("411600"), 201),
        // The province is above Zhoukou, not inside it.
        ("c.province", "cadre", region("410000"), 403),
        ("c.zhengzhou", "cadre", region("410102"), 403),
        ("e.own", "enterprise", own, 201),
        // An enterprise outside the region is unknown to this supervisor, as if it did not exist.
        ("e.foreign", "enterprise", foreign, 422),
        ("s.peer", "supervisor", region("411602"), 403),
        ("a.new", "admin", json!({}), 403),
    ];
    for (username, role, extra, status) in cases {
        let body = user_body(username, role, extra);
        let answer = app
            .post(USERS)
            .as_(&w.sup_own.token)
            .json(body)
            .expect(status)
            .await;
        if status == 201 {
            assert_eq!(
                (&answer["username"], &answer["role"]),
                (&json!(username), &json!(role))
            );
        } else {
            assert_eq!(answer["status"], status, "{username}");
        }
    }
    // A province's subtree takes in all of its cities.
    let henan = person(app, &w.admin, "sup.henan", "supervisor", region("410000")).await;
    new_user(
        app,
        &henan.token,
        "c.by.province",
        "cadre",
        region("410102"),
    )
    .await;

    // Cadres and enterprise staff create no one.
    for token in [&w.cadre.token, &w.staff1.token] {
        let body = user_body("c.denied", "cadre", region("411602"));
        app.post(USERS).as_(token).json(body).expect(403).await;
    }
}

/// Every username `token` may list with `query`, walking pages of two to exercise the cursor.
async fn usernames(app: &TestApp, token: &str, query: &str) -> BTreeSet<String> {
    let mut seen = Vec::new();
    let mut path = format!("{USERS}?limit=2{query}");
    loop {
        let page = app.get(&path).as_(token).expect(200).await;
        assert_no_secrets(&page);
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2, "{page}");
        seen.extend(
            items
                .iter()
                .map(|u| u["username"].as_str().unwrap().to_owned()),
        );
        let Some(cursor) = page["next_cursor"].as_str() else {
            break;
        };
        let cursor: String = form_urlencoded::byte_serialize(cursor.as_bytes()).collect();
        path = format!("{USERS}?limit=2{query}&cursor={cursor}");
        assert!(seen.len() < 100, "the cursor never ends");
    }
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a user on two pages: {seen:?}");
    unique
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

async fn listing_users_is_scoped_and_paged(app: &TestApp) {
    let w = World::build(app).await;
    new_user(app, &w.admin, "cadre.city", "cadre", region("411600")).await;
    new_user(app, &w.admin, "cadre.far", "cadre", region("410102")).await;

    let everyone = set(&[
        "admin",
        "sup.own",
        "sup.foreign",
        "cadre.own",
        "staff.one",
        "staff.two",
        "cadre.city",
        "cadre.far",
    ]);
    assert_eq!(usernames(app, &w.admin, "").await, everyone);
    let unpaged = app.get(USERS).as_(&w.admin).expect(200).await;
    assert_eq!(unpaged["items"].as_array().unwrap().len(), everyone.len());
    assert!(holds_null(&unpaged, "next_cursor"));

    let cadres = set(&["cadre.own", "cadre.city", "cadre.far"]);
    assert_eq!(usernames(app, &w.admin, "&role=cadre").await, cadres);
    let zhoukou_cadres = set(&["cadre.own", "cadre.city"]);
    let filtered = usernames(app, &w.admin, "&role=cadre&region=411600").await;
    assert_eq!(filtered, zhoukou_cadres);
    let zhengzhou = usernames(app, &w.admin, "&region=410100").await;
    assert!(
        zhengzhou.contains("cadre.far") && !zhengzhou.contains("cadre.own"),
        "{zhengzhou:?}"
    );

    // A supervisor sees the cadres and enterprise staff of their region, and no one else.
    let own = usernames(app, &w.sup_own.token, "").await;
    assert_eq!(own, set(&["cadre.own", "cadre.city", "staff.one"]));
    let own_cadres = usernames(app, &w.sup_own.token, "&role=cadre").await;
    assert_eq!(own_cadres, zhoukou_cadres);

    for token in [&w.cadre.token, &w.staff1.token] {
        app.get(USERS).as_(token).expect(403).await;
    }
}

async fn reading_users_follows_the_subtree(app: &TestApp) {
    let w = World::build(app).await;
    let henan = person(app, &w.admin, "sup.henan", "supervisor", region("410000")).await;
    let read = |token: &str, user: &Value, status: u16| {
        let (token, path) = (token.to_owned(), user_path(user));
        async move { app.get(&path).as_(&token).expect(status).await }
    };
    // A province supervisor reaches into every city of the province.
    for user in [&w.cadre.user, &w.staff2.user] {
        assert_eq!(read(&henan.token, user, 200).await, *user);
    }
    assert_eq!(
        read(&w.sup_own.token, &w.staff2.user, 404).await["status"],
        404
    );
    // Oneself, as /me shows it.
    let me = app.get("/api/v1/me").as_(&w.cadre.token).expect(200).await;
    assert_eq!(read(&w.cadre.token, &w.cadre.user, 200).await, me);

    let unknown = json!({ "id": 999_999_999 });
    read(&w.admin, &unknown, 404).await;
    read(&w.sup_own.token, &unknown, 404).await;
}

async fn updating_users_respects_role_and_region(app: &TestApp) {
    let w = World::build(app).await;
    let cadre = user_path(&w.cadre.user);
    let patch = |token: &str, path: &str, body: Value, status: u16| {
        let (token, path) = (token.to_owned(), path.to_owned());
        async move { app.patch(&path).as_(&token).json(body).expect(status).await }
    };

    app.clock.advance(Duration::minutes(1));
    let body = json!({"display_name": "Wang Fang", "department": "Land Bureau"});
    let updated = patch(&w.admin, &cadre, body, 200).await;
    assert_eq!(
        (&updated["display_name"], &updated["department"]),
        (&json!("Wang Fang"), &json!("Land Bureau"))
    );
    assert_eq!(updated["created_at"], w.cadre.user["created_at"]);
    assert_ne!(updated["updated_at"], w.cadre.user["updated_at"]);
    assert_no_secrets(&updated);

    let problem = patch(&w.admin, &cadre, json!({"password": "short"}), 422).await;
    assert_field_error(&problem, "password");
    patch(
        &w.admin,
        &cadre,
        json!({"password": "a-brand-new-password"}),
        200,
    )
    .await;
    let old = json!({"username": "cadre.own", "password": PASSWORD});
    app.post("/api/v1/auth/login").json(old).expect(401).await;
    app.login("cadre.own", "a-brand-new-password").await;

    // A supervisor may move a cadre within their region, but not out of it, nor promote.
    let moved = patch(&w.sup_own.token, &cadre, region("411603"), 200).await;
    assert_eq!(moved["region_code"], "411603");
    patch(&w.sup_own.token, &cadre, region("410102"), 403).await;
    patch(&w.sup_own.token, &cadre, json!({"role": "supervisor"}), 403).await;
    let staff2 = user_path(&w.staff2.user);
    patch(&w.sup_own.token, &staff2, json!({"display_name": "x"}), 404).await;

    // People cannot edit their own account here, and others' are invisible to them. (The new
    // password and the move revoked the cadre's earlier tokens: a fresh login.)
    let cadre_token = app.login("cadre.own", "a-brand-new-password").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    patch(&cadre_token, &cadre, json!({"display_name": "me"}), 403).await;
    let staff1 = user_path(&w.staff1.user);
    patch(&w.staff1.token, &staff1, json!({"display_name": "me"}), 403).await;
    patch(&cadre_token, &staff1, json!({"display_name": "x"}), 404).await;

    // None of the refused changes was written.
    let now = app.get(&cadre).as_(&w.admin).expect(200).await;
    assert_eq!(
        (&now["display_name"], &now["role"]),
        (&json!("Wang Fang"), &json!("cadre"))
    );
    assert_eq!(now["region_code"], "411603");
}

both_backends!(
    admin_creates_users_of_every_role,
    invalid_or_duplicate_users_are_rejected,
    supervisors_create_only_inside_their_subtree,
    listing_users_is_scoped_and_paged,
    reading_users_follows_the_subtree,
    updating_users_respects_role_and_region,
);
