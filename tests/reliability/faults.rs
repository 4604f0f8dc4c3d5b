//! Database faults (PostgreSQL, through a proxy the test cuts): during load the service answers
//! 503 problems with `Retry-After` within seconds instead of hanging, says it is not ready, and
//! recovers by itself once the database is back; started while the database is down, it serves
//! `/healthz`, answers 503 elsewhere, and becomes ready when the database comes.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use tokio::sync::Mutex;

use crate::cast::Cast;
use crate::proxy::Proxy;
use crate::server::{Server, TestDb, base_env, call, postgres_admin_url, server_url};

const OUTAGE: Duration = Duration::from_secs(10);
/// The checkout timeout the service runs with here: how long a request may wait for the database.
const DB_TIMEOUT_SECS: u64 = 2;
/// Fast enough: the checkout timeout plus a margin for a loaded machine.
const FAIL_FAST: Duration = Duration::from_secs(DB_TIMEOUT_SECS + 2);
const RECOVERY: Duration = Duration::from_secs(5);

/// Where PostgreSQL listens, from `TEST_DATABASE_URL`.
fn postgres_address() -> SocketAddr {
    let server = server_url(&postgres_admin_url());
    let host = server
        .rsplit('@')
        .next()
        .unwrap()
        .trim_start_matches("postgres://");
    let host = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    };
    let host = host.replace("localhost", "127.0.0.1");
    host.parse()
        .expect("TEST_DATABASE_URL names host:port by IP address")
}

/// The service's settings, with the database reached through the proxy.
fn env_through(proxy: &Proxy, db: &TestDb) -> Vec<(String, String)> {
    let mut env = base_env(db);
    env.retain(|(k, _)| k != "DATABASE_URL");
    let url = format!(
        "postgres://postgres@127.0.0.1:{}/{}",
        proxy.port,
        db.postgres_name()
    );
    env.push(("DATABASE_URL".into(), url));
    env.push(("DB_TIMEOUT_SECS".into(), DB_TIMEOUT_SECS.to_string()));
    env
}

/// One answer seen by the load: when, what, how long it took.
struct Seen {
    at: Instant,
    status: Option<u16>,
    retry_after: bool,
    latency: Duration,
}

async fn load(
    client: reqwest::Client,
    base: String,
    token: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
) {
    for n in 0..100_000 {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let started = Instant::now();
        let request = if n % 2 == 0 {
            client.get(format!("{base}/api/v1/tickets?limit=5"))
        } else {
            client.post(format!("{base}/api/v1/tickets")).json(
                &json!({"category": "finance", "title": "贷款贴息", "description": "申请贴息。"}),
            )
        };
        let response = request
            .bearer_auth(&token)
            .timeout(Duration::from_secs(30))
            .send()
            .await;
        let (status, retry_after) = match &response {
            Ok(r) => (
                Some(r.status().as_u16()),
                r.headers().contains_key("retry-after"),
            ),
            Err(_) => (None, false),
        };
        seen.lock().await.push(Seen {
            at: started,
            status,
            retry_after,
            latency: started.elapsed(),
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn outage_during_load() {
    let db = TestDb::postgres();
    let proxy = Proxy::start(postgres_address()).await;
    let env = env_through(&proxy, &db);
    let client = reqwest::Client::new();
    let server = Server::start(&env);
    let cast = Cast::build(&client, &server, &env).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn(load(
                client.clone(),
                server.base.clone(),
                cast.staff.clone(),
                seen.clone(),
                stop.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;

    proxy.cut();
    let cut_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    let (status, problem) = call(&client, Method::GET, &server.url("/readyz"), None, None)
        .await
        .unwrap();
    assert_eq!(status, 503, "{problem}");
    assert!(
        started.elapsed() < FAIL_FAST,
        "/readyz took {:?}",
        started.elapsed()
    );
    tokio::time::sleep(OUTAGE.saturating_sub(cut_at.elapsed())).await;

    proxy.restore();
    let back_at = Instant::now();
    let readiness = server.wait_ready(&client, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }

    let seen = seen.lock().await;
    let errors: Vec<_> = seen
        .iter()
        .filter_map(|s| s.status)
        .filter(|s| *s >= 500 && *s != 503)
        .collect();
    assert!(
        errors.is_empty(),
        "server errors other than 503: {errors:?}"
    );
    let during: Vec<_> = seen
        .iter()
        .filter(|s| s.at > cut_at + Duration::from_millis(100) && s.at < back_at)
        .collect();
    let failed: Vec<_> = during
        .iter()
        .filter(|s| s.status != Some(200) && s.status != Some(201))
        .collect();
    assert!(!failed.is_empty(), "the outage was not noticed");
    for s in &failed {
        assert_eq!(s.status, Some(503), "only 503s during the outage");
        assert!(s.retry_after, "503 without Retry-After");
        assert!(s.latency < FAIL_FAST, "an answer took {:?}", s.latency);
    }
    let first_success = seen
        .iter()
        .filter(|s| s.at >= back_at && matches!(s.status, Some(200 | 201)))
        .map(|s| s.at + s.latency - back_at)
        .min()
        .expect("requests succeed again");
    assert!(
        first_success < RECOVERY && readiness < RECOVERY,
        "recovered after {first_success:?}, ready after {readiness:?}"
    );
    let after: Vec<_> = seen.iter().filter(|s| s.at > back_at + RECOVERY).collect();
    assert!(
        after.iter().all(|s| matches!(s.status, Some(200 | 201))),
        "failures after recovery"
    );
    let slowest = failed.iter().map(|s| s.latency).max().unwrap();
    println!(
        "database outage: {} requests, {} during the {:?} cut answered 503 with Retry-After \
         (slowest {slowest:?}), {} connections refused by the cut, first success {first_success:?} \
         and ready {readiness:?} after the database returned, no 500",
        seen.len(),
        failed.len(),
        OUTAGE,
        proxy.refused.load(Ordering::Relaxed),
    );
}

pub async fn start_while_database_is_down() {
    let db = TestDb::postgres();
    let proxy = Proxy::start(postgres_address()).await;
    proxy.cut();
    let env = env_through(&proxy, &db);
    let client = reqwest::Client::new();
    let server = Server::start(&env);
    let (status, _) = call(&client, Method::GET, &server.url("/healthz"), None, None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    let (status, _) = call(&client, Method::GET, &server.url("/readyz"), None, None)
        .await
        .unwrap();
    assert_eq!(status, 503);
    let started = Instant::now();
    let response = client
        .get(server.url("/api/v1/regions/411600"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    assert!(started.elapsed() < FAIL_FAST);
    tokio::time::sleep(Duration::from_secs(3)).await;

    proxy.restore();
    let readiness = server.wait_ready(&client, Duration::from_secs(30)).await;
    assert!(
        readiness < RECOVERY,
        "ready {readiness:?} after the database came"
    );
    let (status, region) = call(
        &client,
        Method::GET,
        &server.url("/api/v1/regions/411600"),
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{region}");
    println!(
        "start while the database is down: /healthz 200, /readyz and the API 503 with Retry-After; ready {readiness:?} after the database came"
    );
}
