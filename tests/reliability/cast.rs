//! The people a load needs, created through the API of a running server (the administrator with
//! `create-admin`), and the database opened beside it for checks no endpoint offers.

use diesel::{ExpressionMethods, QueryableByName, RunQueryDsl};
use enterprise_assist::db::schema::enterprise_cadres;
use enterprise_assist::db::{Database, DbError, PoolOptions};
use reqwest::Method;
use serde_json::{Value, json};

use crate::server::{ADMIN_PASSWORD, PASSWORD, Server, call, command, login};

/// An administrator, an enterprise in Chuanhui district (411602) with a staff user, and the
/// county cadre paired with it, so its filings are assigned at once.
pub struct Cast {
    pub admin: String,
    pub staff: String,
    pub cadre: String,
    pub enterprise_id: i64,
}

/// A valid unified social credit code (GB 32100-2015 check character).
pub fn uscc(seed: u32) -> String {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let body = format!("91411602{seed:09}");
    let sum: usize = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(c, w)| CHARSET.iter().position(|&x| x == c).unwrap() * w)
        .sum();
    format!("{body}{}", CHARSET[(31 - sum % 31) % 31] as char)
}

async fn created(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    path: &str,
    body: Value,
) -> Value {
    let (status, answer) = call(
        client,
        Method::POST,
        &server.url(path),
        Some(token),
        Some(body),
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{path}: {answer}");
    answer
}

impl Cast {
    pub async fn build(
        client: &reqwest::Client,
        server: &Server,
        env: &[(String, String)],
    ) -> Cast {
        command(env, &["create-admin", "--username", "admin"]);
        let admin = login(client, server, "admin", ADMIN_PASSWORD).await;
        let enterprise = created(
            client,
            server,
            &admin,
            "/api/v1/enterprises",
            json!({
                "name": "周口示范企业", "uscc": uscc(1), "county_code": "411602"
            }),
        )
        .await;
        let enterprise_id = enterprise["id"].as_i64().unwrap();
        let cadre = created(client, server, &admin, "/api/v1/users", json!({
            "username": "cadre.load", "password": PASSWORD, "role": "cadre", "region_code": "411602"
        }))
        .await;
        created(client, server, &admin, "/api/v1/users", json!({
            "username": "staff.load", "password": PASSWORD, "role": "enterprise", "enterprise_id": enterprise_id
        }))
        .await;
        let db = open(env).await;
        let cadre_id = cadre["id"].as_i64().unwrap();
        db.run(move |conn| {
            diesel::insert_into(enterprise_cadres::table)
                .values((
                    enterprise_cadres::enterprise_id.eq(enterprise_id),
                    enterprise_cadres::user_id.eq(cadre_id),
                    enterprise_cadres::is_primary.eq(true),
                    enterprise_cadres::created_at.eq(chrono::Utc::now().naive_utc()),
                ))
                .execute(conn)
                .map_err(DbError::from)
        })
        .await
        .unwrap();
        Cast {
            admin,
            staff: login(client, server, "staff.load", PASSWORD).await,
            cadre: login(client, server, "cadre.load", PASSWORD).await,
            enterprise_id,
        }
    }
}

/// The server's database, opened by the test itself.
pub async fn open(env: &[(String, String)]) -> Database {
    let url = &env.iter().find(|(k, _)| k == "DATABASE_URL").unwrap().1;
    let options = PoolOptions {
        max_size: 2,
        checkout_timeout: std::time::Duration::from_secs(10),
    };
    let db = Database::new(url, &options).unwrap();
    db.migrate(
        enterprise_assist::domain::time::DEFAULT_TIMEZONE,
        enterprise_assist::db::programme_time::Rekeying::Refused,
    )
    .await
    .unwrap();
    db
}

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

/// The one text column `value` a query answers, as the service's own connections see it
/// (counts are cast to text by the query).
pub async fn query_text(db: &Database, sql: &'static str) -> String {
    db.run(move |conn| {
        let row: Text = diesel::sql_query(sql).get_result(conn)?;
        Ok::<_, DbError>(row.value)
    })
    .await
    .unwrap()
}
