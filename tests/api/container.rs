//! The container files: compose's healthcheck really asks `/readyz` (run here against the app,
//! as the container would run it), and the Docker build context leaves out the build output.

use crate::both_backends;
use crate::helpers::TestApp;

const IN_CONTAINER: &str = "127.0.0.1/8080";

/// The app service's healthcheck command (`["CMD", program, args...]`) from docker-compose.yml.
fn healthcheck() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docker-compose.yml"))
        .expect("docker-compose.yml");
    let compose: serde_json::Value = serde_norway::from_str(&text).expect("valid YAML");
    let test = compose["services"]["app"]["healthcheck"]["test"]
        .as_array()
        .expect("the app has a healthcheck in exec form")
        .iter()
        .map(|part| part.as_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert_eq!(test[0], "CMD", "{test:?}");
    assert!(test.iter().any(|t| t.contains(IN_CONTAINER)), "{test:?}");
    test[1..].to_vec()
}

/// Whether the healthcheck passes against `target` (`host/port` in bash's /dev/tcp form).
fn healthy(target: &str) -> bool {
    let command = healthcheck();
    let args: Vec<String> = command[1..]
        .iter()
        .map(|a| a.replace(IN_CONTAINER, target))
        .collect();
    std::process::Command::new(&command[0])
        .args(args)
        .status()
        .expect("the healthcheck runs")
        .success()
}

async fn the_compose_healthcheck_asks_readyz(app: &TestApp) {
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let target = format!("127.0.0.1/{port}");
    assert!(
        tokio::task::spawn_blocking(move || healthy(&target))
            .await
            .unwrap()
    );
    // Nothing listening: unhealthy (a port just freed by a listener of our own).
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("127.0.0.1/{}", free.local_addr().unwrap().port());
    drop(free);
    assert!(!healthy(&closed));
}

#[test]
fn the_build_context_leaves_out_build_output_and_state() {
    let ignore = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.dockerignore"))
        .expect(".dockerignore");
    let lines: Vec<&str> = ignore.lines().map(str::trim).collect();
    for entry in ["target/", "var/", ".git/"] {
        assert!(lines.contains(&entry), "{entry} is not in .dockerignore");
    }
}

both_backends!(the_compose_healthcheck_asks_readyz);
