//! The workload report's reads (SPEC section 10): the cadres of a region's subtree with their
//! departments, and their counts in one grouped query per group of figures (the snapshot, the
//! resolutions of a period, the assisting tasks), whatever the number of cadres. And the same
//! counts recounted ticket by ticket in Rust, to prove the queries (`verify-stats`).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::dsl::{case_when, count_star, sql, sum};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable};

use super::departments::Department;
use super::schema::{departments, ticket_collaborators, tickets, users};
use super::users::KIND_PERSON;
use super::{DbConnection, DbError};
use crate::domain::ids::{DepartmentId, TicketId, UserId};
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::role::Role;
use crate::domain::rollup::Month;
use crate::domain::sla::{self, Deadlines};
use crate::domain::ticket::{Status, TaskStatus};
use crate::domain::time::Tz;
use crate::domain::workload::{AssignedFacts, WorkloadCounts};

/// A cadre of a region's subtree, with their department.
#[derive(Debug, Clone, Queryable)]
pub struct Cadre {
    pub id: UserId,
    pub display_name: Option<String>,
    pub active: bool,
    pub region_code: RegionCode,
    pub department_id: Option<DepartmentId>,
    /// Their roster department's name.
    pub department_name: Option<String>,
    /// The free-text department, a display name.
    pub department_text: Option<String>,
}

type CadreIn = diesel::dsl::And<
    diesel::dsl::And<
        diesel::dsl::Eq<users::role, Role>,
        diesel::dsl::Eq<users::kind, &'static str>,
    >,
    diesel::dsl::Between<users::region_code, String, String>,
>;

/// Whether a user is a cadre whose region lies in `range`. The figures' queries take the ids of
/// those cadres as a subquery, without a list of ids to bind.
fn cadre_in(range: &CodeRange) -> CadreIn {
    users::role
        .eq(Role::Cadre)
        .and(users::kind.eq(KIND_PERSON))
        .and(users::region_code.between(range.first.clone(), range.last.clone()))
}

/// Every cadre (active or not) whose region lies in `range`, in id order.
pub fn cadres(conn: &mut DbConnection, range: &CodeRange) -> Result<Vec<Cadre>, DbError> {
    Ok(users::table
        .left_join(departments::table)
        .filter(cadre_in(range))
        .order(users::id)
        .select((
            users::id,
            users::display_name,
            users::active,
            users::region_code.assume_not_null(),
            users::department_id,
            departments::name.nullable(),
            users::department,
        ))
        .load(conn)?)
}

/// Every department of the regions in `range`, and any other one a cadre of `range` belongs
/// to (a cadre who moved keeps theirs until changed), by region, then in the order they were
/// made (names sort differently on the two backends).
pub fn departments(conn: &mut DbConnection, range: &CodeRange) -> Result<Vec<Department>, DbError> {
    let of_cadres = users::table
        .filter(cadre_in(range))
        .select(users::department_id);
    Ok(departments::table
        .filter(
            departments::region_code
                .between(range.first.clone(), range.last.clone())
                .or(departments::id.nullable().eq_any(of_cadres)),
        )
        .order((departments::region_code, departments::id))
        .select(Department::as_select())
        .load(conn)?)
}

const OPEN: [Status; 4] = [
    Status::Submitted,
    Status::Assigned,
    Status::InProgress,
    Status::AwaitingEnterprise,
];

/// The open statuses whose clocks run, which have colours (`sla::warning`).
const CLOCKS_RUN: [Status; 3] = [Status::Submitted, Status::Assigned, Status::InProgress];

/// The sum of whole minutes from filing to the first resolution, each ticket's minutes cut as
/// `chrono` cuts them (`num_minutes`: whole seconds, then whole minutes), so the figure equals
/// the statistics' and the recount's. Neither backend subtracts timestamps as the other does:
/// PostgreSQL keeps microseconds; SQLite stores text, whose date functions read only
/// milliseconds, so its whole seconds come from the date functions and the fraction (up to
/// nanoseconds) is compared as text read as a number.
fn resolution_minutes_sql(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Postgres(_) => {
            "CAST(SUM(FLOOR(EXTRACT(EPOCH FROM (tickets.first_resolved_at - tickets.created_at)) / 60)) AS BIGINT)"
        }
        DbConnection::Sqlite(_) => {
            "SUM((CAST(strftime('%s', substr(tickets.first_resolved_at, 1, 19)) AS INTEGER) \
             - CAST(strftime('%s', substr(tickets.created_at, 1, 19)) AS INTEGER) \
             - (CAST('0' || substr(tickets.first_resolved_at, 20) AS REAL) \
                < CAST('0' || substr(tickets.created_at, 20) AS REAL))) / 60)"
        }
    }
}

/// How many rows of a group meet `$condition`.
macro_rules! count_where {
    ($condition:expr) => {
        sum(case_when::<_, _, Integer>($condition, 1).otherwise(0))
    };
}

/// A sum the database answers (null over no rows).
type Summed = Option<i64>;

/// The counts of the cadres of `range` who have any: their open tickets and colours as of
/// `now`, the resolutions of the tickets filed in the months `months` (programme time, as the
/// tickets keep them) that are assigned to them, and their open assisting tasks.
pub fn counts(
    conn: &mut DbConnection,
    range: &CodeRange,
    months: (Month, Month),
    now: NaiveDateTime,
) -> Result<BTreeMap<UserId, WorkloadCounts>, DbError> {
    let mut counts: BTreeMap<UserId, WorkloadCounts> = BTreeMap::new();
    let groups = [
        snapshot(conn, range, now)?,
        resolutions(conn, range, months)?,
        assisting(conn, range)?,
    ];
    for (user, more) in groups.into_iter().flatten() {
        let entry = counts.entry(user).or_default();
        *entry = *entry + more;
    }
    Ok(counts)
}

/// The open tickets of each cadre of `range`, and of those the ones orange and red at `now`.
fn snapshot(
    conn: &mut DbConnection,
    range: &CodeRange,
    now: NaiveDateTime,
) -> Result<Vec<(UserId, WorkloadCounts)>, DbError> {
    let assigned = tickets::assignee_id.assume_not_null();
    let coloured = tickets::status.eq_any(CLOCKS_RUN);
    let rows: Vec<(UserId, i64, Summed, Summed)> = tickets::table
        .filter(assigned.eq_any(users::table.filter(cadre_in(range)).select(users::id)))
        .filter(tickets::status.eq_any(OPEN))
        .group_by(tickets::assignee_id)
        .select((
            assigned,
            count_star(),
            count_where!(
                coloured
                    .clone()
                    .and(tickets::orange_at.le(now))
                    .and(tickets::red_at.gt(now))
            ),
            count_where!(coloured.and(tickets::red_at.le(now))),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user, open, orange, red)| {
            let counts = WorkloadCounts {
                open,
                orange: orange.unwrap_or(0),
                red: red.unwrap_or(0),
                ..WorkloadCounts::default()
            };
            (user, counts)
        })
        .collect())
}

/// The resolutions of the tickets filed in `months` assigned to each cadre of `range`.
fn resolutions(
    conn: &mut DbConnection,
    range: &CodeRange,
    months: (Month, Month),
) -> Result<Vec<(UserId, WorkloadCounts)>, DbError> {
    let assigned = tickets::assignee_id.assume_not_null();
    let rated = tickets::status
        .eq(Status::Closed)
        .and(tickets::rating.is_not_null());
    let minutes = sql::<Nullable<BigInt>>(resolution_minutes_sql(conn));
    let rows: Vec<(UserId, i64, Summed, Summed, Summed)> = tickets::table
        .filter(assigned.eq_any(users::table.filter(cadre_in(range)).select(users::id)))
        .filter(tickets::filed_month.between(months.0.to_string(), months.1.to_string()))
        .filter(tickets::first_resolved_at.is_not_null())
        .group_by(tickets::assignee_id)
        .select((
            assigned,
            count_star(),
            minutes,
            count_where!(rated),
            sum(case_when::<_, _, Integer>(rated, tickets::rating.assume_not_null()).otherwise(0)),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user, resolved, minutes, rated, rating_sum)| {
            let counts = WorkloadCounts {
                resolved,
                resolution_minutes: minutes.unwrap_or(0),
                rated: rated.unwrap_or(0),
                rating_sum: rating_sum.unwrap_or(0),
                ..WorkloadCounts::default()
            };
            (user, counts)
        })
        .collect())
}

/// The open assisting tasks of each cadre of `range`.
fn assisting(
    conn: &mut DbConnection,
    range: &CodeRange,
) -> Result<Vec<(UserId, WorkloadCounts)>, DbError> {
    let helpers = users::table.filter(cadre_in(range)).select(users::id);
    let rows: Vec<(UserId, i64)> = ticket_collaborators::table
        .filter(ticket_collaborators::user_id.eq_any(helpers))
        .filter(ticket_collaborators::status.eq(TaskStatus::Open))
        .group_by(ticket_collaborators::user_id)
        .select((ticket_collaborators::user_id, count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user, assisting)| {
            let counts = WorkloadCounts {
                assisting,
                ..WorkloadCounts::default()
            };
            (user, counts)
        })
        .collect())
}

/// What the workload looks at of an assigned ticket.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = tickets)]
struct AssignedTicket {
    id: TicketId,
    assignee_id: Option<UserId>,
    status: Status,
    created_at: NaiveDateTime,
    first_resolved_at: Option<NaiveDateTime>,
    rating: Option<i32>,
    response_due_at: NaiveDateTime,
    due_at: NaiveDateTime,
    yellow_at: NaiveDateTime,
    orange_at: NaiveDateTime,
    red_at: NaiveDateTime,
}

/// Every user's workload recounted ticket by ticket: the snapshot and assisting tasks as of a
/// moment, and the resolutions by the month (of programme time) their tickets were filed in.
#[derive(Debug, Default)]
pub struct Recounted {
    now: BTreeMap<UserId, WorkloadCounts>,
    by_month: BTreeMap<(UserId, Month), WorkloadCounts>,
}

impl Recounted {
    /// A user's counts for the months `from` to `to`.
    pub fn of(&self, user: UserId, from: Month, to: Month) -> WorkloadCounts {
        let now = self.now.get(&user).copied().unwrap_or_default();
        let period: WorkloadCounts = self
            .by_month
            .range((user, from)..=(user, to))
            .map(|(_, c)| *c)
            .sum();
        now + period
    }
}

/// Recounts every user's workload from the tickets and the assisting tasks, each ticket's
/// colour worked out as of `now` from its deadlines and its month in programme time `tz` from
/// its filing (not read from the ticket).
pub fn recount(conn: &mut DbConnection, now: NaiveDateTime, tz: Tz) -> Result<Recounted, DbError> {
    let mut recounted = Recounted::default();
    let mut after = TicketId(0);
    loop {
        let batch: Vec<AssignedTicket> = tickets::table
            .filter(tickets::id.gt(after))
            .filter(tickets::assignee_id.is_not_null())
            .order(tickets::id)
            .limit(10_000)
            .select(AssignedTicket::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.id;
        for t in &batch {
            let Some(assignee) = t.assignee_id else {
                continue;
            };
            let deadlines = Deadlines {
                response_due_at: t.response_due_at,
                due_at: t.due_at,
                yellow_at: t.yellow_at,
                orange_at: t.orange_at,
                red_at: t.red_at,
            };
            let facts = AssignedFacts {
                status: t.status,
                warning: sla::warning(t.status.clocks_run(), now, &deadlines),
                created_at: t.created_at,
                first_resolved_at: t.first_resolved_at,
                rating: t.rating,
            };
            let month = Month::of(t.created_at, tz);
            let now_entry = recounted.now.entry(assignee).or_default();
            *now_entry = *now_entry + WorkloadCounts::snapshot(&facts);
            let month_entry = recounted.by_month.entry((assignee, month)).or_default();
            *month_entry = *month_entry + WorkloadCounts::resolution(&facts);
        }
    }
    let tasks: Vec<UserId> = ticket_collaborators::table
        .filter(ticket_collaborators::status.eq(TaskStatus::Open))
        .select(ticket_collaborators::user_id)
        .load(conn)?;
    for user in tasks {
        let entry = recounted.now.entry(user).or_default();
        *entry = *entry + WorkloadCounts::assisting_task();
    }
    Ok(recounted)
}
