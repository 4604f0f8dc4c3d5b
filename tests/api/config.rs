//! Configuration traps, through the real binary: an unknown database scheme is refused in one
//! line, a PostgreSQL database that does not exist is said once with how to create it and then
//! waited for quietly, and start-up names the backend and database without credentials.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};

const BINARY: &str = env!("CARGO_BIN_EXE_enterprise-assist");
const JWT_SECRET: &str = "config-test-secret-that-is-at-least-32-bytes";

fn command(dir: &std::path::Path, database_url: &str) -> Command {
    let mut command = Command::new(BINARY);
    command
        .current_dir(dir)
        .env_clear()
        .env("DATA_DIR", dir.join("data"))
        .env("DATABASE_URL", database_url)
        .env("JWT_SECRET", JWT_SECRET)
        .env("LOG_FORMAT", "human")
        .env("NO_COLOR", "1");
    command
}

/// The lines a child writes on standard output and error, collected as they come.
fn collect_lines(child: &mut Child) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let stdout = child
        .stdout
        .take()
        .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>);
    let stderr = child
        .stderr
        .take()
        .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>);
    for stream in [stdout, stderr].into_iter().flatten() {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
    }
    lines
}

fn wait_for(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_unknown_database_scheme_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for subcommand in ["serve", "migrate"] {
        let mut child = command(dir.path(), "mysql://app:hunter2@db/ea")
            .env("BIND", "127.0.0.1:0")
            .arg(subcommand)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let exited = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if exited.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{subcommand} did not stop with an unknown scheme");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let output = child.wait_with_output().unwrap();
        assert!(!output.status.success(), "{subcommand} started");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{subcommand}: {stderr}");
        assert!(lines[0].contains("unknown scheme `mysql://`"), "{stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        left.iter().all(|name| name != "mysql:"),
        "a SQLite file was made of the URL: {left:?}"
    );
}

/// The database's name is said once, with `createdb`; the pool keeps trying without a word;
/// once the database exists the service becomes ready by itself.
#[test]
fn a_missing_postgres_database_is_said_once_then_waited_for() {
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let (base, _) = admin_url
        .split('?')
        .next()
        .unwrap()
        .rsplit_once('/')
        .unwrap();
    let name = format!("ea_missing_{}", uuid::Uuid::new_v4().simple());
    // A password the server does not ask for (trust), to see it is never printed.
    let url = format!("{base}/{name}").replacen("://postgres@", "://postgres:hunter2@", 1);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let mut child = command(dir.path(), &url)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DB_TIMEOUT_SECS", "1")
        .arg("serve")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = collect_lines(&mut child);
    let readyz = format!("http://127.0.0.1:{port}/readyz");
    let ready = || get_status(&readyz) == Some(200);
    // Several rounds of retries.
    wait_for("the server to listen", Duration::from_secs(20), || {
        lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("listening"))
    });
    std::thread::sleep(Duration::from_secs(4));
    assert!(!ready(), "ready without a database");
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    wait_for(
        "readiness once the database exists",
        Duration::from_secs(30),
        ready,
    );
    let _ = child.kill();
    let _ = child.wait();
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();

    let lines = lines.lock().unwrap().clone();
    let all = lines.join("\n");
    let missing: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("does not exist"))
        .collect();
    assert_eq!(missing.len(), 1, "said once: {all}");
    assert!(
        missing[0].contains(&format!("createdb -h 127.0.0.1 -p 5432 -U postgres {name}")),
        "{all}"
    );
    assert!(!all.contains("r2d2"), "no pool errors of its own: {all}");
    assert!(!all.contains("hunter2"), "no password in the logs: {all}");
    let start = lines
        .iter()
        .find(|l| l.contains("using the database"))
        .expect("a start line");
    assert!(
        start.contains("postgres") && start.contains(&format!("127.0.0.1:5432/{name}")),
        "{start}"
    );
}

/// `migrate` (like every command that opens the database) names it first, on either backend.
#[test]
fn start_names_the_backend_and_database() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("named.db");
    let output = command(dir.path(), &format!("sqlite://{}", file.display()))
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let start = stdout
        .lines()
        .find(|l| l.contains("using the database"))
        .expect("a start line");
    assert!(
        start.contains("sqlite") && start.contains(&file.display().to_string()),
        "{start}"
    );
}

/// The status of a plain GET, or `None` when nothing answers (no async runtime needed).
fn get_status(url: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest.split_once('/')?;
    let mut stream = std::net::TcpStream::connect(host).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}
