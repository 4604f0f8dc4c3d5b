//! Slow and idle connections are cut off without hurting other clients: a request head dribbled
//! in, a connection that says nothing, a body dribbled in. (HTTP only: SQLite is enough.)

use std::time::{Duration, Instant};

use enterprise_assist::config::Settings;
use enterprise_assist::db::Backend;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, run_test_with};

fn impatient(settings: &mut Settings) {
    settings.limits.client_request_timeout_secs = 1;
    settings.limits.body_timeout_secs = 1;
    settings.limits.keep_alive_secs = 1;
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Writes `bytes` one at a time, `pause` apart, while reading whatever the server answers until
/// it hangs up (at most 10 s). Returns the answer and when the connection ended.
async fn dribble(stream: &mut TcpStream, bytes: &[u8], pause: Duration) -> (String, Instant) {
    let (mut reader, mut writer) = stream.split();
    let write = async {
        for byte in bytes {
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(pause).await;
        }
        std::future::pending::<()>().await
    };
    let read = async {
        let mut answer = Vec::new();
        let _ = reader.read_to_end(&mut answer).await;
        answer
    };
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        tokio::select! {
            answer = read => answer,
            () = write => unreachable!("writing never finishes"),
        }
    })
    .await
    .expect("the server hung up");
    (
        String::from_utf8_lossy(&answer).into_owned(),
        Instant::now(),
    )
}

/// Other clients are served promptly while a slow one is being cut off.
async fn others_are_served(app: &TestApp) {
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(app.get("/healthz").await.status(), 200);
        assert!(started.elapsed() < Duration::from_millis(500));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn slow_clients_are_cut_off(app: &TestApp) {
    // A head dribbled a byte every 200 ms would take 12 s; the server waits 1 s for it.
    let head =
        b"GET /api/v1/regions/411600 HTTP/1.1\r\nHost: localhost\r\nX-Padding: aaaaaaaaaa\r\n\r\n";
    let started = Instant::now();
    let mut slow_head = connect(app).await;
    let dribbling = async { dribble(&mut slow_head, head, Duration::from_millis(200)).await };
    let ((answer, ended), ()) = tokio::join!(dribbling, others_are_served(app));
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(
        ended - started < Duration::from_secs(4),
        "{:?}",
        ended - started
    );

    // A connection that sends nothing is closed too.
    let started = Instant::now();
    let mut silent = connect(app).await;
    let (_, ended) = dribble(&mut silent, b"", Duration::ZERO).await;
    assert!(ended - started < Duration::from_secs(4));

    // A body dribbled in: the head arrives at once, the body never completes.
    let request = b"POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"username\": \"slow\", \"password\": \"slowly\"";
    let started = Instant::now();
    let mut slow_body = connect(app).await;
    let (head, body) = request.split_at(request.len() - 40);
    slow_body.write_all(head).await.unwrap();
    let dribbling = async { dribble(&mut slow_body, body, Duration::from_millis(200)).await };
    let ((answer, ended), ()) = tokio::join!(dribbling, others_are_served(app));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(
        ended - started < Duration::from_secs(6),
        "{:?}",
        ended - started
    );

    // An idle keep-alive connection is closed after its request.
    let mut idle = connect(app).await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (answer, ended) = dribble(&mut idle, b"", Duration::ZERO).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(ended - started < Duration::from_secs(4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_connections_are_cut_off() {
    run_test_with(Backend::Sqlite, impatient, slow_clients_are_cut_off).await
}
