//! Recording missed clocks (SPEC section 9): an `sla_breached` event per clock that ran out,
//! written with the ticket's clock columns in one transaction. Whoever writes first records
//! it: the periodic job for clocks that ran out unattended, a move or a comment for clocks that
//! ran out before it. Every such write is made against the `next_breach_at` it read, so of two
//! writers (two instances, or the job and a move) only one records a breach.

use chrono::NaiveDateTime;

use crate::db::ticket_activity::{self, NewEvent};
use crate::db::tickets::{self, Ticket, TicketChanges};
use crate::db::{DbConnection, counters, write_transaction};
use crate::domain::breach::Breach;
use crate::domain::ids::TicketId;
use crate::domain::rollup::Counters;
use crate::domain::ticket::Action;
use crate::error::Error;
use crate::services::ticket_moves::{Moment, retrying};

/// The `sla_breached` events of `missed`, written by the service at `now`.
pub fn write_events(
    c: &mut DbConnection,
    ticket_id: TicketId,
    missed: &[Breach],
    now: NaiveDateTime,
) -> Result<(), Error> {
    for breach in missed {
        ticket_activity::insert_event(
            c,
            NewEvent {
                ticket_id,
                actor_id: None,
                action: Action::SlaBreached.as_str(),
                from_status: None,
                to_status: None,
                details: serde_json::json!({
                    "clock": breach.clock.as_str(),
                    "due_at": crate::domain::time::rfc3339(&breach.due_at),
                }),
                internal: false,
                now,
            },
        )?;
    }
    Ok(())
}

/// Keeps the statistics (the feedback periods missed) with a change of the clocks alone.
fn count(c: &mut DbConnection, before: &Ticket, after: &Ticket) -> Result<(), Error> {
    let change = Counters::change(Some(&before.counted_facts()), &after.counted_facts());
    Ok(counters::record(c, after.id, after.counter_keys(), change)?)
}

/// Tickets at most this many per round; the rest wait for the next one.
const PER_ROUND: i64 = 500;

/// Records the clocks that ran out by `at.now` on tickets nobody touched since; answers how
/// many breaches were recorded.
pub fn record_due(conn: &mut DbConnection, at: Moment) -> Result<usize, Error> {
    let mut recorded = 0;
    for id in tickets::breaches_due(conn, at.now, PER_ROUND)? {
        recorded += write_transaction(conn, |c| {
            let ticket = tickets::find(c, id)?;
            let mut clocks = ticket.clock_state();
            let missed = clocks.settle(at.now, |from| at.reckon.due(from, ticket.feedback_sla));
            // Lost to a move or another instance: it recorded them.
            let Some(after) = tickets::record_clocks(c, &ticket, &clocks)? else {
                return Ok::<_, Error>(0);
            };
            count(c, &ticket, &after)?;
            write_events(c, id, &missed, at.now)?;
            Ok(missed.len())
        })?;
    }
    Ok(recorded)
}

/// A public comment by the assignee of ticket `id` at `at.now` pays the feedback owed and
/// starts the next one (and records one missed before it). Inside the comment's transaction.
pub fn pay_feedback(c: &mut DbConnection, id: TicketId, at: Moment) -> Result<(), Error> {
    // The job or a move may change the ticket between the read and the write: read again then.
    retrying(c, |c| {
        let ticket = tickets::find(c, id)?;
        let next_feedback = |from| at.reckon.due(from, ticket.feedback_sla);
        let mut clocks = ticket.clock_state();
        let missed = clocks.settle(at.now, next_feedback);
        if !clocks.pay_feedback(at.now, next_feedback) && missed.is_empty() {
            return Ok(Some(()));
        }
        let changes = TicketChanges {
            updated_at: Some(at.now),
            ..TicketChanges::default()
        }
        .clocks(&clocks);
        let Some(after) = tickets::update_as_read(c, &ticket, &changes)? else {
            return Ok(None);
        };
        count(c, &ticket, &after)?;
        write_events(c, id, &missed, at.now)?;
        Ok(Some(()))
    })
}
