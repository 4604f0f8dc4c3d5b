//! Durability: under a write load of filings and moves the server is killed with SIGKILL at
//! random moments; after each restart every acknowledged filing and move is there, every ticket
//! has exactly one event per version, and a retry with the same `Idempotency-Key` returns the
//! stored ticket (or, for a filing the crash cut off, files it exactly once).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rand_like::Rng;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::cast::{self, Cast};
use crate::server::{Server, TestDb, base_env, call, command};

const KILLS: usize = 10;
const WORKERS: usize = 6;

/// What the clients were told before the crash.
#[derive(Default)]
struct Ledger {
    /// Idempotency key, body and ticket id of each filing answered 201.
    filed: Vec<(String, Value, i64)>,
    /// Key and body of each filing sent but never answered.
    unanswered: Vec<(String, Value)>,
    /// Ticket id, version and status each acknowledged move left.
    moved: Vec<(i64, i64, String)>,
    /// Answers of the 5xx kind while the server was up.
    server_errors: Vec<String>,
}

/// One client: files a ticket, then accepts and resolves it as the cadre, until the server dies.
async fn work(
    client: reqwest::Client,
    base: String,
    cast: Arc<Cast>,
    worker: usize,
    round: usize,
    ledger: Arc<Mutex<Ledger>>,
    dead: Arc<AtomicBool>,
) {
    for n in 0..10_000 {
        if dead.load(Ordering::Relaxed) {
            return;
        }
        let key = format!("r{round}-w{worker}-{n}");
        let body = json!({"category": "energy", "title": format!("供电扩容 {key}"), "description": "需新增变压器一台。"});
        let request = client
            .post(format!("{base}/api/v1/tickets"))
            .bearer_auth(&cast.staff)
            .header("idempotency-key", &key)
            .json(&body)
            .timeout(Duration::from_secs(20));
        let answer = match request.send().await {
            Ok(response) => (response.status().as_u16(), response.json::<Value>().await),
            Err(_) => {
                ledger.lock().await.unanswered.push((key, body));
                return;
            }
        };
        let id = match answer {
            (201, Ok(ticket)) => ticket["id"].as_i64().unwrap(),
            (201, Err(_)) => {
                ledger.lock().await.unanswered.push((key, body));
                return;
            }
            (status, _) => {
                if status >= 500 {
                    ledger
                        .lock()
                        .await
                        .server_errors
                        .push(format!("file: {status}"));
                }
                return;
            }
        };
        ledger.lock().await.filed.push((key, body, id));
        for action in ["accept", "resolve"] {
            let url = format!("{base}/api/v1/tickets/{id}/{action}");
            let body = json!({"resolution": "已协调供电公司完成扩容。"});
            let body = (action == "resolve").then_some(body);
            match call(&client, Method::POST, &url, Some(&cast.cadre), body).await {
                Ok((200, ticket)) => ledger.lock().await.moved.push((
                    id,
                    ticket["version"].as_i64().unwrap(),
                    ticket["status"].as_str().unwrap().to_owned(),
                )),
                Ok((status, answer)) => {
                    if status >= 500 {
                        ledger
                            .lock()
                            .await
                            .server_errors
                            .push(format!("{action}: {status} {answer}"));
                    }
                    return;
                }
                Err(_) => return,
            }
        }
    }
}

/// Checks every promise the ledger holds against the restarted server and the database.
async fn verify(
    client: &reqwest::Client,
    server: &Server,
    cast: &Cast,
    db: &enterprise_assist::db::Database,
    ledger: &Ledger,
) -> usize {
    for (id, version, status) in &ledger.moved {
        let url = server.url(&format!("/api/v1/tickets/{id}"));
        let (code, ticket) = call(client, Method::GET, &url, Some(&cast.staff), None)
            .await
            .unwrap();
        assert_eq!(code, 200, "acknowledged ticket {id} is gone");
        let now = ticket["version"].as_i64().unwrap();
        assert!(
            now >= *version,
            "ticket {id} went back from version {version} to {now}"
        );
        if now == *version {
            assert_eq!(ticket["status"], status.as_str());
        }
    }
    let retry = |key: &str, body: &Value| {
        client
            .post(server.url("/api/v1/tickets"))
            .bearer_auth(&cast.staff)
            .header("idempotency-key", key)
            .json(body)
            .send()
    };
    for (key, body, id) in &ledger.filed {
        let response = retry(key, body).await.unwrap();
        assert_eq!(response.status(), 201, "retry of {key}");
        assert_eq!(response.headers()["idempotent-replayed"], "true");
        let ticket: Value = response.json().await.unwrap();
        assert_eq!(
            ticket["id"].as_i64(),
            Some(*id),
            "retry of {key} found another ticket"
        );
    }
    // A filing the crash cut off either committed or not: two retries agree on one ticket.
    for (key, body) in &ledger.unanswered {
        let mut ids = Vec::new();
        for _ in 0..2 {
            let response = retry(key, body).await.unwrap();
            assert_eq!(response.status(), 201, "retry of unanswered {key}");
            ids.push(
                response.json::<Value>().await.unwrap()["id"]
                    .as_i64()
                    .unwrap(),
            );
        }
        assert_eq!(ids[0], ids[1], "unanswered {key} was filed twice");
    }
    let lacking = cast::query_text(
        db,
        "SELECT CAST(COUNT(*) AS TEXT) AS value FROM tickets t WHERE t.version <> \
         (SELECT COUNT(*) FROM ticket_events e WHERE e.ticket_id = t.id)",
    )
    .await;
    assert_eq!(
        lacking, "0",
        "tickets whose events do not match their versions"
    );
    ledger.unanswered.len()
}

pub async fn kill_nine_loses_nothing(backend: &str) {
    let db = TestDb::of(backend);
    let env = base_env(&db);
    let client = reqwest::Client::new();
    let mut server = Server::start(&env);
    let cast = Arc::new(Cast::build(&client, &server, &env).await);
    let database = cast::open(&env).await;
    let durable = match backend {
        "sqlite" => {
            cast::query_text(
                &database,
                "SELECT CAST(synchronous AS TEXT) AS value FROM pragma_synchronous",
            )
            .await
                == "2"
        }
        _ => {
            cast::query_text(
                &database,
                "SELECT setting AS value FROM pg_settings WHERE name = 'synchronous_commit'",
            )
            .await
                == "on"
        }
    };
    assert!(durable, "commits are not synchronous");
    let mut rng = Rng::seeded(0x5eed + backend.len() as u64);
    let (mut filed, mut moved, mut unanswered) = (0, 0, 0);
    let mut logs = Vec::new();
    for round in 0..KILLS {
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let dead = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                tokio::spawn(work(
                    client.clone(),
                    server.base.clone(),
                    cast.clone(),
                    w,
                    round,
                    ledger.clone(),
                    dead.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(300 + rng.below(1200))).await;
        logs.extend(server.kill());
        dead.store(true, Ordering::Relaxed);
        for w in workers {
            w.await.unwrap();
        }
        server = Server::start(&env);
        server.wait_ready(&client, Duration::from_secs(30)).await;
        let ledger = ledger.lock().await;
        assert!(
            ledger.server_errors.is_empty(),
            "{:?}",
            ledger.server_errors
        );
        unanswered += verify(&client, &server, &cast, &database, &ledger).await;
        filed += ledger.filed.len();
        moved += ledger.moved.len();
    }
    logs.extend(server.logs());
    let locked = logs
        .iter()
        .filter(|l| l.contains("database is locked"))
        .count();
    assert_eq!(locked, 0, "\"database is locked\" in the logs");
    assert!(filed > 0 && moved > 0, "the load did nothing");
    // The statistics counters were written with every acknowledged change, or not at all.
    command(&env, &["verify-stats"]);
    println!(
        "durability {backend}: {KILLS} kill -9, {filed} filings and {moved} moves acknowledged, \
         {unanswered} cut-off filings retried once each, lost 0; statistics equal the recount"
    );
}

/// A tiny deterministic generator: the kill moments vary, the runs repeat.
mod rand_like {
    pub struct Rng(u64);

    impl Rng {
        pub fn seeded(seed: u64) -> Rng {
            Rng(seed)
        }

        /// A number in `0..bound`.
        pub fn below(&mut self, bound: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % bound
        }
    }
}
