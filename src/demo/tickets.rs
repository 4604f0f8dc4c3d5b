//! Demo tickets: spread over the past year (its holidays too), in every state of the
//! lifecycle, with realistic categories, some returned, escalated, delegated, assisted, paused,
//! extended, supervised, overdue (each one's life: [`ticket_life`](super::ticket_life)).
//! Each is written with its events, assisting cadres, supervision orders and its share of the
//! statistics counters, exactly as the service would have written them, so `verify-stats` holds
//! on a demo database too. Written in batches of multi-row inserts.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rng::Rng;
use super::ticket_life::{
    Cadres, Cast, EXTENSION_REASON, Generated, INSTRUCTION, RESPONSE, TASK_NOTE, generate,
};
use crate::db::categories;
use crate::db::collaborators::Collaborator;
use crate::db::counters::{self, CounterRow, WarningRow};
use crate::db::extensions::Extension;
use crate::db::schema::{
    department_categories, enterprise_cadres, enterprises, ticket_collaborators, ticket_comments,
    ticket_events, ticket_extensions, ticket_supervisions, tickets, users,
};
use crate::db::{DbConnection, DbError};
use crate::domain::ids::{DepartmentId, EnterpriseId, TicketId, UserId};
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::role::Role;
use crate::domain::rollup::{CountedFacts, Counters, Month, WarningCounts};
use crate::domain::ticket::{ExtensionStatus, Status, SupervisionStatus, TaskStatus};
use crate::domain::time::Tz;
use crate::domain::working_time::WorkingTime;

/// Rows per multi-row insert: well under SQLite's and PostgreSQL's bind-parameter limits.
const BATCH: usize = 1_000;

/// Who can be assigned where, among the active enterprises inside `range`, and who dispatches
/// and supervises.
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
    let mut handled: HashMap<DepartmentId, Vec<String>> = HashMap::new();
    let categories: Vec<(DepartmentId, String)> = department_categories::table
        .select((
            department_categories::department_id,
            department_categories::category,
        ))
        .load(conn)?;
    for (department, category) in categories {
        handled.entry(department).or_default().push(category);
    }
    let mut cadres_by_region: BTreeMap<RegionCode, Cadres> = BTreeMap::new();
    let cadres: Vec<(UserId, Option<RegionCode>, Option<DepartmentId>)> = users::table
        .filter(users::role.eq(Role::Cadre))
        .filter(users::active.eq(true))
        .order(users::id)
        .select((users::id, users::region_code, users::department_id))
        .load(conn)?;
    for (id, region, department) in cadres {
        let Some(region) = region else { continue };
        let cadres = cadres_by_region.entry(region).or_default();
        cadres.all.push(id);
        for category in department
            .and_then(|d| handled.get(&d))
            .into_iter()
            .flatten()
        {
            cadres
                .handling
                .entry(category.clone())
                .or_default()
                .push(id);
        }
    }
    let mut supervisors = BTreeMap::new();
    let found: Vec<(UserId, Option<RegionCode>)> = users::table
        .filter(users::role.eq(Role::Supervisor))
        .filter(users::active.eq(true))
        .order(users::id)
        .select((users::id, users::region_code))
        .load(conn)?;
    for (id, region) in found {
        if let Some(region) = region {
            supervisors.entry(region).or_insert(id);
        }
    }
    let staff = users::table
        .filter(users::role.eq(Role::Enterprise))
        .filter(users::active.eq(true))
        .filter(users::enterprise_id.is_not_null())
        .select((users::enterprise_id.assume_not_null(), users::id))
        .load::<(EnterpriseId, UserId)>(conn)?
        .into_iter()
        .collect();
    Ok(Cast {
        enterprises,
        staff,
        cadres_by_region,
        supervisors,
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
            feedback_breaches: r.feedback_breaches,
            original_due_at: r.original_due_at,
            supervision_count: r.supervision_count,
            return_count: r.return_count,
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
    let mut ids = Ids {
        comment: ticket_comments::table
            .select(diesel::dsl::max(ticket_comments::id))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0),
        extension: ticket_extensions::table
            .select(diesel::dsl::max(ticket_extensions::id))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0),
        supervision: ticket_supervisions::table
            .select(diesel::dsl::max(ticket_supervisions::id))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0),
    };
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
        insert(conn, batch, &mut ids)?;
    }
    // Bring PostgreSQL's id sequences past the ids given here (SQLite follows by itself).
    if let DbConnection::Postgres(pg) = conn {
        for table in [
            "tickets",
            "ticket_comments",
            "ticket_extensions",
            "ticket_supervisions",
        ] {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 GREATEST((SELECT MAX(id) FROM {table}), 1))"
            ))
            .execute(pg)?;
        }
    }
    tally.write(conn)?;
    Ok(count)
}

/// The last comment, extension and supervision order ids given, which the next ones follow.
struct Ids {
    comment: i64,
    extension: i64,
    supervision: i64,
}

/// Inserts generated tickets with their events, comments, requests for more time, assisting
/// cadres and supervision orders.
fn insert(conn: &mut DbConnection, batch: Vec<Generated>, ids: &mut Ids) -> Result<(), DbError> {
    let mut rows = Vec::with_capacity(batch.len());
    let mut events = Vec::new();
    let mut comments = Vec::new();
    let mut extensions = Vec::new();
    let mut collaborators = Vec::new();
    let mut supervisions = Vec::new();
    for g in batch {
        let ticket = g.row.id;
        let (first_comment, first_extension) = (ids.comment + 1, ids.extension + 1);
        let first_supervision = ids.supervision + 1;
        for helped in g.collaborators {
            collaborators.push(Collaborator {
                ticket_id: ticket,
                user_id: helped.user_id,
                county_code: g.row.county_code.clone(),
                task: helped.task.to_owned(),
                status: match helped.completed_at {
                    None => TaskStatus::Open,
                    Some(_) => TaskStatus::Completed,
                },
                added_by: helped.added_by,
                added_at: helped.added_at,
                completed_at: helped.completed_at,
                note: helped.completed_at.map(|_| TASK_NOTE.to_owned()),
            });
        }
        for pressed in g.supervisions {
            ids.supervision += 1;
            let answer = pressed.answer;
            supervisions.push((
                ticket_supervisions::id.eq(ids.supervision),
                ticket_supervisions::ticket_id.eq(ticket),
                ticket_supervisions::county_code.eq(g.row.county_code.clone()),
                ticket_supervisions::issued_by.eq(pressed.issued_by),
                ticket_supervisions::instruction.eq(INSTRUCTION),
                ticket_supervisions::issued_at.eq(pressed.issued_at),
                ticket_supervisions::respond_by.eq(pressed.respond_by),
                ticket_supervisions::status.eq(match answer {
                    None => SupervisionStatus::Open,
                    Some(_) => SupervisionStatus::Answered,
                }),
                ticket_supervisions::response.eq(answer.map(|_| RESPONSE)),
                ticket_supervisions::responded_by.eq(answer.map(|(by, _)| by)),
                ticket_supervisions::responded_at.eq(answer.map(|(_, at)| at)),
            ));
        }
        for said in &g.comments {
            ids.comment += 1;
            comments.push((
                ticket_comments::id.eq(ids.comment),
                ticket_comments::ticket_id.eq(ticket),
                ticket_comments::author_id.eq(said.author),
                ticket_comments::body.eq(said.body),
                ticket_comments::internal.eq(false),
                ticket_comments::created_at.eq(said.at),
            ));
        }
        for asked in g.extensions {
            ids.extension += 1;
            let decision = asked.decision;
            extensions.push(Extension {
                id: ids.extension,
                ticket_id: ticket,
                county_code: g.row.county_code.clone(),
                working_days: asked.working_days,
                reason: EXTENSION_REASON.to_owned(),
                status: match decision {
                    None => ExtensionStatus::Pending,
                    Some((true, ..)) => ExtensionStatus::Approved,
                    Some((false, ..)) => ExtensionStatus::Rejected,
                },
                requested_by: asked.requested_by,
                requested_at: asked.requested_at,
                decided_by: decision.map(|(_, by, _)| by),
                decided_at: decision.map(|(.., at)| at),
                decision_comment: None,
            });
        }
        for step in g.events {
            let mut details = step.details;
            if let Some(i) = step.comment {
                details["comment_id"] = (first_comment + i as i64).into();
            }
            if let Some(i) = step.extension {
                details["extension_id"] = (first_extension + i as i64).into();
            }
            if let Some(i) = step.supervision {
                details["supervision_id"] = (first_supervision + i as i64).into();
            }
            events.push((
                ticket_events::ticket_id.eq(ticket),
                ticket_events::actor_id.eq(step.actor),
                ticket_events::action.eq(step.action.as_str()),
                ticket_events::from_status.eq(step.from.map(Status::as_str)),
                ticket_events::to_status.eq(step.to.map(Status::as_str)),
                ticket_events::details.eq(details.to_string()),
                ticket_events::internal.eq(step.internal),
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
    for chunk in comments.chunks(BATCH) {
        let insert = diesel::insert_into(ticket_comments::table).values(chunk);
        crate::on_backend!(conn, |c| insert.execute(c))?;
    }
    for chunk in extensions.chunks(BATCH) {
        let insert = diesel::insert_into(ticket_extensions::table).values(chunk);
        crate::on_backend!(conn, |c| insert.execute(c))?;
    }
    for chunk in collaborators.chunks(BATCH) {
        let insert = diesel::insert_into(ticket_collaborators::table).values(chunk);
        crate::on_backend!(conn, |c| insert.execute(c))?;
    }
    for chunk in supervisions.chunks(BATCH) {
        let insert = diesel::insert_into(ticket_supervisions::table).values(chunk);
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
