//! The statistics counters: kept with every ticket change, summed for reports, and recounted
//! from the tickets to prove them.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, sum};
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::{ticket_stats, tickets};
use super::tickets::Ticket;
use super::{DbConnection, DbError};
use crate::domain::region::CodeRange;
use crate::domain::stats::{Counters, Month, TicketFacts, WarningCounts};
use crate::domain::ticket::Status;

/// Spreads one key over this many rows, so concurrent writers rarely wait on the same one.
const SLOTS: i64 = 8;

/// Where a ticket's counts live: its county, filing month and category.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub county_code: String,
    pub month: String,
    pub category: String,
}

impl Ticket {
    pub fn stats_facts(&self) -> TicketFacts {
        TicketFacts {
            status: self.status,
            created_at: self.created_at,
            due_at: self.due_at,
            first_resolved_at: self.first_resolved_at,
            rating: self.rating,
        }
    }

    pub fn stats_key(&self) -> Key {
        Key {
            county_code: self.county_code.clone(),
            month: Month::of(self.created_at).to_string(),
            category: self.category.clone(),
        }
    }
}

fn narrow(value: i64) -> i32 {
    i32::try_from(value).expect("counter changes fit a column")
}

/// One row of counters to add to its key's slot.
#[derive(Debug, Insertable)]
#[diesel(table_name = ticket_stats)]
pub struct CounterRow {
    county_code: String,
    month: String,
    category: String,
    slot: i32,
    filed: i32,
    withdrawn: i32,
    open: i32,
    resolved: i32,
    closed: i32,
    reached_resolved: i32,
    resolved_on_time: i32,
    resolution_minutes: i32,
    rated: i32,
    rating_sum: i32,
}

impl CounterRow {
    /// The counts of `key` in the slot of ticket `ticket_id`.
    pub fn new(key: Key, ticket_id: i64, c: Counters) -> CounterRow {
        CounterRow {
            county_code: key.county_code,
            month: key.month,
            category: key.category,
            slot: narrow(ticket_id.rem_euclid(SLOTS)),
            filed: narrow(c.filed),
            withdrawn: narrow(c.withdrawn),
            open: narrow(c.open),
            resolved: narrow(c.resolved),
            closed: narrow(c.closed),
            reached_resolved: narrow(c.reached_resolved),
            resolved_on_time: narrow(c.resolved_on_time),
            resolution_minutes: narrow(c.resolution_minutes),
            rated: narrow(c.rated),
            rating_sum: narrow(c.rating_sum),
        }
    }
}

/// Adds the counts a change of `ticket` made; nothing when the change moves no count.
pub fn record(conn: &mut DbConnection, ticket: &Ticket, change: Counters) -> Result<(), DbError> {
    if change.is_zero() {
        return Ok(());
    }
    add(
        conn,
        vec![CounterRow::new(ticket.stats_key(), ticket.id, change)],
    )
}

/// `INSERT ... ON CONFLICT DO UPDATE` adding `$values` to their slots' counts.
macro_rules! upsert {
    ($values:expr) => {
        diesel::insert_into(ticket_stats::table)
            .values($values)
            .on_conflict((
                ticket_stats::county_code,
                ticket_stats::month,
                ticket_stats::category,
                ticket_stats::slot,
            ))
            .do_update()
            .set((
                ticket_stats::filed.eq(ticket_stats::filed + excluded(ticket_stats::filed)),
                ticket_stats::withdrawn
                    .eq(ticket_stats::withdrawn + excluded(ticket_stats::withdrawn)),
                ticket_stats::open.eq(ticket_stats::open + excluded(ticket_stats::open)),
                ticket_stats::resolved
                    .eq(ticket_stats::resolved + excluded(ticket_stats::resolved)),
                ticket_stats::closed.eq(ticket_stats::closed + excluded(ticket_stats::closed)),
                ticket_stats::reached_resolved
                    .eq(ticket_stats::reached_resolved + excluded(ticket_stats::reached_resolved)),
                ticket_stats::resolved_on_time
                    .eq(ticket_stats::resolved_on_time + excluded(ticket_stats::resolved_on_time)),
                ticket_stats::resolution_minutes
                    .eq(ticket_stats::resolution_minutes
                        + excluded(ticket_stats::resolution_minutes)),
                ticket_stats::rated.eq(ticket_stats::rated + excluded(ticket_stats::rated)),
                ticket_stats::rating_sum
                    .eq(ticket_stats::rating_sum + excluded(ticket_stats::rating_sum)),
            ))
    };
}

/// Adds counts to their slots, inserting the rows that do not exist yet: one statement on
/// PostgreSQL; row by row in process on SQLite (diesel has no multi-row upsert for it).
pub fn add(conn: &mut DbConnection, rows: Vec<CounterRow>) -> Result<(), DbError> {
    match conn {
        DbConnection::Postgres(pg) => {
            upsert!(rows).execute(pg)?;
        }
        DbConnection::Sqlite(lite) => {
            for row in rows {
                upsert!(row).execute(lite)?;
            }
        }
    }
    Ok(())
}

type Sums = (
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn counters(s: Sums) -> Counters {
    let v = |x: Option<i64>| x.unwrap_or(0);
    Counters {
        filed: v(s.0),
        withdrawn: v(s.1),
        open: v(s.2),
        resolved: v(s.3),
        closed: v(s.4),
        reached_resolved: v(s.5),
        resolved_on_time: v(s.6),
        resolution_minutes: v(s.7),
        rated: v(s.8),
        rating_sum: v(s.9),
    }
}

macro_rules! sums {
    () => {
        (
            sum(ticket_stats::filed),
            sum(ticket_stats::withdrawn),
            sum(ticket_stats::open),
            sum(ticket_stats::resolved),
            sum(ticket_stats::closed),
            sum(ticket_stats::reached_resolved),
            sum(ticket_stats::resolved_on_time),
            sum(ticket_stats::resolution_minutes),
            sum(ticket_stats::rated),
            sum(ticket_stats::rating_sum),
        )
    };
}

/// The period's counts per county inside `range`, optionally for one category.
pub fn sums_by_county(
    conn: &mut DbConnection,
    range: &CodeRange,
    months: (Month, Month),
    category: Option<&str>,
) -> Result<Vec<(String, Counters)>, DbError> {
    let mut query = ticket_stats::table
        .filter(ticket_stats::county_code.between(range.first.clone(), range.last.clone()))
        .filter(ticket_stats::month.between(months.0.to_string(), months.1.to_string()))
        .group_by(ticket_stats::county_code)
        .select((ticket_stats::county_code, sums!()))
        .into_boxed();
    if let Some(category) = category {
        query = query.filter(ticket_stats::category.eq(category.to_owned()));
    }
    let rows: Vec<(String, Sums)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(county, s)| (county, counters(s)))
        .collect())
}

/// The counts per month of the period inside `range`, optionally for one category.
pub fn sums_by_month(
    conn: &mut DbConnection,
    range: &CodeRange,
    months: (Month, Month),
    category: Option<&str>,
) -> Result<Vec<(String, Counters)>, DbError> {
    let mut query = ticket_stats::table
        .filter(ticket_stats::county_code.between(range.first.clone(), range.last.clone()))
        .filter(ticket_stats::month.between(months.0.to_string(), months.1.to_string()))
        .group_by(ticket_stats::month)
        .select((ticket_stats::month, sums!()))
        .into_boxed();
    if let Some(category) = category {
        query = query.filter(ticket_stats::category.eq(category.to_owned()));
    }
    let rows: Vec<(String, Sums)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(month, s)| (month, counters(s)))
        .collect())
}

/// Open tickets by colour per county inside `range`, as of `now` (not bound to a period).
pub fn warnings_by_county(
    conn: &mut DbConnection,
    range: &CodeRange,
    category: Option<&str>,
    now: NaiveDateTime,
) -> Result<BTreeMap<String, WarningCounts>, DbError> {
    let open = [Status::Submitted, Status::Assigned, Status::InProgress].map(Status::as_str);
    let mut counts: BTreeMap<String, WarningCounts> = BTreeMap::new();
    for colour in 0..3 {
        let mut query = tickets::table
            .filter(tickets::county_code.between(range.first.clone(), range.last.clone()))
            .filter(tickets::status.eq_any(open))
            .group_by(tickets::county_code)
            .select((tickets::county_code, count_star()))
            .into_boxed();
        query = match colour {
            0 => query
                .filter(tickets::yellow_at.le(now))
                .filter(tickets::orange_at.gt(now)),
            1 => query
                .filter(tickets::orange_at.le(now))
                .filter(tickets::red_at.gt(now)),
            _ => query.filter(tickets::red_at.le(now)),
        };
        if let Some(category) = category {
            query = query.filter(tickets::category.eq(category.to_owned()));
        }
        for (county, n) in query.load::<(String, i64)>(conn)? {
            let entry = counts.entry(county).or_default();
            match colour {
                0 => entry.yellow = n,
                1 => entry.orange = n,
                _ => entry.red = n,
            }
        }
    }
    Ok(counts)
}

/// Every stored key with its counts (slots summed).
pub fn stored(conn: &mut DbConnection) -> Result<BTreeMap<Key, Counters>, DbError> {
    let rows: Vec<(String, String, String, Sums)> = ticket_stats::table
        .group_by((
            ticket_stats::county_code,
            ticket_stats::month,
            ticket_stats::category,
        ))
        .select((
            ticket_stats::county_code,
            ticket_stats::month,
            ticket_stats::category,
            sums!(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(county_code, month, category, s)| {
            (
                Key {
                    county_code,
                    month,
                    category,
                },
                counters(s),
            )
        })
        .filter(|(_, c)| !c.is_zero())
        .collect())
}

/// The same, recounted from the tickets themselves, a batch at a time.
pub fn recount(conn: &mut DbConnection) -> Result<BTreeMap<Key, Counters>, DbError> {
    let mut totals: BTreeMap<Key, Counters> = BTreeMap::new();
    let mut after = 0i64;
    loop {
        let batch: Vec<Ticket> = tickets::table
            .filter(tickets::id.gt(after))
            .order(tickets::id)
            .limit(10_000)
            .select(Ticket::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for ticket in &batch {
            let entry = totals.entry(ticket.stats_key()).or_default();
            *entry = *entry + Counters::of(&ticket.stats_facts());
        }
    }
    Ok(totals)
}
