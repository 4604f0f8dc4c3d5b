//! Periodic work inside `serve`: closing tickets left resolved past the confirmation window,
//! recording clocks that ran out (each once, see `services::breaches`), moving the warning counts on for tickets that changed colour, folding the statistics
//! counters' slots, freezing the monthly reports of ended months, and forgetting old idempotency
//! keys, failed-login counters and token revocations. Safe with many instances on one
//! database: every close is a versioned move, so a ticket is closed (and its event written)
//! once whoever gets there first; a warning count moves on only from the value it was read at;
//! a slot is folded by whoever deletes it; a month is frozen by whoever claims it first.

use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::{counters, idempotency, revocations, write_transaction};
use crate::error::Error;
use crate::services::ticket_moves::Moment;
use crate::services::{breaches, login_throttle, monthly, ticket_moves, warnings};
use crate::state::AppState;

/// Idempotency keys are promised for 24 hours; they are kept twice that.
const IDEMPOTENCY_RETENTION: TimeDelta = TimeDelta::hours(48);

/// Revocations matter for an access token's lifetime (at most a day, `ACCESS_TOKEN_TTL_SECS`);
/// an instance starting later reads only these.
const REVOCATION_RETENTION: TimeDelta = TimeDelta::days(2);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct JobReport {
    pub auto_closed: usize,
    pub breaches_recorded: usize,
    pub warnings_advanced: usize,
    pub counter_keys_folded: usize,
    pub months_frozen: usize,
    pub keys_purged: usize,
    pub login_counters_purged: usize,
    pub revocations_purged: usize,
}

/// One round of the periodic work, as of `now`.
pub async fn run_once(state: &AppState, now: NaiveDateTime) -> Result<JobReport, Error> {
    let reckoning = state.reckoning()?;
    let confirmation_window = state.confirmation_window;
    let timezone = state.timezone;
    state
        .db
        .run(move |conn| {
            let at = Moment {
                now,
                reckon: &reckoning.working_time(),
            };
            let auto_closed = ticket_moves::auto_close(conn, at, confirmation_window)?;
            let breaches_recorded = breaches::record_due(conn, at)?;
            let warnings_advanced = warnings::advance(conn, now)?;
            let counter_keys_folded = counters::fold_slots(conn)?;
            let months_frozen = monthly::freeze_ended(conn, now, timezone)?;
            let keys_purged = write_transaction(conn, |c| {
                idempotency::purge_before(c, now - IDEMPOTENCY_RETENTION)
            })?;
            let login_counters_purged = write_transaction(conn, |c| login_throttle::purge(c, now))?;
            let revocations_purged = write_transaction(conn, |c| {
                revocations::purge_before(c, now - REVOCATION_RETENTION)
            })?;
            Ok(JobReport {
                auto_closed,
                breaches_recorded,
                warnings_advanced,
                counter_keys_folded,
                months_frozen,
                keys_purged,
                login_counters_purged,
                revocations_purged,
            })
        })
        .await
}

/// Runs [`run_once`] every `interval` until the task is dropped; failures are logged and retried
/// at the next round.
pub async fn run_periodically(state: actix_web::web::Data<AppState>, interval: Duration) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match run_once(&state, state.clock.now()).await {
            Ok(report) if report != JobReport::default() => {
                tracing::info!(?report, "periodic work done")
            }
            Ok(_) => {}
            // An unreachable database has been reported once already, by the pool.
            Err(error @ Error::Unavailable(_)) => {
                tracing::debug!(%error, "periodic work waits for the database")
            }
            Err(error) => tracing::warn!(%error, "periodic work failed; retrying next round"),
        }
    }
}
