//! Settings, read once from the environment (or the matching command-line flags) and validated
//! before anything starts: a bad value stops start-up with one clear line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use ipnet::IpNet;

use crate::db::PoolOptions;
use crate::domain::time::Tz;
use crate::domain::work_hours::{DEFAULT_WORK_HOURS, WorkHours};

/// Where the service keeps its data and where it listens.
#[derive(Args, Debug, Clone)]
pub struct Settings {
    /// Database: `postgres://user@host/db`, or `sqlite://path` / a path for SQLite.
    /// Default: the SQLite file `enterprise-assist.db` in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Directory for local state (the default SQLite database), created on first run.
    #[arg(long, env = "DATA_DIR", default_value = "var", global = true)]
    pub data_dir: PathBuf,

    /// Address and port the HTTP server listens on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,

    /// Database connections per instance.
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=500), global = true)]
    pub db_pool_size: u32,

    /// Seconds a request waits for a database connection before it is answered 503.
    #[arg(long, env = "DB_TIMEOUT_SECS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub db_timeout_secs: u64,

    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "WORKERS", value_parser = clap::value_parser!(u16).range(1..=512), global = true)]
    pub workers: Option<u16>,

    /// Secret that signs access tokens, at least 32 bytes. Required with PostgreSQL; with the
    /// embedded SQLite default a random one is generated once and kept in the data directory.
    #[arg(long, env = "JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<Secret>,

    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "ACCESS_TOKEN_TTL_SECS", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(60..=86_400), global = true)]
    pub access_token_ttl_secs: u64,

    /// Programme time: the IANA time zone whose months, days and "today" the statistics and
    /// date filters use (timestamps in the API stay UTC).
    #[arg(long, env = "TIMEZONE", default_value = "Asia/Shanghai",
          value_parser = crate::domain::time::parse_timezone, global = true)]
    pub timezone: Tz,

    /// Bearer token that `/metrics` requires. Unset: `/metrics` answers this host only.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<Secret>,

    #[command(flatten)]
    pub tickets: TicketSettings,

    #[command(flatten)]
    pub limits: LimitSettings,

    /// Lifetime of refresh tokens, in seconds.
    #[arg(long, env = "REFRESH_TOKEN_TTL_SECS", default_value_t = 14 * 24 * 3600,
          value_parser = clap::value_parser!(u64).range(300..=31_536_000), global = true)]
    pub refresh_token_ttl_secs: u64,

    /// Absolute lifetime of a login session (a refresh-token family), in seconds: refreshing
    /// never takes it further; then the user logs in again.
    #[arg(long, env = "SESSION_LIFETIME_SECS", default_value_t = 30 * 24 * 3600,
          value_parser = clap::value_parser!(u64).range(300..=31_536_000), global = true)]
    pub session_lifetime_secs: u64,
}

/// How tickets age: warning colours and the confirmation window.
#[derive(Args, Debug, Clone)]
pub struct TicketSettings {
    /// Fraction of the SLA window after which an open ticket turns yellow.
    #[arg(long, env = "WARN_YELLOW", default_value_t = 0.75, global = true)]
    pub warn_yellow: f64,

    /// Fraction of the SLA window after which an open ticket turns orange (overdue).
    #[arg(long, env = "WARN_ORANGE", default_value_t = 1.0, global = true)]
    pub warn_orange: f64,

    /// Fraction of the SLA window after which an open ticket turns red.
    #[arg(long, env = "WARN_RED", default_value_t = 1.5, global = true)]
    pub warn_red: f64,

    /// Hours a resolved ticket waits for the enterprise's confirmation before it closes itself.
    #[arg(long, env = "CONFIRMATION_WINDOW_HOURS", default_value_t = 168,
          value_parser = clap::value_parser!(u32).range(1..=8760), global = true)]
    pub confirmation_window_hours: u32,

    /// Seconds between runs of the periodic work (auto-close, warning counts, expired
    /// idempotency keys).
    #[arg(long, env = "JOB_INTERVAL_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=86_400), global = true)]
    pub job_interval_secs: u64,

    /// Working hours of a working day in programme time, e.g. `09:00-12:00,13:30-17:30`:
    /// periods in order, not overlapping, inside one day.
    #[arg(long, env = "WORK_HOURS", default_value = DEFAULT_WORK_HOURS, global = true)]
    pub work_hours: WorkHours,
}

impl Default for TicketSettings {
    fn default() -> Self {
        TicketSettings {
            warn_yellow: 0.75,
            warn_orange: 1.0,
            warn_red: 1.5,
            confirmation_window_hours: 168,
            job_interval_secs: 60,
            work_hours: WorkHours::default(),
        }
    }
}

/// What protects the service from its clients: request rates, filing quotas, password-hashing
/// concurrency, slow connections, shutdown, and which browser origins may call it.
#[derive(Args, Debug, Clone)]
pub struct LimitSettings {
    /// Requests a client (token subject, or IP address without a valid token) may make per
    /// window; 0 turns the limit off. Health, readiness and metrics are not counted.
    #[arg(
        long,
        env = "RATE_LIMIT_REQUESTS",
        default_value_t = 600,
        global = true
    )]
    pub rate_limit_requests: u32,

    /// Length of the rate-limit window, in seconds.
    #[arg(long, env = "RATE_LIMIT_WINDOW_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=86_400), global = true)]
    pub rate_limit_window_secs: u64,

    /// Tickets one enterprise may file per rolling hour; 0 turns the quota off.
    #[arg(
        long,
        env = "FILING_QUOTA_PER_HOUR",
        default_value_t = 60,
        global = true
    )]
    pub filing_quota_per_hour: u32,

    /// Tickets one enterprise may file per rolling day; 0 turns the quota off.
    #[arg(
        long,
        env = "FILING_QUOTA_PER_DAY",
        default_value_t = 300,
        global = true
    )]
    pub filing_quota_per_day: u32,

    /// Password and client-secret hashes computed at once (each takes 19 MiB and a core for
    /// tens of milliseconds); further logins wait. Default: half the cores, at least one.
    #[arg(long, env = "PASSWORD_HASH_CONCURRENCY",
          value_parser = clap::value_parser!(u32).range(1..=256), global = true)]
    pub password_hash_concurrency: Option<u32>,

    /// Requests that may wait for a hashing permit (logins, client tokens, password changes,
    /// new accounts and clients); past them, 503 with `Retry-After` at once.
    #[arg(long, env = "PASSWORD_HASH_QUEUE", default_value_t = 32,
          value_parser = clap::value_parser!(u32).range(1..=100_000), global = true)]
    pub password_hash_queue: u32,

    /// Live (unrevoked) API clients one enterprise may have.
    #[arg(long, env = "MAX_CLIENTS_PER_ENTERPRISE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=10_000), global = true)]
    pub max_clients_per_enterprise: u32,

    /// Proxies (CIDRs, comma-separated, e.g. `10.0.0.0/8`) whose `X-Forwarded-For` names the
    /// client's address. Unset: the connection's peer is the client.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_proxy, global = true)]
    pub trusted_proxies: Vec<IpNet>,

    /// Seconds a client has to send a request's head; slower connections are answered 408 and closed.
    #[arg(long, env = "CLIENT_REQUEST_TIMEOUT_SECS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub client_request_timeout_secs: u64,

    /// Seconds a client has to send a request's body once its head arrived (408 after that).
    #[arg(long, env = "BODY_TIMEOUT_SECS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub body_timeout_secs: u64,

    /// Seconds an idle keep-alive connection stays open.
    #[arg(long, env = "KEEP_ALIVE_SECS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub keep_alive_secs: u64,

    /// On SIGTERM or SIGINT, seconds in-flight requests may take to finish before the process exits.
    #[arg(long, env = "SHUTDOWN_TIMEOUT_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=600), global = true)]
    pub shutdown_timeout_secs: u64,

    /// Browser origins allowed to call the API (CORS), comma-separated, e.g.
    /// `https://app.example.cn`. Unset: no CORS headers, so browsers allow same-origin calls only.
    #[arg(long, env = "CORS_ORIGINS", value_delimiter = ',', value_parser = parse_origin, global = true)]
    pub cors_origins: Vec<String>,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            rate_limit_requests: 600,
            rate_limit_window_secs: 60,
            filing_quota_per_hour: 60,
            filing_quota_per_day: 300,
            password_hash_concurrency: None,
            password_hash_queue: 32,
            max_clients_per_enterprise: 10,
            trusted_proxies: Vec::new(),
            client_request_timeout_secs: 5,
            body_timeout_secs: 15,
            keep_alive_secs: 5,
            shutdown_timeout_secs: 30,
            cors_origins: Vec::new(),
        }
    }
}

/// A secret setting: never printed, not even by `Debug`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Accepts anything: the length is checked where the secret is used, so that no error message
/// (clap's quote the rejected value) ever prints it.
impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(text.to_owned()))
    }
}

impl Settings {
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir.join("enterprise-assist.db").display()
            )
        })
    }

    pub fn pool_options(&self) -> PoolOptions {
        PoolOptions {
            max_size: self.db_pool_size,
            checkout_timeout: Duration::from_secs(self.db_timeout_secs),
        }
    }
}

/// How the service logs.
#[derive(Args, Debug, Clone)]
pub struct LogSettings {
    /// Log filter: a level (`info`) or `tracing` directives (`info,enterprise_assist=debug`).
    #[arg(long, env = "LOG_LEVEL", default_value = "info", value_parser = parse_filter, global = true)]
    pub log_level: String,

    /// `human` for a terminal, `json` for a log collector.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Human, global = true)]
    pub log_format: LogFormat,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

/// An origin as browsers send it: `scheme://host[:port]`, nothing after.
fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or("an origin starts with https:// or http://")?;
    let plain = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if plain {
        Ok(text.to_owned())
    } else {
        Err("an origin is scheme://host[:port], without a path".to_owned())
    }
}

/// A CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address.
fn parse_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| "a proxy is a CIDR such as 10.0.0.0/8, or one address".to_owned())
}

fn parse_filter(text: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::builder()
        .parse(text)
        .map(|_| text.to_owned())
        .map_err(|e| e.to_string())
}
