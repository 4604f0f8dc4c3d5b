//! Graceful shutdown of the real binary: on SIGTERM, requests in flight finish with their
//! answers, new connections are refused, and the process exits 0.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::cast::Cast;
use crate::server::{PASSWORD, Server, TestDb, base_env};

const LOGINS: usize = 8;

pub async fn sigterm_drains_and_exits_zero() {
    let db = TestDb::sqlite();
    let mut env = base_env(&db);
    // One hash at a time, so the logins below are still queued when the signal arrives.
    env.push(("PASSWORD_HASH_CONCURRENCY".into(), "1".into()));
    let client = reqwest::Client::new();
    let mut server = Server::start(&env);
    Cast::build(&client, &server, &env).await;

    // A request whose body is still arriving when the signal comes.
    let address = server.base.trim_start_matches("http://").to_owned();
    let body = json!({"username": "staff.load", "password": PASSWORD}).to_string();
    let mut slow = TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(&body.as_bytes()[..10]).await.unwrap();

    let login = json!({"username": "staff.load", "password": PASSWORD});
    let logins: Vec<_> = (0..LOGINS)
        .map(|_| {
            let request = client.post(server.url("/api/v1/auth/login")).json(&login);
            tokio::spawn(async move { request.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let signalled = Instant::now();
    server.terminate();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let refused = TcpStream::connect(&address).await.is_err();
    slow.write_all(&body.as_bytes()[10..]).await.unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the slow request: {answer}"
    );
    for login in logins {
        assert_eq!(
            login.await.unwrap().unwrap(),
            200,
            "a login in flight was dropped"
        );
    }
    let status = server.wait_exit(Duration::from_secs(40));
    assert!(status.success(), "exit status {status:?}");
    assert!(refused, "a new connection was accepted after SIGTERM");
    println!(
        "graceful shutdown: {} requests in flight at SIGTERM all answered 200, new connections \
         refused, exit 0 after {:?}",
        LOGINS + 1,
        signalled.elapsed()
    );
}
