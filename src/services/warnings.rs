//! The counts behind the warning snapshot follow the tickets' colours: every move counts its
//! ticket under its colour as of the move, and this periodic step moves on the counts of
//! tickets whose next colour has started since. Reports add the few it has not reached yet
//! (`db::counters::warnings_by_county`), so they are exact at any moment.

use chrono::NaiveDateTime;

use crate::db::{DbConnection, counters, tickets, write_transaction};
use crate::domain::rollup::WarningCounts;
use crate::domain::sla;
use crate::error::Error;

/// Tickets looked at per batch, and batches per round: a round stays short however far behind
/// it is; the next round goes on.
const BATCH: i64 = 500;
const BATCHES_PER_ROUND: usize = 20;

/// Moves on the warning counts of the tickets whose colour changed by `now`, each ticket in
/// its own short transaction; returns how many moved. Safe with many instances and with moves
/// in flight: a ticket changed since it was read is left as whoever changed it counted it.
pub fn advance(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, Error> {
    let mut advanced = 0;
    for _ in 0..BATCHES_PER_ROUND {
        let expired = tickets::counts_expired(conn, now, BATCH)?;
        for &id in &expired {
            advanced += write_transaction(conn, |c| -> Result<usize, Error> {
                let ticket = tickets::find(c, id)?;
                if ticket.counted_until.is_none_or(|until| until > now) {
                    return Ok(0);
                }
                let counted = sla::counted(ticket.status.clocks_run(), now, &ticket.deadlines());
                if !tickets::recount_warning(c, &ticket, counted)? {
                    return Ok(0);
                }
                let change = WarningCounts::change(ticket.counted_warning, counted.warning);
                counters::record_warning(c, &ticket.category, &ticket.county_code, change)?;
                Ok(1)
            })?;
        }
        if (expired.len() as i64) < BATCH {
            break;
        }
    }
    Ok(advanced)
}
