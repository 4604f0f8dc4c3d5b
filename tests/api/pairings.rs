//! Pairings: setting an enterprise's cadres (exactly one primary, each able to assist it),
//! reading them, and a cadre's own list of enterprises.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{World, assert_field_error, id, new_enterprise, new_user};
use crate::helpers::TestApp;

fn cadres_path(enterprise: &Value) -> String {
    format!("/api/v1/enterprises/{}/cadres", id(enterprise))
}

fn cadre(user: &Value, primary: bool) -> Value {
    json!({"user_id": user["id"], "primary": primary})
}

async fn new_cadre(app: &TestApp, token: &str, username: &str, region: &str) -> Value {
    let extra = json!({"region_code": region, "department": "商务局", "display_name": "王芳"});
    new_user(app, token, username, "cadre", extra).await
}

async fn the_set_is_replaced_whole_and_listed_primary_first(app: &TestApp) {
    let w = World::build(app).await;
    let path = cadres_path(&w.e1);
    let city = new_cadre(app, &w.admin, "cadre.city", "411600").await;
    let province = new_cadre(app, &w.admin, "cadre.province", "410000").await;

    let empty = app.get(&path).as_(&w.admin).expect(200).await;
    assert_eq!(empty, json!({"items": []}));
    let body = json!({"cadres": [cadre(&city, false), cadre(&w.cadre.user, true), cadre(&province, false)]});
    let set = app
        .put(&path)
        .as_(&w.sup_own.token)
        .json(body)
        .expect(200)
        .await;
    let items = set["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0],
        json!({
            "user_id": w.cadre.user["id"], "username": "cadre.own", "display_name": null,
            "department": null, "region_code": "411602", "primary": true,
        })
    );
    assert_eq!(
        (&items[1]["username"], &items[1]["department"]),
        (&json!("cadre.city"), &json!("商务局"))
    );
    assert_eq!(app.get(&path).as_(&w.staff1.token).expect(200).await, set);

    // Replacing: the primary moves, one cadre leaves.
    let body = json!({"cadres": [cadre(&city, true), cadre(&w.cadre.user, false)]});
    let set = app.put(&path).as_(&w.admin).json(body).expect(200).await;
    let listed: Vec<(&Value, &Value)> = set["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (&c["username"], &c["primary"]))
        .collect();
    assert_eq!(
        listed,
        [
            (&json!("cadre.city"), &json!(true)),
            (&json!("cadre.own"), &json!(false))
        ]
    );
    // An empty list clears them.
    let cleared = app
        .put(&path)
        .as_(&w.admin)
        .json(json!({"cadres": []}))
        .expect(200)
        .await;
    assert_eq!(cleared, json!({"items": []}));
}

async fn the_pairing_rules_are_enforced(app: &TestApp) {
    let w = World::build(app).await;
    let path = cadres_path(&w.e1);
    let city = new_cadre(app, &w.admin, "cadre.city", "411600").await;
    let neighbour = new_cadre(app, &w.admin, "cadre.neighbour", "411603").await;
    let far = new_cadre(app, &w.admin, "cadre.far", "410102").await;
    let retired = new_cadre(app, &w.admin, "cadre.retired", "411602").await;
    let retire = Some(json!({"active": false}));
    app.call(
        Method::PATCH,
        &format!("/api/v1/users/{}", id(&retired)),
        Some(&w.admin),
        retire,
        200,
    )
    .await;
    let own = &w.cadre.user;
    let unknown = json!({"id": 999_999_999});
    let cases = [
        (json!([cadre(own, true), cadre(&city, true)]), "cadres"),
        (json!([cadre(own, false), cadre(&city, false)]), "cadres"),
        (
            json!([cadre(own, true), cadre(&neighbour, false)]),
            "cadres[1].user_id",
        ),
        (
            json!([cadre(own, true), cadre(&far, false)]),
            "cadres[1].user_id",
        ),
        (json!([cadre(&retired, true)]), "cadres[0].user_id"),
        (
            json!([cadre(own, true), cadre(&unknown, false)]),
            "cadres[1].user_id",
        ),
        (json!([cadre(&w.sup_own.user, true)]), "cadres[0].user_id"),
        (json!([cadre(&w.staff1.user, true)]), "cadres[0].user_id"),
        (
            json!([cadre(own, true), cadre(own, false)]),
            "cadres[1].user_id",
        ),
        (
            json!([{"user_id": "one", "primary": true}]),
            "cadres[0].user_id",
        ),
    ];
    for (cadres, field) in cases {
        let body = Some(json!({ "cadres": cadres }));
        let problem = app
            .call(Method::PUT, &path, Some(&w.admin), body, 422)
            .await;
        assert_field_error(&problem, field);
    }
    // Nothing was written by any of those.
    let now = app.get(&path).as_(&w.admin).expect(200).await;
    assert_eq!(now, json!({"items": []}));
}

async fn pairing_is_scoped(app: &TestApp) {
    let w = World::build(app).await;
    let body = || Some(json!({"cadres": [cadre(&w.cadre.user, true)]}));
    let e1 = cadres_path(&w.e1);
    app.get(&e1).as_(&w.sup_foreign.token).expect(404).await;
    app.call(Method::PUT, &e1, Some(&w.sup_foreign.token), body(), 404)
        .await;
    app.get(&e1).as_(&w.staff2.token).expect(404).await;
    app.call(Method::PUT, &e1, Some(&w.staff1.token), body(), 403)
        .await;
    app.call(Method::PUT, &e1, Some(&w.cadre.token), body(), 404)
        .await;
    let unknown = "/api/v1/enterprises/999999999/cadres";
    app.call(Method::PUT, unknown, Some(&w.admin), body(), 404)
        .await;
    app.call(Method::PUT, &e1, Some(&w.sup_own.token), body(), 200)
        .await;
}

async fn a_cadres_enterprises_are_readable_by_them_and_their_supervisors(app: &TestApp) {
    let w = World::build(app).await;
    let second = new_enterprise(app, &w.admin, 50, "411602").await;
    let far = new_enterprise(app, &w.admin, 51, "410102").await;
    let province = new_cadre(app, &w.admin, "cadre.province", "410000").await;
    for (enterprise, cadres) in [
        (
            &w.e1,
            json!([cadre(&w.cadre.user, true), cadre(&province, false)]),
        ),
        (&second, json!([cadre(&w.cadre.user, true)])),
        (&far, json!([cadre(&province, true)])),
    ] {
        let body = Some(json!({ "cadres": cadres }));
        app.call(
            Method::PUT,
            &cadres_path(enterprise),
            Some(&w.admin),
            body,
            200,
        )
        .await;
    }
    let of = |user: &Value| format!("/api/v1/users/{}/enterprises", id(user));
    let ids = |page: &Value| -> Vec<Value> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].clone())
            .collect()
    };
    let own = app
        .get(&of(&w.cadre.user))
        .as_(&w.cadre.token)
        .expect(200)
        .await;
    assert_eq!(ids(&own), [w.e1["id"].clone(), second["id"].clone()]);
    let paged = app
        .get(&format!("{}?limit=1", of(&w.cadre.user)))
        .as_(&w.admin)
        .expect(200)
        .await;
    assert_eq!(ids(&paged), [w.e1["id"].clone()]);
    assert!(paged["next_cursor"].is_string());
    let by_sup = app
        .get(&of(&w.cadre.user))
        .as_(&w.sup_own.token)
        .expect(200)
        .await;
    assert_eq!(by_sup, own);
    // The province's cadre: all three for the administrator, and no supervisor of a city sees them.
    let all = app.get(&of(&province)).as_(&w.admin).expect(200).await;
    assert_eq!(ids(&all), [w.e1["id"].clone(), far["id"].clone()]);
    for token in [
        &w.sup_own.token,
        &w.sup_foreign.token,
        &w.cadre.token,
        &w.staff1.token,
    ] {
        app.get(&of(&province)).as_(token).expect(404).await;
    }
    // Only cadres have paired enterprises.
    app.get(&of(&w.staff1.user)).as_(&w.admin).expect(404).await;
    app.get(&of(&w.cadre.user))
        .as_(&w.sup_foreign.token)
        .expect(404)
        .await;
}

async fn cadres_are_listed_by_region_and_department(app: &TestApp) {
    let w = World::build(app).await;
    for (username, region, department) in [
        ("c.land", "411603", "淮阳区自然资源和规划局"),
        ("c.dev", "411600", "周口市发展和改革委员会"),
        ("c.far", "410102", "Development and Reform"),
    ] {
        let extra = json!({"region_code": region, "department": department});
        new_user(app, &w.admin, username, "cadre", extra).await;
    }
    let usernames = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = |query: &str| {
        let path = format!("/api/v1/users?role=cadre{query}");
        let token = w.admin.clone();
        async move { usernames(app.get(&path).as_(&token).expect(200).await) }
    };
    assert_eq!(
        list("&region=411600").await,
        ["cadre.own", "c.land", "c.dev"]
    );
    // 发展和改革 percent-encoded.
    let dev = "&department=%E5%8F%91%E5%B1%95%E5%92%8C%E6%94%B9%E9%9D%A9";
    assert_eq!(list(dev).await, ["c.dev"]);
    assert_eq!(list("&department=DEVELOPMENT").await, ["c.far"]);
    assert_eq!(
        list(&format!("{dev}&region=410100")).await,
        Vec::<String>::new()
    );
    assert_eq!(list("&department=%25").await, Vec::<String>::new());
}

both_backends!(
    the_set_is_replaced_whole_and_listed_primary_first,
    the_pairing_rules_are_enforced,
    pairing_is_scoped,
    a_cadres_enterprises_are_readable_by_them_and_their_supervisors,
    cadres_are_listed_by_region_and_department,
);
