//! The connection enum, the pool, and the one helper that runs database work off the async workers
//! (migrations and seeding are `migrate`'s).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::{
    AnsiTransactionManager, InstrumentationEvent, SimpleConnection, TransactionManager,
};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};

use super::DbError;
pub use super::location::Backend;
use super::location::{ConnectionReport, Location};

/// One connection to either backend; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Runs the same diesel expression on the backend's own connection type, for the features the
/// common connection does not offer (multi-row inserts, `ON CONFLICT`); both must support it.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// Creates the SQLite file, when missing, readable and writable by its owner only: it holds
/// password hashes and every ticket. SQLite gives its `-wal` and `-shm` files the same mode.
fn create_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    match options.open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(drop),
    }
}

/// A connection in the pool, and when work on it last succeeded.
pub struct Pooled {
    conn: DbConnection,
    succeeded_at: Option<Instant>,
}

/// A connection whose last work succeeded this recently is handed out without a test query:
/// under load that saves a round trip per request; a connection that failed, or has been
/// idle, is tested first.
const TRUSTED_FOR: Duration = Duration::from_secs(1);

/// Establishes the connection type the URL names, so a failure reports its real cause
/// (the derive's own `establish` tries every backend and hides it).
struct Manager {
    location: Location,
    report: ConnectionReport,
}

impl ManageConnection for Manager {
    type Connection = Pooled;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<Pooled, r2d2::Error> {
        let conn = self
            .establish()
            .inspect(|_| self.report.succeeded())
            .inspect_err(|e| self.report.failed(e))?;
        Ok(Pooled {
            conn,
            succeeded_at: Some(Instant::now()),
        })
    }

    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), r2d2::Error> {
        if pooled
            .succeeded_at
            .is_some_and(|at| at.elapsed() < TRUSTED_FOR)
        {
            return Ok(());
        }
        pooled
            .conn
            .batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)?;
        pooled.succeeded_at = Some(Instant::now());
        Ok(())
    }

    fn has_broken(&self, pooled: &mut Pooled) -> bool {
        <DbConnection as TransactionManager<DbConnection>>::is_broken_transaction_manager(
            &mut pooled.conn,
        )
    }
}

impl Manager {
    fn establish(&self) -> Result<DbConnection, r2d2::Error> {
        match self.location.backend() {
            Backend::Postgres => {
                let mut conn = diesel::PgConnection::establish(self.location.url())
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.set_instrumentation(query_log);
                Ok(DbConnection::Postgres(conn))
            }
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(self.location.sqlite_path())
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.set_instrumentation(query_log);
                // WAL lets readers run beside the writer; FULL makes every commit durable;
                // the busy timeout makes writers queue instead of failing with "database is locked".
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// The service's query log: each statement's SQL (never its bound values, which may be
/// secrets), at debug level on the `enterprise_assist::sql` target. Turn it on with
/// `LOG_LEVEL=info,enterprise_assist::sql=debug`.
fn query_log(event: InstrumentationEvent<'_>) {
    if !tracing::enabled!(target: "enterprise_assist::sql", tracing::Level::DEBUG) {
        return;
    }
    let statement = match event {
        InstrumentationEvent::StartQuery { query, .. } => query.to_string(),
        InstrumentationEvent::BeginTransaction { .. } => "BEGIN".to_owned(),
        InstrumentationEvent::CommitTransaction { .. } => "COMMIT".to_owned(),
        InstrumentationEvent::RollbackTransaction { .. } => "ROLLBACK".to_owned(),
        _ => return,
    };
    let sql = statement
        .split(" -- binds:")
        .next()
        .unwrap_or_default()
        .trim();
    tracing::debug!(target: "enterprise_assist::sql", sql, "statement");
}

/// Settings of the pool.
#[derive(Clone, Debug)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a request waits for a free connection before it is answered 503.
    pub checkout_timeout: Duration,
}

/// The pool and its backend; cheap to clone.
#[derive(Clone)]
pub struct Database {
    pool: r2d2::Pool<Manager>,
    backend: Backend,
    /// Whether migrations have been applied; until then every call answers `Unavailable`.
    migrated: Arc<AtomicBool>,
    location: Arc<Location>,
}

impl Database {
    /// Builds the pool without connecting, so the service can start while the database is down.
    pub fn new(url: &str, options: &PoolOptions) -> Result<Database, DbError> {
        let location = Location::parse(url)?;
        let backend = location.backend();
        if backend == Backend::Sqlite {
            let path = Path::new(location.sqlite_path());
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    DbError::Unavailable(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
            create_private(path).map_err(|e| {
                DbError::Unavailable(format!("cannot create {}: {e}", path.display()))
            })?;
        }
        // A PostgreSQL connection outlives a server restart or a network cut as a dead handle
        // that fails every query; testing it at checkout (unless it has just worked, see
        // `TRUSTED_FOR`) replaces it, so the service recovers on its own once the database is
        // back. An SQLite file cannot go away like that.
        let pool = r2d2::Pool::builder()
            .max_size(options.max_size)
            .min_idle(Some(0))
            .connection_timeout(options.checkout_timeout)
            .test_on_check_out(backend == Backend::Postgres)
            // The manager tells connection failures itself, once and in one line each.
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(Manager {
                location: location.clone(),
                report: ConnectionReport::new(location.clone()),
            });
        Ok(Database {
            pool,
            backend,
            location: Arc::new(location),
            migrated: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Runs `f` on a connection whether or not migrations have been applied (it applies them),
    /// off the async workers; from then on the database serves calls.
    pub(super) async fn open_with<F>(&self, f: F) -> Result<(), DbError>
    where
        F: FnOnce(&mut DbConnection) -> Result<(), DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        crate::blocking::spawn_blocking_in_span(move || {
            let mut pooled = pool.get().map_err(DbError::from)?;
            f(&mut pooled.conn)
        })
        .await
        .map_err(|_| DbError::Unavailable("the migration task was cancelled".into()))??;
        self.migrated.store(true, Ordering::Release);
        Ok(())
    }

    /// Whether migrations have been applied, so the schema is the one this code expects.
    pub fn is_migrated(&self) -> bool {
        self.migrated.load(Ordering::Acquire)
    }

    fn checkout(&self) -> Result<r2d2::PooledConnection<Manager>, DbError> {
        if !self.is_migrated() {
            return Err(DbError::Unavailable(
                "the database has not been migrated yet".into(),
            ));
        }
        Ok(self.pool.get()?)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Where the database is, without credentials, for the logs.
    pub fn describe(&self) -> String {
        self.location.describe()
    }

    /// Connections open and idle, for the metrics endpoint.
    pub fn pool_state(&self) -> (u32, u32, u32) {
        let state = self.pool.state();
        (
            state.connections,
            state.idle_connections,
            self.pool.max_size(),
        )
    }

    /// Runs `f` with a pooled connection on the blocking thread pool, keeping the caller's span.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        crate::blocking::spawn_blocking_in_span(move || db.run_blocking(f))
            .await
            .map_err(|_| E::from(DbError::Unavailable("database task was cancelled".into())))?
    }

    /// The same as [`Database::run`] for plain blocking callers (the command line).
    pub fn run_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<DbError>,
    {
        let mut pooled = self.checkout()?;
        let result = f(&mut pooled.conn);
        pooled.succeeded_at = result.is_ok().then(Instant::now);
        result
    }
}

/// After a bulk load: fresh planner statistics on both backends; on PostgreSQL a vacuum, so
/// index-only scans need not visit the new rows; on SQLite the write-ahead log folded back into
/// the database file, so readers do not wade through it.
pub fn checkpoint(conn: &mut DbConnection) -> Result<(), DbError> {
    match conn {
        DbConnection::Postgres(pg) => pg.batch_execute("VACUUM ANALYZE")?,
        DbConnection::Sqlite(lite) => {
            lite.batch_execute("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)")?
        }
    }
    Ok(())
}

/// A read-write transaction. On SQLite it begins `IMMEDIATE`, taking the write lock up front, so
/// concurrent writers wait for each other (busy timeout) instead of failing when they upgrade.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DbError>,
{
    // SQLite takes one writer at a time. This process's writers queue here, in order, rather
    // than sleep in SQLite's busy handler, which backs off by milliseconds; other processes
    // still wait through the busy timeout.
    static SQLITE_WRITER: Mutex<()> = Mutex::new(());
    let _writer = matches!(conn, DbConnection::Sqlite(_)).then(|| {
        SQLITE_WRITER
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    });
    transaction(conn, Some("BEGIN IMMEDIATE"), None, f)
}

/// A read-only transaction whose reads all see one moment, for answers put together from
/// several queries (a report's counts and the tickets it corrects them with). SQLite's read
/// transactions do that anyway.
pub fn read_snapshot<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DbError>,
{
    transaction(
        conn,
        None,
        Some("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
        f,
    )
}

/// Runs `f` in a transaction begun with the backend's statement (`None`: a plain `BEGIN`),
/// committed when `f` succeeds and rolled back when it fails.
fn transaction<T, E, F>(
    conn: &mut DbConnection,
    sqlite_begin: Option<&str>,
    postgres_begin: Option<&str>,
    f: F,
) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DbError>,
{
    let begun = match (&mut *conn, sqlite_begin, postgres_begin) {
        (DbConnection::Sqlite(lite), Some(sql), _) => {
            AnsiTransactionManager::begin_transaction_sql(lite, sql)
        }
        (DbConnection::Postgres(pg), _, Some(sql)) => {
            AnsiTransactionManager::begin_transaction_sql(pg, sql)
        }
        _ => <DbConnection as TransactionManager<DbConnection>>::begin_transaction(conn),
    };
    begun.map_err(DbError::from)?;
    match f(conn) {
        Ok(value) => {
            <DbConnection as TransactionManager<DbConnection>>::commit_transaction(conn)
                .map_err(DbError::from)?;
            Ok(value)
        }
        Err(error) => {
            // The original error matters more than a failed rollback; a broken connection is
            // discarded by the pool.
            let _ = <DbConnection as TransactionManager<DbConnection>>::rollback_transaction(conn);
            Err(error)
        }
    }
}
