//! The real binary as a child process: started on a free port with JSON logs collected, asked
//! for its address, stopped by SIGTERM or killed with SIGKILL. And the databases it runs on.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const BINARY: &str = env!("CARGO_BIN_EXE_enterprise-assist");
pub const JWT_SECRET: &str = "reliability-secret-that-is-at-least-32-bytes";
pub const ADMIN_PASSWORD: &str = "reliability-admin-0001";
pub const PASSWORD: &str = "reliability-user-0001";

use crate::postgres::TestPostgres;
pub use crate::postgres::{postgres_admin_url, server_url};

/// A database for one test: a SQLite file in a temporary directory, or a PostgreSQL database
/// created on `TEST_DATABASE_URL`'s server and dropped at the end.
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    postgres: Option<TestPostgres>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("ea.db").display());
        TestDb {
            url,
            dir,
            postgres: None,
        }
    }

    pub fn postgres() -> TestDb {
        let postgres = TestPostgres::create();
        TestDb {
            url: postgres.url.clone(),
            dir: tempfile::tempdir().unwrap(),
            postgres: Some(postgres),
        }
    }

    pub fn of(backend: &str) -> TestDb {
        match backend {
            "sqlite" => TestDb::sqlite(),
            _ => TestDb::postgres(),
        }
    }

    /// The database's name on its PostgreSQL server.
    pub fn postgres_name(&self) -> &str {
        &self.postgres.as_ref().expect("a PostgreSQL database").name
    }
}

/// The settings every run shares; a test adds or overrides with `extra`.
pub fn base_env(db: &TestDb) -> Vec<(String, String)> {
    [
        ("DATABASE_URL", db.url.as_str()),
        ("DATA_DIR", db.dir.path().to_str().unwrap()),
        ("JWT_SECRET", JWT_SECRET),
        ("BIND", "127.0.0.1:0"),
        ("LOG_FORMAT", "json"),
        ("LOG_LEVEL", "info"),
        ("WORKERS", "2"),
        ("RATE_LIMIT_REQUESTS", "0"),
        ("FILING_QUOTA_PER_HOUR", "0"),
        ("FILING_QUOTA_PER_DAY", "0"),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// Runs a subcommand to completion (`create-admin`, `migrate`).
pub fn command(env: &[(String, String)], args: &[&str]) {
    let output = Command::new(BINARY)
        .args(args)
        .envs(env.iter().cloned())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

pub struct Server {
    child: Child,
    pub base: String,
    /// Every line the process wrote, standard output and error, in order of arrival.
    pub logs: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `serve` and waits (at most 30 s) for it to say where it listens.
    pub fn start(env: &[(String, String)]) -> Server {
        let mut child = Command::new(BINARY)
            .arg("serve")
            .envs(env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (address_tx, address_rx) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let logs = logs.clone();
            let address_tx = address_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(address) = listening_address(&line) {
                        let _ = address_tx.send(address);
                    }
                    logs.lock().unwrap().push(line);
                }
            });
        }
        let base = address_rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no address logged: {:?}", logs.lock().unwrap()));
        Server { child, base, logs }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(mut self) -> Vec<String> {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.logs()
    }

    /// SIGTERM, as an orchestrator stops a container.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits at most `limit` for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < limit, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn logs(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }

    /// Polls `/readyz` (at most `limit`); returns how long it took to say ready.
    pub async fn wait_ready(&self, client: &reqwest::Client, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            let ready = client
                .get(self.url("/readyz"))
                .timeout(Duration::from_secs(5))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ready {
                return started.elapsed();
            }
            assert!(started.elapsed() < limit, "not ready within {limit:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address in the "listening" line of the JSON log.
fn listening_address(line: &str) -> Option<String> {
    let value: Value = serde_json::from_str(line).ok()?;
    (value["fields"]["message"] == "enterprise-assist listening")
        .then(|| value["fields"]["address"].as_str().map(str::to_owned))
        .flatten()
}

/// A JSON request; returns the status and the body (`Value::Null` when there is none).
pub async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> reqwest::Result<(u16, Value)> {
    let mut request = client.request(method, url).timeout(Duration::from_secs(30));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let text = response.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// Logs in; returns the access token.
pub async fn login(
    client: &reqwest::Client,
    server: &Server,
    user: &str,
    password: &str,
) -> String {
    let body = json!({"username": user, "password": password});
    let (status, answer) = call(
        client,
        reqwest::Method::POST,
        &server.url("/api/v1/auth/login"),
        None,
        Some(body),
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{answer}");
    answer["access_token"].as_str().unwrap().to_owned()
}
