//! Statistics months follow programme time (`TIMEZONE`). The zone the stored months were cut in
//! is kept in `service_state`; when it is not the configured one (UTC, in a database from
//! before programme time; or a changed setting), migrating works every ticket's month out again
//! and rebuilds the period counters from the tickets, once, in one transaction.

use std::collections::BTreeMap;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::counters::{self, CounterRow};
use super::schema::{service_state, ticket_stats, tickets};
use super::{DbConnection, DbError, ROWS_PER_STATEMENT, write_transaction};
use crate::domain::ids::TicketId;
use crate::domain::rollup::Month;
use crate::domain::time::Tz;

/// The `service_state` row naming the zone the counters' months are cut in.
const STATS_TIMEZONE: &str = "stats_timezone";

/// The `service_state` row naming the set of counts the counters hold, and this version's
/// set: a database counted by another set (or none recorded: before the programme's figures
/// of SPEC section 9) has its counters rebuilt from the tickets, as for a change of zone.
const STATS_COUNTERS: &str = "stats_counters";
const COUNTERS_NOW: &str = "3: accepted, feedback breaches, extensions, supervised, returned";

/// Whether migrating may rebuild the counters of a database that has tickets: `serve` and
/// `migrate` may; the other commands (which also migrate what they open) refuse a `TIMEZONE`
/// that differs from the database's instead, so a mistyped setting on a one-off command does
/// not re-key a database the running instances count in another zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rekeying {
    Allowed,
    Refused,
}

/// What a re-keying changed.
#[derive(Debug, PartialEq, Eq)]
pub struct Rekeyed {
    /// The zone the months were cut in before.
    pub from: String,
    /// Tickets whose month changed.
    pub tickets_moved: usize,
    /// Counter keys written afresh.
    pub keys: usize,
}

/// A `service_state` value, if it was ever written.
fn state(conn: &mut DbConnection, name: &str) -> Result<Option<String>, DbError> {
    Ok(service_state::table
        .find(name)
        .select(service_state::value)
        .first(conn)
        .optional()?)
}

/// The zone the counters' months are cut in (the migration records UTC, as they were before),
/// and whether the counters hold this version's set of counts.
fn keyed_in(conn: &mut DbConnection) -> Result<(String, bool), DbError> {
    let zone = state(conn, STATS_TIMEZONE)?.unwrap_or_else(|| "UTC".to_owned());
    let current = state(conn, STATS_COUNTERS)?.as_deref() == Some(COUNTERS_NOW);
    Ok((zone, current))
}

fn record(c: &mut DbConnection, name: &str, value: &str) -> Result<(), DbError> {
    diesel::delete(service_state::table.find(name)).execute(c)?;
    diesel::insert_into(service_state::table)
        .values((service_state::name.eq(name), service_state::value.eq(value)))
        .execute(c)?;
    Ok(())
}

/// Makes the counters' months those of `tz`; nothing (`None`) when they are already. Writers
/// wait meanwhile (PostgreSQL: the tables are locked against writes, reads go on), so no change
/// is counted under a month of the old zone after the rebuild; an instance migrating at the
/// same time waits and then finds the work done.
pub fn key_in_programme_time(
    conn: &mut DbConnection,
    tz: Tz,
    rekeying: Rekeying,
) -> Result<Option<Rekeyed>, DbError> {
    let (from, current) = keyed_in(conn)?;
    if from == tz.name() && current {
        return Ok(None);
    }
    let has_tickets = tickets::table
        .select(tickets::id)
        .first::<i64>(conn)
        .optional()?
        .is_some();
    // A new set of counts is rebuilt by whichever command migrates first; a new zone only
    // where re-keying is allowed.
    if rekeying == Rekeying::Refused && has_tickets && from != tz.name() {
        return Err(DbError::Migration(format!(
            "the statistics are counted in months of {from}, but TIMEZONE is {to}: set \
             TIMEZONE={from}, or stop every instance and run `enterprise-assist migrate` with \
             TIMEZONE={to} to re-key them",
            to = tz.name()
        )));
    }
    write_transaction(conn, |c| {
        if let DbConnection::Postgres(pg) = c {
            pg.batch_execute("LOCK TABLE tickets, ticket_stats, service_state IN EXCLUSIVE MODE")?;
        }
        let (from, current) = keyed_in(c)?;
        if from == tz.name() && current {
            return Ok(None);
        }
        let (tickets_moved, keys) = rekey(c, tz)?;
        record(c, STATS_TIMEZONE, tz.name())?;
        record(c, STATS_COUNTERS, COUNTERS_NOW)?;
        Ok(Some(Rekeyed {
            from,
            tickets_moved,
            keys,
        }))
    })
}

/// Gives every ticket its month of `tz` and rebuilds the period counters from the tickets:
/// returns how many tickets changed month and how many keys were written.
fn rekey(c: &mut DbConnection, tz: Tz) -> Result<(usize, usize), DbError> {
    let mut moved: BTreeMap<Month, Vec<TicketId>> = BTreeMap::new();
    let mut sums = BTreeMap::new();
    counters::each_ticket(c, |ticket| {
        let month = Month::of(ticket.created_at, tz);
        if month != ticket.filed_month {
            moved.entry(month).or_default().push(ticket.id);
        }
        counters::add_counts(&mut sums, ticket, month);
    })?;
    let mut tickets_moved = 0;
    for (month, ids) in moved {
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            tickets_moved += diesel::update(tickets::table.filter(tickets::id.eq_any(chunk)))
                .set(tickets::filed_month.eq(month.to_string()))
                .execute(c)?;
        }
    }
    diesel::delete(ticket_stats::table).execute(c)?;
    let rows: Vec<CounterRow> = sums
        .into_iter()
        .filter(|(_, counts)| !counts.is_zero())
        .map(|(key, counts)| CounterRow::new(key, 0, counts))
        .collect();
    let keys = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        counters::add(c, rows.by_ref().take(ROWS_PER_STATEMENT).collect())?;
    }
    Ok((tickets_moved, keys))
}
