//! Pairings stay inside the rules when people or enterprises move: a move that leaves a cadre
//! unable to assist an enterprise ends that pairing in the same transaction, and filing never
//! assigns a ticket to a cadre who may not hold it.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{Person, id, valid_uscc};
use crate::helpers::{TestApp, expect_json};
use crate::ticket_fixtures::Desk;

/// The usernames of an enterprise's cadres, with whether each is primary.
async fn cadres_of(app: &TestApp, token: &str, enterprise: &Value) -> Vec<(String, bool)> {
    let path = format!("/api/v1/enterprises/{}/cadres", id(enterprise));
    let page = app.call(Method::GET, &path, Some(token), None, 200).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["username"].as_str().unwrap().to_owned(),
                c["primary"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Pairs e1 with its county cadre (primary) and the city cadre.
async fn pair_both(app: &TestApp, d: &Desk) {
    let path = format!("/api/v1/enterprises/{}/cadres", id(&d.world.e1));
    let body = json!({"cadres": [
        {"user_id": d.world.cadre.user["id"], "primary": true},
        {"user_id": d.cadre_city.user["id"], "primary": false},
    ]});
    app.call(Method::PUT, &path, Some(&d.world.admin), Some(body), 200)
        .await;
}

async fn patch_user(app: &TestApp, token: &str, who: &Person, body: Value) -> Value {
    let path = format!("/api/v1/users/{}", who.id());
    app.call(Method::PATCH, &path, Some(token), Some(body), 200)
        .await
}

async fn assert_filing_waits_for_dispatch(app: &TestApp, d: &Desk) {
    let ticket = d.file(app, &d.world.staff1.token, json!({})).await;
    assert_eq!(
        (&ticket["status"], &ticket["assignee_id"]),
        (&json!("submitted"), &Value::Null),
        "{ticket}"
    );
}

async fn a_cadre_moved_away_loses_the_pairings_the_move_breaks(app: &TestApp) {
    let d = Desk::build(app).await;
    pair_both(app, &d).await;
    let sup = &d.world.sup_own.token;
    // Within the city: the county cadre moves to the neighbouring county; the city cadre to
    // the province, which still holds the enterprise's county.
    patch_user(app, sup, &d.world.cadre, json!({"region_code": "411603"})).await;
    patch_user(
        app,
        &d.world.admin,
        &d.cadre_city,
        json!({"region_code": "410000"}),
    )
    .await;
    assert_eq!(
        cadres_of(app, sup, &d.world.e1).await,
        [("cadre.city".to_owned(), false)]
    );
    // The moved cadre (logged in again: the move revoked its tokens) no longer reads the
    // enterprise, and its new tickets wait for dispatch.
    let session = app.login("cadre.own", crate::fixtures::PASSWORD).await;
    let token = session["access_token"].as_str().unwrap();
    let path = format!("/api/v1/enterprises/{}", id(&d.world.e1));
    app.call(Method::GET, &path, Some(token), None, 404).await;
    assert_filing_waits_for_dispatch(app, &d).await;
}

async fn deactivation_and_role_changes_end_pairings(app: &TestApp) {
    let d = Desk::build(app).await;
    pair_both(app, &d).await;
    patch_user(
        app,
        &d.world.admin,
        &d.world.cadre,
        json!({"role": "supervisor"}),
    )
    .await;
    patch_user(
        app,
        &d.world.sup_own.token,
        &d.cadre_city,
        json!({"active": false}),
    )
    .await;
    assert!(cadres_of(app, &d.world.admin, &d.world.e1).await.is_empty());
    assert_filing_waits_for_dispatch(app, &d).await;
}

async fn an_enterprise_moved_away_loses_the_pairings_the_move_breaks(app: &TestApp) {
    let d = Desk::build(app).await;
    pair_both(app, &d).await;
    let path = format!("/api/v1/enterprises/{}", id(&d.world.e1));
    let body = json!({"county_code": "411603"});
    let moved = app
        .call(
            Method::PATCH,
            &path,
            Some(&d.world.sup_own.token),
            Some(body),
            200,
        )
        .await;
    assert_eq!(moved["county_code"], "411603");
    // The city cadre still assists it; with its primary gone, its tickets wait for dispatch.
    assert_eq!(
        cadres_of(app, &d.world.admin, &d.world.e1).await,
        [("cadre.city".to_owned(), false)]
    );
    assert_filing_waits_for_dispatch(app, &d).await;
}

async fn imports_that_move_people_or_enterprises_end_broken_pairings(app: &TestApp) {
    let d = Desk::build(app).await;
    pair_both(app, &d).await;
    let admin = &d.world.admin;
    let import = async |kind: &str, csv: String| {
        let path = format!("/api/v1/imports/{kind}");
        expect_json(app.post_csv(&path, Some(admin), &csv).await, 200).await
    };
    let report = import("cadres", "username,region_code\ncadre.own,411603\n".into()).await;
    assert_eq!(
        (&report["updated"], &report["removed"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(
        cadres_of(app, admin, &d.world.e1).await,
        [("cadre.city".to_owned(), false)]
    );
    let csv = format!(
        "uscc,name,county_code\n{},Enterprise 1,410102\n",
        valid_uscc(1)
    );
    let report = import("enterprises", csv).await;
    assert_eq!(
        (&report["updated"], &report["removed"]),
        (&json!(1), &json!(1))
    );
    assert!(cadres_of(app, admin, &d.world.e1).await.is_empty());
}

/// A pairing broken behind the service's back (straight in the database) still gives no
/// ticket to a cadre who may not hold it.
async fn filing_skips_a_primary_who_may_not_hold_the_ticket(app: &TestApp) {
    let d = Desk::build(app).await;
    let cadre_id = d.world.cadre.user["id"].as_i64().unwrap();
    let breakages = [
        "UPDATE users SET region_code = '410102' WHERE id = $1",
        "UPDATE users SET role = 'supervisor' WHERE id = $1",
        "UPDATE users SET active = false WHERE id = $1",
    ];
    for sql in breakages {
        let sql = sql.replace("$1", &cadre_id.to_string());
        let restore = format!(
            "UPDATE users SET region_code = '411602', role = 'cadre', active = true WHERE id = {cadre_id}"
        );
        app.db
            .run(move |conn| {
                use diesel::RunQueryDsl;
                diesel::sql_query(restore).execute(conn)?;
                diesel::sql_query(sql).execute(conn)?;
                Ok::<_, enterprise_assist::db::DbError>(())
            })
            .await
            .unwrap();
        assert_filing_waits_for_dispatch(app, &d).await;
    }
}

both_backends!(
    a_cadre_moved_away_loses_the_pairings_the_move_breaks,
    deactivation_and_role_changes_end_pairings,
    an_enterprise_moved_away_loses_the_pairings_the_move_breaks,
    imports_that_move_people_or_enterprises_end_broken_pairings,
    filing_skips_a_primary_who_may_not_hold_the_ticket,
);
