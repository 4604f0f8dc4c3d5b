//! Builds the application: pool, migrations, middleware, routes, and the HTTP server.
//! Tests build it the same way on port 0.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{Condition, ErrorHandlerResponse, ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use utoipa_actix_web::AppExt;

use crate::auth::password::{self, HashQueue};
use crate::auth::revocation::Revocations;
use crate::auth::token::{self, TokenKeys};
use crate::clock::{Clock, SystemClock};
use crate::config::{LimitSettings, Settings};
use crate::db::programme_time::Rekeying;
use crate::db::{Backend, Database, DbError};
use crate::domain::sla::Thresholds;
use crate::error::{PROBLEM_JSON, framework_problem};
use crate::metrics::MetricsAccess;
use crate::middleware::{self, rate_limit::RateLimiter};
use crate::openapi::{self, RouteTable};
use crate::routes;
use crate::services;
use crate::state::{AppState, CalendarCache};
use crate::telemetry;

/// The longest wait between two migration attempts while the database is unreachable at start.
const MIGRATION_RETRY_MAX: Duration = Duration::from_secs(2);

pub struct Application {
    port: u16,
    server: Server,
    db: Database,
    state: web::Data<AppState>,
    job_interval: Duration,
}

impl Application {
    /// Connects, migrates and binds; the server runs once [`Application::run_until_stopped`] is awaited.
    pub async fn build(settings: &Settings) -> anyhow::Result<Application> {
        Application::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// The same with a clock of the caller's choosing (tests move time with it).
    pub async fn build_with_clock(
        settings: &Settings,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Application> {
        let db = connect_and_migrate(settings).await?;
        let calendar = crate::services::calendar::initial(&db).await;
        let secret = jwt_secret(settings, db.backend())?;
        let tokens = TokenKeys::new(secret.as_bytes(), settings.access_token_ttl_secs)?;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let revocations = Revocations::new(tokens.access_ttl());
        if db.is_migrated() {
            // Before the first request: what other instances revoked is refused from the start.
            services::revocations::catch_up(&db, &revocations, clock.now())
                .await
                .context("cannot read the token revocations")?;
        }
        let seconds =
            |secs: u64| chrono::TimeDelta::seconds(i64::try_from(secs).unwrap_or(i64::MAX));
        let state = web::Data::new(AppState {
            db: db.clone(),
            clock,
            tokens,
            revocations,
            refresh_ttl: seconds(settings.refresh_token_ttl_secs),
            session_lifetime: seconds(settings.session_lifetime_secs),
            hashing: HashQueue::new(settings.limits.password_hash_queue as usize),
            thresholds: Thresholds::new(
                settings.tickets.warn_yellow,
                settings.tickets.warn_orange,
                settings.tickets.warn_red,
            )
            .map_err(anyhow::Error::msg)?,
            confirmation_window: chrono::TimeDelta::hours(
                settings.tickets.confirmation_window_hours.into(),
            ),
            limits: settings.limits.clone(),
            timezone: settings.timezone,
            calendar: CalendarCache::new(calendar),
            work_hours: settings.tickets.work_hours.clone(),
        });
        let route_table = web::Data::new(RouteTable::new());
        crate::metrics::handle();
        let app_state = state.clone();
        let limits = &settings.limits;
        limit_password_hashing(limits);
        let rate_limiter = web::Data::new(RateLimiter::new(
            limits.rate_limit_requests,
            Duration::from_secs(limits.rate_limit_window_secs),
        ));
        let cors_origins = limits.cors_origins.clone();
        let metrics_access = web::Data::new(MetricsAccess::new(settings.metrics_token.as_ref()));

        // Outermost last: every answer, the rate limit's and CORS's included, becomes a problem
        // document when it is an error, is traced, and carries the security headers.
        let mut server = HttpServer::new(move || {
            let cors = middleware::cors::from_origins(&cors_origins);
            let (app, _) = App::new()
                .app_data(state.clone())
                .app_data(route_table.clone())
                .app_data(rate_limiter.clone())
                .app_data(metrics_access.clone())
                .app_data(routes::extract::path_config())
                .wrap(from_fn(middleware::paths::check_head))
                .wrap(from_fn(middleware::rate_limit::limit_rate))
                .wrap(Condition::new(cors.is_some(), cors.unwrap_or_default()))
                .wrap(ErrorHandlers::new().default_handler(problem_for_framework_errors))
                .wrap(from_fn(telemetry::trace_request))
                .wrap(from_fn(middleware::headers::security_headers))
                .into_utoipa_app()
                .configure(routes::configure)
                .split_for_parts();
            app.configure(routes::web::configure)
                .default_service(web::to(openapi::no_route))
        })
        .client_request_timeout(Duration::from_secs(limits.client_request_timeout_secs))
        .client_disconnect_timeout(Duration::from_secs(1))
        .keep_alive(Duration::from_secs(limits.keep_alive_secs))
        .shutdown_timeout(limits.shutdown_timeout_secs)
        .listen(listener)?;
        if let Some(workers) = settings.workers {
            server = server.workers(workers.into());
        }
        Ok(Application {
            port,
            server: server.run(),
            db,
            state: app_state,
            job_interval: Duration::from_secs(settings.tickets.job_interval_secs),
        })
    }

    pub fn database(&self) -> Database {
        self.db.clone()
    }

    /// What the handlers and the periodic work share (for running that work from tests).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (tests, signal handlers).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (SIGTERM or SIGINT: in-flight requests finish, new connections are
    /// refused), running the periodic work beside the server and, when the database was not
    /// reachable at start, migrating it as soon as it is.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let migration = (!self.db.is_migrated())
            .then(|| tokio::spawn(migrate_when_reachable(self.db.clone(), self.state.timezone)));
        let following = tokio::spawn(services::revocations::follow(self.state.clone()));
        let calendar = tokio::spawn(services::calendar::follow_changes(self.state.clone()));
        let jobs = tokio::spawn(crate::jobs::run_periodically(self.state, self.job_interval));
        let served = self.server.await;
        jobs.abort();
        following.abort();
        calendar.abort();
        if let Some(migration) = migration {
            migration.abort();
        }
        served
    }
}

/// Bounds the password hashes computed at once (`PASSWORD_HASH_CONCURRENCY`): the server's
/// logins and imports, and the command line's imports.
pub fn limit_password_hashing(limits: &LimitSettings) {
    password::limit_concurrency(
        limits
            .password_hash_concurrency
            .map_or_else(password::default_concurrency, |n| n as usize),
    );
}

/// Builds the pool and applies migrations (the commands that need the database now); only
/// `migrate` may re-key the statistics to another `TIMEZONE` (see [`Rekeying`]).
pub async fn open_database(settings: &Settings, rekeying: Rekeying) -> anyhow::Result<Database> {
    let db = Database::new(&settings.database_url(), &settings.pool_options())?;
    tracing::info!(backend = db.backend().name(), database = %db.describe(), "using the database");
    db.migrate(settings.timezone, rekeying)
        .await
        .with_context(|| format!("cannot prepare the {} database", db.backend().name()))?;
    Ok(db)
}

/// Builds the pool and tries the migrations once. A PostgreSQL server that cannot be reached
/// yet does not stop `serve`: it starts unready (`/healthz` up, `/readyz` and the API 503) and
/// [`migrate_when_reachable`] finishes the work. Anything else, or SQLite, stops start-up.
async fn connect_and_migrate(settings: &Settings) -> anyhow::Result<Database> {
    let db = Database::new(&settings.database_url(), &settings.pool_options())?;
    tracing::info!(backend = db.backend().name(), database = %db.describe(), "using the database");
    match db.migrate(settings.timezone, Rekeying::Allowed).await {
        Ok(()) => Ok(db),
        // The pool has said why, once, in one line.
        Err(DbError::Unavailable(_)) if db.backend() == Backend::Postgres => {
            tracing::warn!("serving unready until the database can be reached");
            Ok(db)
        }
        Err(error) => Err(error)
            .with_context(|| format!("cannot prepare the {} database", db.backend().name())),
    }
}

/// Retries the migrations with a capped backoff until they succeed.
async fn migrate_when_reachable(db: Database, tz: crate::domain::time::Tz) {
    let mut delay = Duration::from_millis(250);
    loop {
        tokio::time::sleep(delay).await;
        match db.migrate(tz, Rekeying::Allowed).await {
            Ok(()) => {
                tracing::info!("the database is reachable and migrated; ready");
                return;
            }
            // Quietly: the pool tells each new connection failure once.
            Err(DbError::Unavailable(cause)) => tracing::debug!(%cause, "still unreachable"),
            Err(error) => tracing::warn!(
                error = %error.to_string().split_whitespace().collect::<Vec<_>>().join(" "),
                "the database is reachable but not ready; retrying"
            ),
        }
        delay = (delay * 2).min(MIGRATION_RETRY_MAX);
    }
}

/// The token-signing secret: `JWT_SECRET`, or with SQLite one generated on first start and kept
/// in the data directory, readable by its owner only.
fn jwt_secret(settings: &Settings, backend: Backend) -> anyhow::Result<String> {
    if let Some(secret) = &settings.jwt_secret {
        return Ok(secret.expose().to_owned());
    }
    if backend == Backend::Postgres {
        anyhow::bail!(
            "JWT_SECRET must be set (at least {} bytes) when running on PostgreSQL, \
             the same on every instance",
            token::MIN_SECRET_BYTES
        );
    }
    let path = settings.data_dir.join("jwt-secret");
    if path.exists() {
        return std::fs::read_to_string(&path)
            .map(|s| s.trim().to_owned())
            .with_context(|| format!("cannot read {}", path.display()));
    }
    let secret = token::random_secret();
    write_private(&path, &secret).with_context(|| format!("cannot write {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a token-signing secret");
    Ok(secret)
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

/// Rewrites any error response that is not yet a problem document into one, so no failure the
/// framework produces on its own (an extractor it runs, a panic guard) reaches a client as HTML
/// or plain text.
fn problem_for_framework_errors<B>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = res.response().error().map(|e| e.to_string());
    let (req, _) = res.into_parts();
    let response = ServiceResponse::new(req, framework_problem(status, detail));
    Ok(ErrorHandlerResponse::Response(
        response.map_into_right_body(),
    ))
}
