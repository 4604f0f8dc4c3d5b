//! Listing, filtering and changing enterprises, and who sees which.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{World, assert_field_error, id, new_enterprise, valid_uscc, with_bad_check};
use crate::helpers::{TestApp, holds_null};

const ENTERPRISES: &str = "/api/v1/enterprises";

fn path(enterprise: &Value) -> String {
    format!("{ENTERPRISES}/{}", id(enterprise))
}

/// Every enterprise name `token` may list with `query`, walking pages of two.
pub async fn names(app: &TestApp, token: &str, query: &str) -> BTreeSet<String> {
    let mut seen = Vec::new();
    let mut next = format!("{ENTERPRISES}?limit=2{query}");
    loop {
        let page = app.get(&next).as_(token).expect(200).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2, "{page}");
        seen.extend(items.iter().map(|e| e["name"].as_str().unwrap().to_owned()));
        let Some(cursor) = page["next_cursor"].as_str() else {
            break;
        };
        next = format!("{ENTERPRISES}?limit=2{query}&cursor={cursor}");
        assert!(seen.len() < 100, "the cursor never ends");
    }
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        seen.len(),
        "an enterprise on two pages: {seen:?}"
    );
    unique
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

async fn create(
    app: &TestApp,
    token: &str,
    seed: u32,
    name: &str,
    county: &str,
    industry: &str,
) -> Value {
    let body = json!({"name": name, "uscc": valid_uscc(seed), "county_code": county, "industry": industry});
    app.post(ENTERPRISES)
        .as_(token)
        .json(body)
        .expect(201)
        .await
}

async fn lists_filter_by_region_name_industry_and_activity(app: &TestApp) {
    let w = World::build(app).await;
    create(app, &w.admin, 10, "Zhoukou Flour Mill", "411602", "food").await;
    create(app, &w.admin, 11, "周口恒达食品有限公司", "411681", "food").await;
    let textile = create(
        app,
        &w.admin,
        12,
        "Xiangcheng Textiles 100%",
        "411681",
        "textile",
    )
    .await;
    create(app, &w.admin, 13, "郑州 flour 公司", "410102", "food").await;

    let all = names(app, &w.admin, "").await;
    assert_eq!(all.len(), 6, "{all:?}");
    let zhoukou = names(app, &w.admin, "&region=411600").await;
    assert_eq!(
        zhoukou,
        set(&[
            "Enterprise 1",
            "Zhoukou Flour Mill",
            "周口恒达食品有限公司",
            "Xiangcheng Textiles 100%"
        ])
    );
    assert_eq!(names(app, &w.admin, "&region=411681").await.len(), 2);
    assert_eq!(names(app, &w.admin, "&region=410000").await, all);
    // A name substring, whatever the case of its Latin letters; wildcards match themselves.
    assert_eq!(
        names(app, &w.admin, "&q=FLOUR").await,
        set(&["Zhoukou Flour Mill", "郑州 flour 公司"])
    );
    assert_eq!(
        names(app, &w.admin, "&q=%E6%81%92%E8%BE%BE").await,
        set(&["周口恒达食品有限公司"])
    );
    assert_eq!(
        names(app, &w.admin, "&q=100%25").await,
        set(&["Xiangcheng Textiles 100%"])
    );
    assert!(names(app, &w.admin, "&q=_").await.is_empty());
    assert_eq!(
        names(app, &w.admin, "&industry=food&region=411600")
            .await
            .len(),
        2
    );

    app.patch(&path(&textile))
        .as_(&w.admin)
        .json(json!({"active": false}))
        .expect(200)
        .await;
    assert_eq!(
        names(app, &w.admin, "&active=false").await,
        set(&["Xiangcheng Textiles 100%"])
    );
    assert_eq!(names(app, &w.admin, "&active=true").await.len(), 5);

    // Each caller lists what they may see, whatever they ask for.
    assert_eq!(names(app, &w.sup_own.token, "").await, zhoukou);
    assert!(
        names(app, &w.sup_own.token, "&region=410100")
            .await
            .is_empty()
    );
    assert_eq!(
        names(app, &w.sup_foreign.token, "").await,
        set(&["Enterprise 2", "郑州 flour 公司"])
    );
    assert_eq!(
        names(app, &w.staff1.token, "").await,
        set(&["Enterprise 1"])
    );
    assert!(
        names(app, &w.cadre.token, "").await.is_empty(),
        "no pairings yet"
    );

    for bad in [
        "?region=4116",
        "?limit=0",
        "?active=maybe",
        "?cursor=nonsense",
    ] {
        let problem = app
            .get(&format!("{ENTERPRISES}{bad}"))
            .as_(&w.admin)
            .expect(400)
            .await;
        assert_eq!(problem["status"], 400, "{bad}");
    }
}

async fn changes_are_validated_and_kept(app: &TestApp) {
    let w = World::build(app).await;
    let e1 = path(&w.e1);
    let body = json!({
        "name": "Renamed Mill", "industry": "food", "contact_name": "Li Lei",
        "contact_phone": "0394-1234567", "county_code": "411681",
    });
    let changed = app
        .patch(&e1)
        .as_(&w.sup_own.token)
        .json(body.clone())
        .expect(200)
        .await;
    for (key, value) in body.as_object().unwrap() {
        assert_eq!(&changed[key], value, "{key}");
    }
    assert_eq!(changed["uscc"], w.e1["uscc"]);
    assert_eq!(app.get(&e1).as_(&w.admin).expect(200).await, changed);
    // A blank optional field clears it; an absent one stays.
    let cleared = app
        .patch(&e1)
        .as_(&w.admin)
        .json(json!({"industry": ""}))
        .expect(200)
        .await;
    assert!(holds_null(&cleared, "industry"));
    assert_eq!(cleared["contact_name"], "Li Lei");

    let cases = [
        (json!({"uscc": with_bad_check(&valid_uscc(30))}), "uscc"),
        (json!({"name": "  "}), "name"),
        (json!({"county_code": "411600"}), "county_code"),
        (json!({"county_code": "41160"}), "county_code"),
        (json!({"contact_phone": "1".repeat(41)}), "contact_phone"),
        (json!({"region": "411602"}), "region"),
    ];
    for (body, field) in cases {
        let problem = app.patch(&e1).as_(&w.admin).json(body).expect(422).await;
        assert_field_error(&problem, field);
    }
    let taken = json!({ "uscc": w.e2["uscc"] });
    app.patch(&e1).as_(&w.admin).json(taken).expect(409).await;
    let fixed = json!({ "uscc": valid_uscc(31) });
    let corrected = app.patch(&e1).as_(&w.admin).json(fixed).expect(200).await;
    assert_eq!(corrected["uscc"], valid_uscc(31));
    // Nothing of the refused changes was written.
    let now = app.get(&e1).as_(&w.admin).expect(200).await;
    assert_eq!(
        (&now["name"], &now["county_code"]),
        (&json!("Renamed Mill"), &json!("411681"))
    );
}

async fn changes_are_scoped(app: &TestApp) {
    let w = World::build(app).await;
    let (e1, e2) = (path(&w.e1), path(&w.e2));
    let rename = || Some(json!({"name": "taken over"}));
    // Out of scope: as if it did not exist.
    app.get(&e1).as_(&w.sup_foreign.token).expect(404).await;
    app.call(
        Method::PATCH,
        &e1,
        Some(&w.sup_foreign.token),
        rename(),
        404,
    )
    .await;
    app.call(Method::PATCH, &e2, Some(&w.sup_own.token), rename(), 404)
        .await;
    app.call(Method::PATCH, &e1, Some(&w.cadre.token), rename(), 404)
        .await;
    // Visible but not theirs to change.
    app.call(Method::PATCH, &e1, Some(&w.staff1.token), rename(), 403)
        .await;
    // A supervisor may not move an enterprise out of their region.
    let away = Some(json!({"county_code": "410102"}));
    app.call(Method::PATCH, &e1, Some(&w.sup_own.token), away, 403)
        .await;
    let unknown = format!("{ENTERPRISES}/999999999");
    app.call(Method::PATCH, &unknown, Some(&w.admin), rename(), 404)
        .await;
    let now = app.get(&e1).as_(&w.admin).expect(200).await;
    assert_eq!(now, w.e1);
}

async fn a_cadre_reads_the_enterprises_paired_with_them(app: &TestApp) {
    let w = World::build(app).await;
    let other = new_enterprise(app, &w.admin, 40, "411602").await;
    let pairing = json!({"cadres": [{"user_id": w.cadre.user["id"], "primary": true}]});
    let cadres = format!("{}/cadres", path(&w.e1));
    app.put(&cadres)
        .as_(&w.sup_own.token)
        .json(pairing)
        .expect(200)
        .await;

    assert_eq!(names(app, &w.cadre.token, "").await, set(&["Enterprise 1"]));
    app.get(&path(&w.e1)).as_(&w.cadre.token).expect(200).await;
    app.get(&path(&other)).as_(&w.cadre.token).expect(404).await;
    let rename = Some(json!({"name": "cadre's choice"}));
    app.call(
        Method::PATCH,
        &path(&w.e1),
        Some(&w.cadre.token),
        rename,
        403,
    )
    .await;
    app.get(&cadres).as_(&w.cadre.token).expect(200).await;
    app.put(&cadres)
        .as_(&w.cadre.token)
        .json(json!({"cadres": []}))
        .expect(403)
        .await;
}

both_backends!(
    lists_filter_by_region_name_industry_and_activity,
    changes_are_validated_and_kept,
    changes_are_scoped,
    a_cadre_reads_the_enterprises_paired_with_them,
);
