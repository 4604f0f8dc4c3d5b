//! Which database a `DATABASE_URL` names: the backend by its scheme (an unknown scheme is
//! refused, not taken for a file name), where it is for the logs (never with credentials), and
//! a failure to connect told in one line, once, with what to do about it.

use std::sync::Mutex;

use super::DbError;

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }
}

/// A database URL, read once.
#[derive(Clone, Debug)]
pub struct Location {
    backend: Backend,
    url: String,
}

impl Location {
    /// `postgres://` or `postgresql://`; `sqlite://path`, `sqlite:path` or a path without a
    /// scheme. Any other `scheme://` is refused, naming only the scheme (the rest may hold a
    /// password).
    pub fn parse(url: &str) -> Result<Location, DbError> {
        let backend = match url.split_once("://").map(|(scheme, _)| scheme) {
            Some("postgres" | "postgresql") => Backend::Postgres,
            Some("sqlite") => Backend::Sqlite,
            Some(scheme) if is_scheme(scheme) => {
                return Err(DbError::Config(format!(
                    "DATABASE_URL has the unknown scheme `{scheme}://`: use postgres://user@host/db, \
                     or sqlite://path (or a plain path) for SQLite"
                )));
            }
            _ => Backend::Sqlite,
        };
        Ok(Location {
            backend,
            url: url.to_owned(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The SQLite file: `sqlite://path`, `sqlite:path` or a bare path.
    pub fn sqlite_path(&self) -> &str {
        let url = self.url.as_str();
        url.strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url)
    }

    /// Where the database is, for the logs: host, port and name, or the file; no user,
    /// password or connection parameters.
    pub fn describe(&self) -> String {
        match self.backend {
            Backend::Sqlite => {
                let path = std::path::Path::new(self.sqlite_path());
                let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
                format!("sqlite {}", shown.display())
            }
            Backend::Postgres => match PgTarget::of(&self.url) {
                Some(t) => format!("postgres {}:{}/{}", t.host, t.port, t.database),
                None => "postgres (address not readable from DATABASE_URL)".to_owned(),
            },
        }
    }

    /// A connection failure in one line, with the remedy when there is a clear one.
    fn explain(&self, error: &str) -> String {
        let line = error.split_whitespace().collect::<Vec<_>>().join(" ");
        let target = PgTarget::of(&self.url).filter(|_| self.backend == Backend::Postgres);
        match target {
            Some(t) if line.contains(&format!("database \"{}\" does not exist", t.database)) => {
                let user = t.user.map(|u| format!(" -U {u}")).unwrap_or_default();
                format!(
                    "the PostgreSQL database \"{}\" does not exist on {}:{}; create it with \
                     `createdb -h {} -p {}{user} {}`; retrying quietly until it exists",
                    t.database, t.host, t.port, t.host, t.port, t.database
                )
            }
            _ => format!("cannot connect to the database: {line}"),
        }
    }
}

fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// What a PostgreSQL URL points at.
struct PgTarget {
    host: String,
    port: u16,
    database: String,
    user: Option<String>,
}

impl PgTarget {
    fn of(url: &str) -> Option<PgTarget> {
        let url = url::Url::parse(url).ok()?;
        let user = Some(url.username().to_owned()).filter(|u| !u.is_empty());
        let database = url.path().trim_start_matches('/');
        Some(PgTarget {
            host: url.host_str().unwrap_or("localhost").to_owned(),
            port: url.port().unwrap_or(5432),
            database: if database.is_empty() {
                user.clone().unwrap_or_else(|| "postgres".to_owned())
            } else {
                database.to_owned()
            },
            user,
        })
    }
}

/// Tells connection failures once each: a failure that repeats (the pool retries for ever
/// while the database is away) is logged at debug level only, until a connection succeeds.
pub struct ConnectionReport {
    location: Location,
    last_failure: Mutex<Option<String>>,
}

impl ConnectionReport {
    pub fn new(location: Location) -> ConnectionReport {
        ConnectionReport {
            location,
            last_failure: Mutex::new(None),
        }
    }

    pub fn failed(&self, error: &dyn std::fmt::Display) {
        let line = self.location.explain(&error.to_string());
        let mut last = self.last_failure.lock().unwrap_or_else(|e| e.into_inner());
        if last.as_deref() == Some(line.as_str()) {
            tracing::debug!("{line}");
        } else {
            tracing::warn!("{line}");
            *last = Some(line);
        }
    }

    pub fn succeeded(&self) {
        let mut last = self.last_failure.lock().unwrap_or_else(|e| e.into_inner());
        if last.take().is_some() {
            tracing::info!(database = %self.location.describe(), "connected to the database");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_by_scheme_and_unknown_schemes_refused() {
        let backend = |url: &str| Location::parse(url).map(|l| l.backend());
        assert_eq!(backend("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert_eq!(backend("postgresql://h/db").unwrap(), Backend::Postgres);
        assert_eq!(backend("sqlite://var/x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend("sqlite:x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend("var/x.db").unwrap(), Backend::Sqlite);
        for bad in [
            "mysql://x",
            "mariadb://u:secret@h/db",
            "http://h/db",
            "Postgres+x://h",
        ] {
            let error = Location::parse(bad).unwrap_err().to_string();
            assert!(
                error.contains("unknown scheme") && !error.contains("secret"),
                "{error}"
            );
            assert!(!error.contains('\n'));
        }
    }

    #[test]
    fn the_description_holds_no_credentials() {
        let location =
            Location::parse("postgres://app:hunter2@db.internal:6432/ea?sslmode=require").unwrap();
        assert_eq!(location.describe(), "postgres db.internal:6432/ea");
        let location = Location::parse("postgresql://localhost").unwrap();
        assert_eq!(location.describe(), "postgres localhost:5432/postgres");
    }

    #[test]
    fn a_missing_database_is_explained_in_one_line() {
        let location = Location::parse("postgres://app:pw@127.0.0.1:5432/ea_prod").unwrap();
        let said = location.explain(
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"ea_prod\" does not exist\n",
        );
        assert!(!said.contains('\n') && !said.contains("pw"), "{said}");
        assert!(
            said.contains("createdb -h 127.0.0.1 -p 5432 -U app ea_prod"),
            "{said}"
        );
        let other = location.explain("connection refused\n\tIs the server running?\n");
        assert_eq!(
            other,
            "cannot connect to the database: connection refused Is the server running?"
        );
    }
}
