//! A PostgreSQL database of one test, created on `TEST_DATABASE_URL`'s server (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and dropped with its value. Shared by the API
//! harness and the reliability tests (each includes this file with `#[path]`).

use diesel::{Connection, PgConnection, RunQueryDsl};

const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The server's administrative URL, from `TEST_DATABASE_URL`.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned())
}

/// `postgres://user@host:port` of a URL naming a database.
pub fn server_url(url: &str) -> String {
    let (base, _) = url
        .split('?')
        .next()
        .unwrap()
        .rsplit_once('/')
        .expect("the URL names a database");
    base.to_owned()
}

/// A fresh database; dropped (forcibly, its connections closed) when the value is.
pub struct TestPostgres {
    pub admin_url: String,
    pub name: String,
    /// Its URL.
    pub url: String,
}

impl TestPostgres {
    pub fn create() -> TestPostgres {
        let admin_url = postgres_admin_url();
        let name = format!("ea_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
            panic!("PostgreSQL is needed at TEST_DATABASE_URL ({admin_url}): {e}")
        });
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .expect("the test database is created");
        let url = format!("{}/{name}", server_url(&admin_url));
        TestPostgres {
            admin_url,
            name,
            url,
        }
    }

    /// Drops the database now, under whatever runs on it (an outage).
    #[allow(dead_code, reason = "the reliability tests stop the server instead")]
    pub fn drop_now(&self) {
        let mut conn = PgConnection::establish(&self.admin_url).expect("PostgreSQL is reachable");
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut conn)
        .expect("the test database is dropped");
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        // Quietly when PostgreSQL is gone: a test of an outage may have stopped it.
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}
