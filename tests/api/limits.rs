//! Abuse limits: the per-client rate limit, per-enterprise filing quotas, the bound on
//! concurrent password hashing, and a pool exhausted by slow work answering 503 at once.

use std::time::{Duration, Instant};

use enterprise_assist::config::Settings;
use enterprise_assist::db::DbError;
use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::fixtures::{PASSWORD, World, token_for};
use crate::helpers::{PASSWORD_HASH_CONCURRENCY, TestApp, expect_json};

const RATE_LIMIT: u32 = 5;

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

fn limited(settings: &mut Settings) {
    settings.limits.rate_limit_requests = RATE_LIMIT;
    settings.limits.rate_limit_window_secs = 60;
}

/// Anonymous callers share their address's budget; a token holder has a budget of their own;
/// probes are never counted.
async fn rate_limit_answers_429_with_its_headers(app: &TestApp) {
    let admin = app.admin_token().await; // one anonymous request: the login
    for remaining in (0..RATE_LIMIT - 1).rev() {
        let response = app.get("/api/v1/regions/411600").await;
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "ratelimit-limit"), RATE_LIMIT.to_string());
        assert_eq!(
            header(&response, "ratelimit-remaining"),
            remaining.to_string()
        );
    }
    let response = app.get("/api/v1/regions/411600").await;
    let retry_after: u64 = header(&response, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(header(&response, "ratelimit-remaining"), "0");
    let problem = expect_json(response, 429).await;
    assert_eq!(problem["status"], 429);

    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    let mine = app
        .request(Method::GET, "/api/v1/me", Some(&admin), None)
        .await;
    assert_eq!(mine.status(), 200);
    assert_eq!(
        header(&mine, "ratelimit-remaining"),
        (RATE_LIMIT - 1).to_string()
    );
}

mod rate {
    use super::*;
    crate::both_backends_with!(limited; rate_limit_answers_429_with_its_headers);
}

fn quotas(settings: &mut Settings) {
    settings.limits.filing_quota_per_hour = 2;
    settings.limits.filing_quota_per_day = 3;
}

async fn file(app: &TestApp, token: &str, key: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/tickets"))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(&json!({"category": "land", "title": "用地", "description": "需新增工业用地。"}))
        .send()
        .await
        .unwrap()
}

/// Two per hour and three per day: the third filing within the hour and the fourth within the
/// day are refused with the wait, other enterprises are unaffected, and a retry of an accepted
/// filing is still answered.
async fn filing_quotas_per_hour_and_day(app: &TestApp) {
    let world = World::build(app).await;
    let staff = &world.staff1.token;
    for key in ["k1", "k2"] {
        assert_eq!(file(app, staff, key).await.status(), 201);
    }
    let refused = file(app, staff, "k3").await;
    let wait: i64 = header(&refused, "retry-after").parse().unwrap();
    assert!((3000..=3600).contains(&wait), "{wait}");
    let problem = expect_json(refused, 429).await;
    assert!(problem["detail"].as_str().unwrap().contains("per hour"));

    let replay = file(app, staff, "k1").await;
    assert_eq!(replay.status(), 201);
    assert_eq!(header(&replay, "idempotent-replayed"), "true");
    assert_eq!(file(app, &world.staff2.token, "k1").await.status(), 201);

    app.clock.advance(chrono::Duration::minutes(61));
    let staff = &token_for(app, "staff.one").await; // the first one has expired
    assert_eq!(file(app, staff, "k3").await.status(), 201);
    let refused = file(app, staff, "k4").await;
    let wait: i64 = header(&refused, "retry-after").parse().unwrap();
    assert!(wait > 20 * 3600, "{wait}");
    let problem = expect_json(refused, 429).await;
    assert!(problem["detail"].as_str().unwrap().contains("per day"));
}

mod quota {
    use super::*;
    crate::both_backends_with!(quotas; filing_quotas_per_hour_and_day);
}

/// The highest `password_hashes_in_flight` seen in the metrics.
fn hashes_in_flight(metrics: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix("password_hashes_in_flight "))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

/// A flood of logins never hashes more than the bound at once, and requests that need no
/// hashing are answered while the flood is still queued.
async fn password_hashing_is_bounded(app: &TestApp) {
    let admin = app.admin_token().await;
    let body = json!({"username": "flood.target", "password": PASSWORD, "role": "admin"});
    app.call(Method::POST, "/api/v1/users", Some(&admin), Some(body), 201)
        .await;
    let login = json!({"username": "flood.target", "password": PASSWORD});
    let flood: Vec<_> = (0..24)
        .map(|_| {
            let request = app.client.post(app.url("/api/v1/auth/login")).json(&login);
            tokio::spawn(async move {
                let status = request.send().await.unwrap().status();
                (status, Instant::now())
            })
        })
        .collect();
    let mut highest: f64 = 0.0;
    let mut cheap_done = Instant::now();
    for _ in 0..10 {
        let started = Instant::now();
        assert_eq!(app.get("/api/v1/regions/411600").await.status(), 200);
        assert!(started.elapsed() < Duration::from_secs(2));
        let metrics = app.get("/metrics").await.text().await.unwrap();
        highest = highest.max(hashes_in_flight(&metrics));
        cheap_done = Instant::now();
    }
    let mut last_login = cheap_done;
    for handle in flood {
        let (status, done) = handle.await.unwrap();
        assert_eq!(status, 200);
        last_login = last_login.max(done);
    }
    assert!(highest <= f64::from(PASSWORD_HASH_CONCURRENCY), "{highest}");
    assert!(
        cheap_done < last_login,
        "the cheap requests waited for the whole flood"
    );
}

fn small_pool(settings: &mut Settings) {
    settings.db_pool_size = 2;
    settings.db_timeout_secs = 1;
}

/// With every connection held by slow work, a request is answered 503 with `Retry-After` after
/// the checkout timeout, not queued for as long as the slow work lasts; then service resumes.
async fn exhausted_pool_answers_503_quickly(app: &TestApp) {
    let holders: Vec<_> = (0..2)
        .map(|_| {
            let db = app.db.clone();
            tokio::spawn(async move {
                db.run(|_| {
                    std::thread::sleep(Duration::from_secs(4));
                    Ok::<_, DbError>(())
                })
                .await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let response = app.get("/api/v1/regions/411600").await;
    assert!(started.elapsed() < Duration::from_millis(2500));
    assert_eq!(header(&response, "retry-after"), "5");
    expect_json(response, 503).await;
    for holder in holders {
        holder.await.unwrap().unwrap();
    }
    assert_eq!(app.get("/api/v1/regions/411600").await.status(), 200);
}

both_backends!(password_hashing_is_bounded);

mod pool {
    use super::*;
    crate::both_backends_with!(small_pool; exhausted_pool_answers_503_quickly);
}
