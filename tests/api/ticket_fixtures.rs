//! The cast of the ticket tests: supervisors and cadres at the three levels above Chuanhui
//! district (411602), an enterprise there paired with its county cadre, one without a pairing,
//! and a foreign enterprise and supervisor.

use diesel::RunQueryDsl;
use enterprise_assist::db::DbError;
use enterprise_assist::db::schema::enterprise_cadres;
use reqwest::Method;
use serde_json::{Value, json};

use crate::fixtures::{Person, World, id, new_enterprise, person};
use crate::helpers::TestApp;

pub struct Desk {
    pub world: World,
    pub sup_county: Person,
    pub sup_province: Person,
    pub cadre_city: Person,
    pub cadre_province: Person,
    /// Staff of an enterprise in 411602 with no cadre: its tickets wait for dispatch.
    pub staff3: Person,
}

impl Desk {
    pub async fn build(app: &TestApp) -> Desk {
        let world = World::build(app).await;
        let admin = world.admin.clone();
        let region = |code: &str| json!({ "region_code": code });
        pair(app, &world.e1, &world.cadre).await;
        let e3 = new_enterprise(app, &admin, 3, "411602").await;
        Desk {
            sup_county: person(app, &admin, "sup.county", "supervisor", region("411602")).await,
            sup_province: person(app, &admin, "sup.henan", "supervisor", region("410000")).await,
            cadre_city: person(app, &admin, "cadre.city", "cadre", region("411600")).await,
            cadre_province: person(app, &admin, "cadre.henan", "cadre", region("410000")).await,
            staff3: person(
                app,
                &admin,
                "staff.three",
                "enterprise",
                json!({ "enterprise_id": e3["id"] }),
            )
            .await,
            world,
        }
    }

    /// Files a ticket as `token`'s holder, expecting 201.
    pub async fn file(&self, app: &TestApp, token: &str, extra: Value) -> Value {
        let mut body = json!({"category": "land", "title": "新厂房用地指标申请", "description": "需新增工业用地约20亩。"});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        app.call(
            Method::POST,
            "/api/v1/tickets",
            Some(token),
            Some(body),
            201,
        )
        .await
    }
}

/// Makes `cadre` the primary cadre of `enterprise` (straight in the database: the pairing API
/// is tested on its own).
pub async fn pair(app: &TestApp, enterprise: &Value, cadre: &Person) {
    use diesel::ExpressionMethods;
    let (enterprise_id, user_id) = (
        enterprise["id"].as_i64().unwrap(),
        cadre.user["id"].as_i64().unwrap(),
    );
    app.db
        .run(move |conn| {
            diesel::insert_into(enterprise_cadres::table)
                .values((
                    enterprise_cadres::enterprise_id.eq(enterprise_id),
                    enterprise_cadres::user_id.eq(user_id),
                    enterprise_cadres::is_primary.eq(true),
                    enterprise_cadres::created_at.eq(chrono::Utc::now().naive_utc()),
                ))
                .execute(conn)
                .map_err(DbError::from)
        })
        .await
        .expect("the pairing is stored");
}

/// `POST /tickets/{id}/{action}` as `token`'s holder, expecting `status`.
pub async fn act(
    app: &TestApp,
    token: &str,
    ticket: &Value,
    action: &str,
    body: Value,
    status: u16,
) -> Value {
    let path = format!("/api/v1/tickets/{}/{action}", id(ticket));
    app.call(Method::POST, &path, Some(token), Some(body), status)
        .await
}

/// The events of a ticket as seen by `token`'s holder: (action, from, to) triples.
pub async fn events(app: &TestApp, token: &str, ticket: &Value) -> Vec<(String, Value, Value)> {
    let path = format!("/api/v1/tickets/{}/events", id(ticket));
    let page = app.call(Method::GET, &path, Some(token), None, 200).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["from_status"].clone(),
                e["to_status"].clone(),
            )
        })
        .collect()
}

/// Puts every category on part 1's clocks in plain hours (accept 24 h / 4 h, resolve 360 h /
/// 72 h), written through part 1's `*_hours` fields, which mean `hours`: for the tests of the
/// colours' arithmetic and the counters, which count elapsed hours on a clock that starts at
/// whatever day the test runs.
pub async fn clocks_in_plain_hours(app: &TestApp) {
    let admin = app.admin_token().await;
    let categories = app.get("/api/v1/categories").as_(&admin).expect(200).await;
    let part_one = json!({
        "normal_response_hours": 24, "normal_resolution_hours": 360,
        "urgent_response_hours": 4, "urgent_resolution_hours": 72,
    });
    for category in categories["items"].as_array().unwrap() {
        let code = category["code"].as_str().unwrap();
        let changed = app
            .patch(&format!("/api/v1/categories/{code}"))
            .as_(&admin)
            .json(part_one.clone())
            .expect(200)
            .await;
        assert_eq!(
            changed["sla"]["urgent"]["resolve"],
            json!({"value": 72, "unit": "hours"})
        );
    }
}
