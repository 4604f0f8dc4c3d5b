//! The per-client request rate limit: a fixed window of `RATE_LIMIT_REQUESTS` per
//! `RATE_LIMIT_WINDOW_SECS` for each token subject, or each client address (an IPv6 /64, see
//! `client_address`) for callers without a valid token. Answers past the limit are 429 problems with `Retry-After`; every counted answer
//! carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (IETF draft
//! `RateLimit` header fields). Counted per instance: N instances admit up to N times the limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{ResponseError, web};

use super::client_address;
use crate::error::Error;
use crate::routes::extract;

/// Beyond this many clients in one window, the newcomers share one budget, so a flood of
/// addresses cannot grow the table without bound.
const MAX_CLIENTS: usize = 100_000;
const OVERFLOW_KEY: &str = "overflow";

/// Probes and scrapes are never limited: a load balancer must always learn the truth.
pub const EXEMPT_PATHS: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

pub struct RateLimiter {
    limit: u32,
    window: Duration,
    clients: Mutex<HashMap<String, Window>>,
}

struct Window {
    started: Instant,
    count: u32,
}

/// What the limiter decided about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the client's window starts afresh.
    pub reset_secs: u64,
}

impl RateLimiter {
    /// A limiter of `limit` requests per `window`; a limit of 0 admits everything uncounted.
    pub fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request of `client` at `now`; `None` when the limit is off.
    pub fn check(&self, client: &str, now: Instant) -> Option<Decision> {
        if self.limit == 0 {
            return None;
        }
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if !clients.contains_key(client) && clients.len() >= MAX_CLIENTS {
            clients.retain(|_, w| now.duration_since(w.started) < self.window);
        }
        let key = if clients.contains_key(client) || clients.len() < MAX_CLIENTS {
            client
        } else {
            OVERFLOW_KEY
        };
        let window = clients.entry(key.to_owned()).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(window.started) >= self.window {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        window.count = window.count.saturating_add(1);
        let elapsed = now.duration_since(window.started);
        Some(Decision {
            allowed: window.count <= self.limit,
            limit: self.limit,
            remaining: self.limit.saturating_sub(window.count),
            reset_secs: self.window.saturating_sub(elapsed).as_secs().max(1),
        })
    }
}

/// Who is asking: the subject of a valid bearer token, else the client's address (the peer,
/// or what a trusted proxy reports: any client could claim any address in a header). The
/// token is verified here once for the whole request: the extractor reuses the answer.
fn client_key(req: &ServiceRequest) -> String {
    match extract::caller(req.request()) {
        Ok(principal) => format!("user:{}", principal.user_id()),
        Err(_) => format!(
            "ip:{}",
            client_address::of_request(req.request()).counted_as()
        ),
    }
}

pub async fn limit_rate(
    limiter: web::Data<RateLimiter>,
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if EXEMPT_PATHS.contains(&req.path()) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let Some(decision) = limiter.check(&client_key(&req), Instant::now()) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let mut response = if decision.allowed {
        next.call(req).await?.map_into_left_body()
    } else {
        let refusal = Error::TooManyRequests {
            detail: "too many requests from this client; slow down".into(),
            retry_after_secs: decision.reset_secs,
        };
        req.into_response(refusal.error_response())
            .map_into_right_body()
    };
    add_headers(response.headers_mut(), decision);
    Ok(response)
}

fn add_headers(headers: &mut HeaderMap, decision: Decision) {
    for (name, value) in [
        ("ratelimit-limit", decision.limit.into()),
        ("ratelimit-remaining", decision.remaining.into()),
        ("ratelimit-reset", decision.reset_secs),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_client_and_window() {
        let limiter = RateLimiter::new(2, Duration::from_secs(10));
        let start = Instant::now();
        let first = limiter.check("a", start).unwrap();
        assert!(first.allowed && first.remaining == 1 && first.reset_secs == 10);
        assert!(limiter.check("a", start).unwrap().allowed);
        let third = limiter.check("a", start + Duration::from_secs(4)).unwrap();
        assert!(!third.allowed && third.remaining == 0 && third.reset_secs == 6);
        assert!(
            limiter.check("b", start).unwrap().allowed,
            "clients are apart"
        );
        let later = limiter.check("a", start + Duration::from_secs(10)).unwrap();
        assert!(later.allowed, "a new window starts afresh");
    }

    #[test]
    fn a_zero_limit_is_off() {
        let limiter = RateLimiter::new(0, Duration::from_secs(10));
        assert_eq!(limiter.check("a", Instant::now()), None);
    }
}
