//! The test harness: the real application on a free port against a fresh database of either
//! backend, dropped when the test ends. PostgreSQL is found through `TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`); the test creates a database of its
//! own there and drops it.

use std::path::PathBuf;
use std::sync::Arc;

use enterprise_assist::clock::ManualClock;
use enterprise_assist::config::{LimitSettings, Secret, Settings};
use enterprise_assist::db::{Backend, Database};
use enterprise_assist::domain::time::Tz;
use enterprise_assist::startup::Application;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use crate::postgres::TestPostgres;

/// The signing secret of every test application, so tests can forge tokens.
pub const JWT_SECRET: &str = "test-secret-that-is-at-least-32-bytes-long";
pub const JWT_ISSUER: &str = "enterprise-assist";
pub const JWT_AUDIENCE: &str = "enterprise-assist";
/// The administrator every test application can bootstrap with [`TestApp::admin_token`].
pub const ADMIN_USERNAME: &str = "admin";
pub const ADMIN_PASSWORD: &str = "admin-password-0001";
/// Password hashes computed at once, in every application of the test process.
pub const PASSWORD_HASH_CONCURRENCY: u32 = 2;

/// Runs each named test (an `async fn(&TestApp)` of the enclosing module) once per backend.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   $crate::helpers::run_test(enterprise_assist::db::Backend::Sqlite, super::$name).await
               } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   $crate::helpers::run_test(enterprise_assist::db::Backend::Postgres, super::$name).await
               } )*
        }
    };
}

/// The same as [`both_backends!`], with the settings changed by `$adjust` (an `fn(&mut Settings)`).
#[macro_export]
macro_rules! both_backends_with {
    ($adjust:ident; $($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   $crate::helpers::run_test_with(enterprise_assist::db::Backend::Sqlite, super::$adjust, super::$name).await
               } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   $crate::helpers::run_test_with(enterprise_assist::db::Backend::Postgres, super::$adjust, super::$name).await
               } )*
        }
    };
}

/// Builds an app, runs the test, and always tears the app down, the test's panic included.
pub async fn run_test<F>(backend: Backend, test: F)
where
    F: AsyncFnOnce(&TestApp),
{
    run_test_with(backend, |_| {}, test).await
}

/// [`run_test`] with the settings changed by `adjust` first.
pub async fn run_test_with<F>(backend: Backend, adjust: impl FnOnce(&mut Settings), test: F)
where
    F: AsyncFnOnce(&TestApp),
{
    use futures_util::FutureExt;
    let app = TestApp::spawn_with(backend, adjust).await;
    let outcome = std::panic::AssertUnwindSafe(test(&app))
        .catch_unwind()
        .await;
    app.server.stop(false).await;
    drop(app);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The application's database, for setting up what no endpoint creates (the first admin).
    pub db: Database,
    /// What its handlers and periodic work share: `jobs::run_once(&app.state, now)`.
    pub state: actix_web::web::Data<enterprise_assist::state::AppState>,
    /// Its URL, for the commands a test runs against the same database.
    pub database_url: String,
    /// The application's clock: tests move it instead of sleeping.
    pub clock: Arc<ManualClock>,
    /// Programme time (`TIMEZONE`), as the application was started with.
    pub timezone: Tz,
    admin_token: OnceCell<String>,
    server: actix_web::dev::ServerHandle,
    /// What the application was built with, for a second instance on the same database.
    settings: Settings,
    /// Held for its `Drop`, which drops the database.
    _database: TestDatabase,
}

enum TestDatabase {
    /// Held for its `Drop`, which deletes the directory (holding `test.db`).
    Sqlite {
        dir: tempfile::TempDir,
    },
    Postgres(TestPostgres),
    /// Another instance's database, dropped by that instance.
    Shared,
}

impl TestApp {
    /// Builds the application on `backend` with the test settings, changed by `adjust` (limits
    /// a test turns on, for instance).
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        if std::env::var_os("TEST_LOG").is_some() {
            enterprise_assist::telemetry::init(&enterprise_assist::config::LogSettings {
                log_level: "info".into(),
                log_format: enterprise_assist::config::LogFormat::Human,
            });
        }
        let (url, database) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let path: PathBuf = dir.path().join("test.db");
                (
                    format!("sqlite://{}", path.display()),
                    TestDatabase::Sqlite { dir },
                )
            }
            Backend::Postgres => {
                let postgres = TestPostgres::create();
                (postgres.url.clone(), TestDatabase::Postgres(postgres))
            }
        };
        let mut settings = test_settings(url);
        adjust(&mut settings);
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        TestApp::start(settings, clock, database).await
    }

    /// A second instance of the application on this one's database, with the same settings
    /// and clock, as several instances behind a load balancer share one database. Stop it with
    /// [`TestApp::stop`]; the first instance drops the database.
    pub async fn spawn_sibling(&self) -> TestApp {
        TestApp::start(
            self.settings.clone(),
            self.clock.clone(),
            TestDatabase::Shared,
        )
        .await
    }

    async fn start(settings: Settings, clock: Arc<ManualClock>, database: TestDatabase) -> TestApp {
        let app = Application::build_with_clock(&settings, clock.clone())
            .await
            .expect("the application builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let server = app.handle();
        let db = app.database();
        let state = app.state();
        let timezone = settings.timezone;
        tokio::spawn(app.run_until_stopped());
        TestApp {
            address,
            client: reqwest::Client::new(),
            db,
            state,
            database_url: settings.database_url.clone().expect("a test database"),
            clock,
            timezone,
            admin_token: OnceCell::new(),
            server,
            settings,
            _database: database,
        }
    }

    /// Stops the server (a sibling's; the harness stops the first instance itself).
    pub async fn stop(&self) {
        self.server.stop(false).await;
    }

    /// Drops a PostgreSQL test database under the running application (a database outage).
    pub fn drop_database(&self) {
        if let TestDatabase::Postgres(postgres) = &self._database {
            postgres.drop_now();
        }
    }

    /// The SQLite database file, when the test runs on SQLite.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        match &self._database {
            TestDatabase::Sqlite { dir } => Some(dir.path().join("test.db")),
            TestDatabase::Postgres(_) | TestDatabase::Shared => None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A request to `path`, to finish with [`Call::as_`], [`Call::json`], then
    /// [`Call::expect`] (or `.await` for the response itself).
    pub fn request_to(&self, method: Method, path: &str) -> Call<'_> {
        Call {
            app: self,
            method,
            path: path.to_owned(),
            token: None,
            body: None,
        }
    }

    pub fn get(&self, path: &str) -> Call<'_> {
        self.request_to(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Call<'_> {
        self.request_to(Method::POST, path)
    }

    pub fn put(&self, path: &str) -> Call<'_> {
        self.request_to(Method::PUT, path)
    }

    pub fn patch(&self, path: &str) -> Call<'_> {
        self.request_to(Method::PATCH, path)
    }

    pub fn delete(&self, path: &str) -> Call<'_> {
        self.request_to(Method::DELETE, path)
    }

    /// GET expecting `status`, returning the JSON body.
    pub async fn get_json(&self, path: &str, status: u16) -> Value {
        let response = self.get(path).await;
        expect_json(response, status).await
    }

    /// Any request, with a bearer token when given and a JSON body when given.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }

    /// A POST of a CSV body (`text/csv`), with a bearer token when given.
    pub async fn post_csv(&self, path: &str, token: Option<&str>, csv: &str) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("content-type", "text/csv")
            .body(csv.to_owned());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// A request expecting `status`; returns the JSON body (`Value::Null` for an empty one).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let response = self
            .request(method.clone(), path, token, body.as_ref())
            .await;
        if response.status().as_u16() == status && status == 204 {
            return Value::Null;
        }
        expect_json(response, status).await
    }

    /// Logs in, expecting success; returns the token response.
    pub async fn login(&self, username: &str, password: &str) -> Value {
        let body = json!({"username": username, "password": password});
        self.call(Method::POST, "/api/v1/auth/login", None, Some(body), 200)
            .await
    }

    /// An access token of the bootstrapped administrator (created on first use, as
    /// `create-admin` does).
    pub async fn admin_token(&self) -> String {
        self.admin_token
            .get_or_init(|| async {
                enterprise_assist::services::users::create_admin(
                    &self.db,
                    self.clock.clone(),
                    ADMIN_USERNAME.to_owned(),
                    ADMIN_PASSWORD.to_owned(),
                )
                .await
                .expect("the administrator is created");
                self.login(ADMIN_USERNAME, ADMIN_PASSWORD).await["access_token"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .await
            .clone()
    }
}

/// A request being built: `app.get(path).as_(token).expect(200)` returns the JSON body.
pub struct Call<'a> {
    app: &'a TestApp,
    method: Method,
    path: String,
    token: Option<String>,
    body: Option<Value>,
}

impl<'a> Call<'a> {
    /// Sent with `token` as its bearer token.
    pub fn as_(mut self, token: &str) -> Call<'a> {
        self.token = Some(token.to_owned());
        self
    }

    /// Sent with `body` as JSON.
    pub fn json(mut self, body: Value) -> Call<'a> {
        self.body = Some(body);
        self
    }

    /// Sends it, asserting the answer's `status`; returns the JSON body (`Value::Null` for a
    /// 204).
    pub async fn expect(self, status: u16) -> Value {
        let token = self.token.as_deref();
        self.app
            .call(self.method, &self.path, token, self.body, status)
            .await
    }
}

impl<'a> std::future::IntoFuture for Call<'a> {
    type Output = reqwest::Response;
    type IntoFuture =
        std::pin::Pin<Box<dyn std::future::Future<Output = reqwest::Response> + Send + 'a>>;

    /// Sends it and returns the response as it came.
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let token = self.token.as_deref();
            self.app
                .request(self.method, &self.path, token, self.body.as_ref())
                .await
        })
    }
}

/// Whether `value` has `field`, and it is null: a missing field is not a null one.
pub fn holds_null(value: &Value, field: &str) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.get(field).is_some_and(Value::is_null))
}

/// Asserts the status and returns the body as JSON; a problem body must say `application/problem+json`.
pub async fn expect_json(response: reqwest::Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.text().await.expect("a body");
    assert_eq!(actual, status, "unexpected status; body: {body}");
    let expected_type = if status >= 400 {
        "application/problem+json"
    } else {
        "application/json"
    };
    assert!(
        content_type.starts_with(expected_type),
        "content type {content_type:?} for {status}: {body}"
    );
    serde_json::from_str(&body).expect("a JSON body")
}

fn test_settings(database_url: String) -> Settings {
    Settings {
        database_url: Some(database_url),
        data_dir: std::env::temp_dir(),
        bind: "127.0.0.1:0".parse().unwrap(),
        db_pool_size: 8,
        db_timeout_secs: 2,
        workers: Some(2),
        jwt_secret: Some(Secret::new(JWT_SECRET)),
        access_token_ttl_secs: 900,
        metrics_token: None,
        refresh_token_ttl_secs: 14 * 24 * 3600,
        timezone: enterprise_assist::domain::time::DEFAULT_TIMEZONE,
        session_lifetime_secs: 30 * 24 * 3600,
        tickets: Default::default(),
        // Off: tests file and call in bursts; the tests of the limits turn them on.
        limits: LimitSettings {
            rate_limit_requests: 0,
            filing_quota_per_hour: 0,
            filing_quota_per_day: 0,
            password_hash_concurrency: Some(PASSWORD_HASH_CONCURRENCY),
            ..LimitSettings::default()
        },
    }
}
