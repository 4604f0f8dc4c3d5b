//! Departments of the promotion centres' rosters (SPEC section 10): managed by administrators
//! and the supervisors of a region holding them, read by the government side; a cadre belongs
//! to one department of their own region.

use serde_json::{Value, json};

use crate::fixtures::{assert_field_error, id, person};
use crate::helpers::TestApp;
use crate::ticket_fixtures::Desk;

crate::both_backends!(
    departments_are_managed_inside_their_region,
    a_cadre_belongs_to_a_department_of_their_region,
);

/// `POST /departments` as `token`'s holder, expecting `status`.
pub async fn new_department(
    app: &TestApp,
    token: &str,
    region: &str,
    name: &str,
    categories: &[&str],
    status: u16,
) -> Value {
    app.post("/api/v1/departments")
        .as_(token)
        .json(json!({"region_code": region, "name": name, "categories": categories}))
        .expect(status)
        .await
}

/// The names in a page of departments.
fn names(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect()
}

async fn departments_are_managed_inside_their_region(app: &TestApp) {
    let desk = Desk::build(app).await;
    let w = &desk.world;
    let land = new_department(
        app,
        &w.admin,
        "411600",
        "周口市自然资源和规划局",
        &["land", "approval", "land"],
        201,
    )
    .await;
    assert!(land.get("id").is_some(), "{land}");
    assert_eq!(land["region_code"], "411600");
    assert_eq!(land["name"], "周口市自然资源和规划局");
    assert_eq!(land["categories"], json!(["approval", "land"]));
    assert_eq!(land["active"], true);
    // The city's supervisor manages their subtree's departments, not the province's.
    let energy = new_department(
        app,
        &w.sup_own.token,
        "411602",
        "川汇区发展和改革委员会",
        &["energy"],
        201,
    )
    .await;
    new_department(
        app,
        &w.sup_own.token,
        "410000",
        "河南省发展和改革委员会",
        &[],
        403,
    )
    .await;
    new_department(app, &w.sup_foreign.token, "411602", "外地", &[], 403).await;
    new_department(app, &w.cadre.token, "411602", "干部", &[], 403).await;
    new_department(app, &w.staff1.token, "411602", "企业", &[], 403).await;
    // A name is unique within its region only.
    let taken = new_department(app, &w.admin, "411600", "周口市自然资源和规划局", &[], 409).await;
    assert!(
        taken["detail"].as_str().unwrap().contains("name"),
        "{taken}"
    );
    new_department(app, &w.admin, "411602", "周口市自然资源和规划局", &[], 201).await;
    // Bad fields: an unknown category, a heading (not a government), an empty name.
    let bad = new_department(app, &w.admin, "411600", "x", &["mining"], 422).await;
    assert_field_error(&bad, "categories");
    let heading = new_department(app, &w.admin, "419000", "省直辖", &[], 422).await;
    assert_field_error(&heading, "region_code");
    let blank = new_department(app, &w.admin, "411600", "\u{200B} ", &[], 422).await;
    assert_field_error(&blank, "name");

    // The government side reads the rosters, filtered; enterprises do not.
    let all = app
        .get("/api/v1/departments?region=411600")
        .as_(&w.cadre.token)
        .expect(200)
        .await;
    assert_eq!(names(&all).len(), 3, "{all}");
    let of_land = app
        .get("/api/v1/departments?category=land")
        .as_(&w.sup_foreign.token)
        .expect(200)
        .await;
    assert_eq!(names(&of_land), ["周口市自然资源和规划局"]);
    let county = app
        .get("/api/v1/departments?region=411602&q=发展")
        .as_(&w.admin)
        .expect(200)
        .await;
    assert_eq!(names(&county), ["川汇区发展和改革委员会"]);
    let paged = app
        .get("/api/v1/departments?limit=2")
        .as_(&w.admin)
        .expect(200)
        .await;
    assert_eq!(names(&paged).len(), 2);
    let cursor = paged["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("/api/v1/departments?limit=2&cursor={cursor}"))
        .as_(&w.admin)
        .expect(200)
        .await;
    assert_eq!(names(&rest).len(), 1);
    app.get("/api/v1/departments")
        .as_(&w.staff1.token)
        .expect(403)
        .await;
    app.get("/api/v1/departments?regoin=411600")
        .as_(&w.admin)
        .expect(400)
        .await;
    app.get(&format!("/api/v1/departments/{}", id(&land)))
        .as_(&w.cadre.token)
        .expect(200)
        .await;
    app.get("/api/v1/departments/999999")
        .as_(&w.admin)
        .expect(404)
        .await;

    // Changes: a rename, a new set of categories, deactivation; the city's supervisor may
    // change the county's department but not the other way round.
    let path = format!("/api/v1/departments/{}", id(&energy));
    let changed = app
        .patch(&path)
        .as_(&w.sup_own.token)
        .json(json!({"name": "川汇区发展改革委", "categories": ["energy", "policy"], "active": false}))
        .expect(200)
        .await;
    assert_eq!(changed["name"], "川汇区发展改革委");
    assert_eq!(changed["categories"], json!(["energy", "policy"]));
    assert_eq!(changed["active"], false);
    app.patch(&format!("/api/v1/departments/{}", id(&land)))
        .as_(&desk.sup_county.token)
        .json(json!({"active": false}))
        .expect(403)
        .await;
    app.patch(&path)
        .as_(&w.cadre.token)
        .json(json!({"active": true}))
        .expect(403)
        .await;
    app.patch(&path)
        .as_(&w.admin)
        .json(json!({"categories": ["nope"]}))
        .expect(422)
        .await;
    app.patch(&path)
        .as_(&w.admin)
        .json(json!({"colour": "red"}))
        .expect(422)
        .await;
    let inactive = app
        .get("/api/v1/departments?active=false")
        .as_(&w.admin)
        .expect(200)
        .await;
    assert_eq!(names(&inactive), ["川汇区发展改革委"]);
    // A refused change changed nothing.
    let after = app.get(&path).as_(&w.admin).expect(200).await;
    assert_eq!(after["categories"], json!(["energy", "policy"]));
}

async fn a_cadre_belongs_to_a_department_of_their_region(app: &TestApp) {
    let desk = Desk::build(app).await;
    let w = &desk.world;
    let city = new_department(
        app,
        &w.admin,
        "411600",
        "周口市自然资源和规划局",
        &["land"],
        201,
    )
    .await;
    let county = new_department(app, &w.admin, "411602", "川汇区自然资源局", &["land"], 201).await;
    let region = |code: &str, department: &Value| json!({"region_code": code, "department_id": department["id"], "display_name": "王芳"});
    let member = person(
        app,
        &w.sup_own.token,
        "cadre.wang",
        "cadre",
        region("411600", &city),
    )
    .await;
    assert_eq!(member.user["department_id"], city["id"]);
    // Only a department of the cadre's own region, active, and only for cadres.
    let refused = app
        .post("/api/v1/users")
        .as_(&w.admin)
        .json(
            json!({"username": "cadre.x", "password": "correct-horse-battery", "role": "cadre",
                     "region_code": "411602", "department_id": city["id"]}),
        )
        .expect(422)
        .await;
    assert_field_error(&refused, "department_id");
    let supervisor = app
        .post("/api/v1/users")
        .as_(&w.admin)
        .json(
            json!({"username": "sup.x", "password": "correct-horse-battery", "role": "supervisor",
                     "region_code": "411600", "department_id": city["id"]}),
        )
        .expect(422)
        .await;
    assert_field_error(&supervisor, "department_id");

    // Listed by department, found by part of the name.
    let listed = app
        .get(&format!("/api/v1/users?department_id={}", id(&city)))
        .as_(&w.sup_own.token)
        .expect(200)
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    let found = app
        .get("/api/v1/users?q=王")
        .as_(&w.sup_own.token)
        .expect(200)
        .await;
    assert_eq!(found["items"][0]["username"], "cadre.wang", "{found}");
    let by_username = app
        .get("/api/v1/users?q=CADRE.W")
        .as_(&w.sup_own.token)
        .expect(200)
        .await;
    assert_eq!(
        by_username["items"].as_array().unwrap().len(),
        1,
        "{by_username}"
    );

    // A move to the county leaves the city's department; joining the county's is explicit.
    let path = format!("/api/v1/users/{}", member.id());
    let moved = app
        .patch(&path)
        .as_(&w.sup_own.token)
        .json(json!({"region_code": "411602"}))
        .expect(200)
        .await;
    assert!(
        moved.get("department_id").is_some_and(Value::is_null),
        "{moved}"
    );
    let joined = app
        .patch(&path)
        .as_(&w.sup_own.token)
        .json(json!({"department_id": county["id"]}))
        .expect(200)
        .await;
    assert_eq!(joined["department_id"], county["id"]);
    // Unchanged by a patch that does not name it; left with null.
    let renamed = app
        .patch(&path)
        .as_(&w.sup_own.token)
        .json(json!({"display_name": "王芳芳"}))
        .expect(200)
        .await;
    assert_eq!(renamed["department_id"], county["id"]);
    let left = app
        .patch(&path)
        .as_(&w.sup_own.token)
        .json(json!({"department_id": null}))
        .expect(200)
        .await;
    assert!(
        left.get("department_id").is_some_and(Value::is_null),
        "{left}"
    );
    // A deactivated department takes no one.
    app.patch(&format!("/api/v1/departments/{}", id(&county)))
        .as_(&w.admin)
        .json(json!({"active": false}))
        .expect(200)
        .await;
    let closed = app
        .patch(&path)
        .as_(&w.sup_own.token)
        .json(json!({"department_id": county["id"]}))
        .expect(422)
        .await;
    assert_field_error(&closed, "department_id");
}
