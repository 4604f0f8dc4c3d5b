//! Fault and abuse tests against the real binary, as a separate process: kill -9 under load,
//! database outages, graceful shutdown, and the logs of a whole run. They take minutes, so they
//! are ignored by a plain `cargo test`; `tests/reliability/run.sh` (called by `.ci/run`) runs
//! them with `--ignored`, one at a time.

mod cast;
mod durability;
mod faults;
mod logs;
#[path = "../shared/postgres.rs"]
mod postgres;
mod proxy;
mod server;
mod shutdown;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run by tests/reliability/run.sh"]
async fn durability_sqlite() {
    durability::kill_nine_loses_nothing("sqlite").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run by tests/reliability/run.sh"]
async fn durability_postgres() {
    durability::kill_nine_loses_nothing("postgres").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run by tests/reliability/run.sh"]
async fn database_outage_during_load() {
    faults::outage_during_load().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run by tests/reliability/run.sh"]
async fn start_while_the_database_is_down() {
    faults::start_while_database_is_down().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run by tests/reliability/run.sh"]
async fn graceful_shutdown() {
    shutdown::sigterm_drains_and_exits_zero().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run by tests/reliability/run.sh"]
async fn audit_logs_without_secrets() {
    logs::logs_hold_the_audit_trail_and_no_secrets().await
}
