//! Prometheus metrics: request counts and latencies per method, route and status, and pool
//! usage. Every label takes values from a fixed set (methods outside the standard nine are
//! `other`, routes are templates or `unmatched`), so no client can grow the exposition, and
//! who may read it is decided here.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use actix_web::http::Method;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use crate::config::Secret;
use crate::db::Database;
use crate::error::Error;

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The route label of a request no route took.
pub const UNMATCHED: &str = "unmatched";

/// The process-wide recorder; installed once however many applications a process builds.
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".into()),
                    LATENCY_BUCKETS,
                )
                .expect("buckets are not empty")
                .install_recorder()
                .expect("no other metrics recorder is installed");
            describe();
            handle
        })
        .clone()
}

/// The `# HELP` line of every metric.
fn describe() {
    metrics::describe_counter!(
        "http_requests_total",
        "HTTP requests answered, by method (other for non-standard ones), route template \
         (unmatched when no route took the request) and status"
    );
    metrics::describe_histogram!(
        "http_request_duration_seconds",
        metrics::Unit::Seconds,
        "Time from a request's head to its answer, by method, route template and status"
    );
    metrics::describe_gauge!(
        "db_pool_connections",
        "Database connections of this instance's pool, by state (idle, in_use)"
    );
    metrics::describe_gauge!(
        "db_pool_max_connections",
        "Largest size of this instance's database pool (DB_POOL_SIZE)"
    );
    metrics::describe_gauge!(
        "password_hashes_in_flight",
        "Password and client-secret hashes being computed now (at most PASSWORD_HASH_CONCURRENCY)"
    );
}

/// The method as a label: one of the nine standard methods, else `other`.
fn method_label(method: &Method) -> &'static str {
    const STANDARD: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    STANDARD
        .iter()
        .find(|m| *m == method)
        .map_or("other", Method::as_str)
}

/// Records one answered request; `route` is the matched template, or `None`.
pub fn record_request(method: &Method, route: Option<&str>, status: u16, latency: Duration) {
    let labels = [
        ("method", method_label(method).to_owned()),
        ("route", route.unwrap_or(UNMATCHED).to_owned()),
        ("status", status.to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(latency.as_secs_f64());
}

/// The exposition text, with the pool's state as of now.
pub fn render(db: &Database) -> String {
    let (open, idle, max) = db.pool_state();
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle as f64);
    metrics::gauge!("db_pool_connections", "state" => "in_use")
        .set(open.saturating_sub(idle) as f64);
    metrics::gauge!("db_pool_max_connections").set(max as f64);
    handle().render()
}

/// Who may read `/metrics`: it shows the programme's volumes (filings, logins per route). With
/// `METRICS_TOKEN` set, whoever presents it as a bearer token; without it, this host only.
pub struct MetricsAccess {
    /// The SHA-256 digest of the token: compared digest to digest, so the time a comparison
    /// takes says nothing about the token.
    token_digest: Option<[u8; 32]>,
}

impl MetricsAccess {
    pub fn new(token: Option<&Secret>) -> MetricsAccess {
        MetricsAccess {
            token_digest: token.map(|t| Sha256::digest(t.expose().as_bytes()).into()),
        }
    }

    /// Whether a request from `peer` with this `Authorization` header may read the metrics.
    pub fn check(&self, peer: Option<IpAddr>, authorization: Option<&str>) -> Result<(), Error> {
        let Some(expected) = &self.token_digest else {
            return if peer.is_some_and(|ip| ip.is_loopback()) {
                Ok(())
            } else {
                Err(Error::Forbidden(
                    "metrics are served to this host only unless METRICS_TOKEN is set".into(),
                ))
            };
        };
        let presented = authorization
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| <[u8; 32]>::from(Sha256::digest(token.trim().as_bytes())));
        if presented.as_ref() == Some(expected) {
            Ok(())
        } else {
            Err(Error::Unauthorized(
                "the metrics need the bearer token METRICS_TOKEN".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::PATCH), "PATCH");
        assert_eq!(
            method_label(&Method::from_bytes(b"FOOBAR").unwrap()),
            "other"
        );
        assert_eq!(method_label(&Method::from_bytes(b"get").unwrap()), "other");
    }

    #[test]
    fn without_a_token_only_this_host_reads_metrics() {
        let access = MetricsAccess::new(None);
        assert!(
            access
                .check(Some("127.0.0.1".parse().unwrap()), None)
                .is_ok()
        );
        assert!(access.check(Some("::1".parse().unwrap()), None).is_ok());
        assert!(matches!(
            access.check(Some("10.1.2.3".parse().unwrap()), Some("Bearer x")),
            Err(Error::Forbidden(_))
        ));
        assert!(access.check(None, None).is_err());
    }

    #[test]
    fn with_a_token_whoever_presents_it_reads_metrics() {
        let access = MetricsAccess::new(Some(&Secret::new("s3cret-token")));
        let remote = Some("10.1.2.3".parse().unwrap());
        assert!(access.check(remote, Some("Bearer s3cret-token")).is_ok());
        assert!(access.check(remote, Some("bearer s3cret-token")).is_ok());
        let local = Some("127.0.0.1".parse().unwrap());
        for wrong in [
            None,
            Some("Bearer s3cret"),
            Some("Basic s3cret-token"),
            Some("s3cret-token"),
        ] {
            assert!(
                matches!(access.check(local, wrong), Err(Error::Unauthorized(_))),
                "{wrong:?}"
            );
        }
    }
}
