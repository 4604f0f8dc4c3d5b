//! Demo tickets: spread over the past year, in every state of the lifecycle, with realistic
//! categories, some escalated, some overdue (each one's life: [`ticket_life`](super::ticket_life)).
//! Each is written with its events and its share of the statistics counters, exactly as the
//! service would have written them, so `verify-stats` holds on a demo database too. Written in
//! batches of multi-row inserts.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rng::Rng;
use super::ticket_life::{Cast, Generated, generate};
use crate::db::categories;
use crate::db::counters::{self, CounterRow, WarningRow};
use crate::db::schema::{enterprise_cadres, enterprises, ticket_events, tickets, users};
use crate::db::{DbConnection, DbError};
use crate::domain::ids::{TicketId, UserId};
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::role::Role;
use crate::domain::rollup::{CountedFacts, Counters, Month, WarningCounts};
use crate::domain::ticket::Status;
use crate::domain::time::Tz;
use crate::domain::working_time::WorkingTime;

/// Rows per multi-row insert: well under SQLite's and PostgreSQL's bind-parameter limits.
const BATCH: usize = 1_000;

/// Who can be assigned where, among the active enterprises inside `range`.
fn cast(conn: &mut DbConnection, range: &CodeRange) -> Result<Cast, DbError> {
    let primary = enterprise_cadres::table.on(enterprise_cadres::enterprise_id
        .eq(enterprises::id)
        .and(enterprise_cadres::is_primary.eq(true)));
    let enterprises = enterprises::table
        .left_join(primary)
        .filter(enterprises::county_code.between(range.first.clone(), range.last.clone()))
        .filter(enterprises::active.eq(true))
        .order(enterprises::id)
        .select((
            enterprises::id,
            enterprises::county_code,
            enterprise_cadres::user_id.nullable(),
        ))
        .load(conn)?;
    let mut cadres_by_region: BTreeMap<RegionCode, Vec<UserId>> = BTreeMap::new();
    let cadres: Vec<(UserId, Option<RegionCode>)> = users::table
        .filter(users::role.eq(Role::Cadre))
        .filter(users::active.eq(true))
        .select((users::id, users::region_code))
        .load(conn)?;
    for (id, region) in cadres {
        if let Some(region) = region {
            cadres_by_region.entry(region).or_default().push(id);
        }
    }
    Ok(Cast {
        enterprises,
        cadres_by_region,
    })
}

/// What the written tickets add to the counters, summed before they are written.
#[derive(Default)]
struct Tally {
    counters: BTreeMap<counters::Key, Counters>,
    colours: BTreeMap<(String, String), WarningCounts>,
}

impl Tally {
    fn add(&mut self, g: &Generated, tz: Tz) {
        let r = &g.row;
        let facts = CountedFacts {
            status: r.status,
            created_at: r.created_at,
            due_at: r.due_at,
            first_resolved_at: r.first_resolved_at,
            rating: r.rating,
            response_due_at: r.response_due_at,
            first_response_at: r.first_response_at,
            feedback_breaches: 0,
            original_due_at: r.original_due_at,
        };
        let counts = Counters::of(&facts);
        let month = Month::of(r.created_at, tz);
        for key in counters::Key::all_of(&r.county_code, &r.category, month) {
            let entry = self.counters.entry(key).or_default();
            *entry = *entry + counts;
        }
        let colour = r.counted_warning;
        for category in [r.category.as_str(), counters::ALL_CATEGORIES] {
            let entry = self
                .colours
                .entry((category.to_owned(), r.county_code.to_string()))
                .or_default();
            *entry = *entry + WarningCounts::of(colour);
        }
    }

    fn write(self, conn: &mut DbConnection) -> Result<(), DbError> {
        let rows = self
            .counters
            .into_iter()
            .map(|(key, c)| CounterRow::new(key, 0, c));
        in_batches(rows, |batch| counters::add(conn, batch))?;
        let rows = self
            .colours
            .into_iter()
            .filter(|(_, w)| !w.is_zero())
            .map(|((category, county), w)| WarningRow::new(&category, &county, w));
        in_batches(rows, |batch| counters::add_warnings(conn, batch))
    }
}

/// Writes `count` tickets for the enterprises inside `region`; none when it already has some
/// (so running the demo again changes nothing). Returns how many were written.
pub fn fill(
    conn: &mut DbConnection,
    region: &RegionCode,
    count: usize,
    filer: UserId,
    seed: u64,
    now: NaiveDateTime,
    reckoner: &WorkingTime,
) -> Result<usize, DbError> {
    let tz = reckoner.tz();
    let range = region.subtree();
    let existing: i64 = tickets::table
        .filter(tickets::county_code.between(range.first.clone(), range.last.clone()))
        .count()
        .get_result(conn)?;
    let cast = cast(conn, &range)?;
    if existing > 0 || count == 0 || cast.enterprises.is_empty() {
        return Ok(0);
    }
    let categories = categories::list(conn)?;
    let first_id = tickets::table
        .select(diesel::dsl::max(tickets::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut rng = Rng::new(seed ^ 0x7469_636b_6574);
    let mut tally = Tally::default();
    for start in (0..count).step_by(BATCH) {
        let batch: Vec<Generated> = (start..count.min(start + BATCH))
            .map(|i| {
                let id = first_id + i as i64;
                generate(
                    &mut rng,
                    TicketId(id),
                    &cast,
                    &categories,
                    filer,
                    now,
                    reckoner,
                )
            })
            .collect();
        batch.iter().for_each(|g| tally.add(g, tz));
        insert(conn, batch)?;
    }
    // Bring PostgreSQL's id sequence past the ids given here (SQLite follows by itself).
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query(
            "SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT MAX(id) FROM tickets))",
        )
        .execute(pg)?;
    }
    tally.write(conn)?;
    Ok(count)
}

/// Inserts generated tickets and their events.
fn insert(conn: &mut DbConnection, batch: Vec<Generated>) -> Result<(), DbError> {
    let mut rows = Vec::with_capacity(batch.len());
    let mut events = Vec::new();
    for g in batch {
        for step in &g.events {
            events.push((
                ticket_events::ticket_id.eq(g.row.id),
                ticket_events::actor_id.eq(step.actor),
                ticket_events::action.eq(step.action.as_str()),
                ticket_events::from_status.eq(step.from.map(Status::as_str)),
                ticket_events::to_status.eq(Some(step.to.as_str())),
                ticket_events::details.eq("{}"),
                ticket_events::internal.eq(false),
                ticket_events::created_at.eq(step.at),
            ));
        }
        rows.push(g.row);
    }
    let insert = diesel::insert_into(tickets::table).values(&rows);
    crate::on_backend!(conn, |c| insert.execute(c))?;
    for chunk in events.chunks(BATCH) {
        let insert = diesel::insert_into(ticket_events::table).values(chunk);
        crate::on_backend!(conn, |c| insert.execute(c))?;
    }
    Ok(())
}

/// Hands `rows` to `write` [`BATCH`] at a time.
fn in_batches<T>(
    rows: impl Iterator<Item = T>,
    mut write: impl FnMut(Vec<T>) -> Result<(), DbError>,
) -> Result<(), DbError> {
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        write(rows.by_ref().take(BATCH).collect())?;
    }
    Ok(())
}
