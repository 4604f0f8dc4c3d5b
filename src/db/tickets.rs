//! Tickets: insert, read, the versioned update every move makes, and the scoped list.

use std::sync::LazyLock;

use chrono::NaiveDateTime;
use diesel::dsl::{AsSelect, IntoBoxed, Limit, Select};
use diesel::prelude::*;

use super::connection::MultiBackend;
use super::schema::{enterprise_cadres, enterprises, tickets};
use super::ticket_activity::{self, NewEvent};
use super::{DbConnection, DbError, collaborators, counters, idempotency, write_transaction};
use crate::domain::access::{CadreRelation, TicketFacts, TicketScope};
use crate::domain::breach::{Breaches, Clock, ClockState};
use crate::domain::ids::{EnterpriseId, TicketId, UserId};
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::rollup::{CountedFacts, Counters, Month};
use crate::domain::sla::{Counted, Deadlines, Warning};
use crate::domain::ticket::{Action, Level, Priority, Status};
use crate::domain::timing::{Terms, Timing};
use crate::domain::working_time::{Duration, DurationUnit};

/// A ticket as stored.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = tickets)]
pub struct Ticket {
    pub id: TicketId,
    pub enterprise_id: EnterpriseId,
    /// The enterprise's county, fixed at filing.
    pub county_code: RegionCode,
    pub category: String,
    pub priority: Priority,
    pub title: String,
    pub description: String,
    pub status: Status,
    pub level: Level,
    pub assignee_id: Option<UserId>,
    /// The user (or API client's principal) who filed it.
    pub filed_by: UserId,
    /// When the first response is due.
    pub response_due_at: NaiveDateTime,
    /// When the resolution is due (the SLA at filing).
    pub due_at: NaiveDateTime,
    pub yellow_at: NaiveDateTime,
    pub orange_at: NaiveDateTime,
    pub red_at: NaiveDateTime,
    pub first_response_at: Option<NaiveDateTime>,
    pub first_resolved_at: Option<NaiveDateTime>,
    /// When it was last resolved; null while it is not resolved or closed.
    pub resolved_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub resolution: Option<String>,
    /// 1 to 5, given when the enterprise confirms.
    pub rating: Option<i32>,
    pub reopen_count: i32,
    /// Grows with every change; the ETag.
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The colour the warning counters hold for it, and until when (see `sla::counted`).
    pub counted_warning: Option<Warning>,
    pub counted_until: Option<NaiveDateTime>,
    /// The programme-time month it was filed in, which its statistics counters are keyed by.
    pub filed_month: Month,
    /// The feedback clock of its category and priority at filing.
    pub feedback_sla: Duration,
    /// The unit of its resolve clock at filing, which its colours are measured in.
    pub resolve_unit: DurationUnit,
    /// When the resolution was due as filed, before any extension moved `due_at`.
    pub original_due_at: NaiveDateTime,
    /// When the next progress feedback is owed (see `domain::breach`).
    pub feedback_due_at: Option<NaiveDateTime>,
    pub accept_breached: bool,
    pub feedback_breaches: i32,
    pub resolve_breached: bool,
    /// When the next clock not yet recorded as missed runs out ([`NEVER`] when none is owed).
    pub next_breach_at: NaiveDateTime,
    /// When the current wait for the enterprise began; null when not waiting.
    pub paused_at: Option<NaiveDateTime>,
    /// The time waited for the enterprise in all, in the resolve clock's unit.
    pub paused_seconds: i64,
    /// Supervision orders not answered yet: the ticket is `supervised` while any is open.
    pub open_supervisions: i32,
    /// Supervision orders ever issued on it.
    pub supervision_count: i32,
    /// Times its assignee sent it back to dispatch.
    pub return_count: i32,
}

/// `next_breach_at` of a ticket that owes no clock: a date no deadline reaches, so the column
/// is never null and a write can be made against the value it read with one comparison.
pub const NEVER: NaiveDateTime = match chrono::NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(day) => day.and_time(chrono::NaiveTime::MIN),
    None => unreachable!(),
};

/// The stored form of [`ClockState::next_breach_at`].
pub fn next_breach_column(clocks: &ClockState) -> NaiveDateTime {
    clocks.next_breach_at().unwrap_or(NEVER)
}

impl Ticket {
    pub fn clock_state(&self) -> ClockState {
        ClockState {
            status: self.status,
            response_due_at: self.response_due_at,
            first_response_at: self.first_response_at,
            due_at: self.due_at,
            feedback_due_at: self.feedback_due_at,
            breaches: Breaches {
                accept: self.accept_breached,
                feedback: self.feedback_breaches,
                resolve: self.resolve_breached,
            },
        }
    }

    /// Its deadlines and clocks together, as a move changes them.
    pub fn timing(&self) -> Timing {
        Timing {
            deadlines: self.deadlines(),
            clocks: self.clock_state(),
            paused_at: self.paused_at,
            paused_seconds: self.paused_seconds,
            original_due_at: self.original_due_at,
        }
    }

    /// The clocks it was filed under.
    pub fn terms(&self) -> Terms {
        Terms {
            filed_at: self.created_at,
            feedback: self.feedback_sla,
            resolve_unit: self.resolve_unit,
        }
    }

    pub fn deadlines(&self) -> Deadlines {
        Deadlines {
            response_due_at: self.response_due_at,
            due_at: self.due_at,
            yellow_at: self.yellow_at,
            orange_at: self.orange_at,
            red_at: self.red_at,
        }
    }

    /// The facts the policy decides by; `relation` is how the caller (a cadre) is tied to it
    /// besides being its assignee.
    pub fn facts(&self, relation: CadreRelation) -> TicketFacts {
        TicketFacts {
            enterprise_id: self.enterprise_id,
            county: self.county_code.clone(),
            level: self.level,
            assignee_id: self.assignee_id,
            caller_paired: relation.paired,
            caller_collaborating: relation.collaborating,
        }
    }

    pub fn counted_facts(&self) -> CountedFacts {
        CountedFacts {
            status: self.status,
            created_at: self.created_at,
            due_at: self.due_at,
            first_resolved_at: self.first_resolved_at,
            rating: self.rating,
            response_due_at: self.response_due_at,
            first_response_at: self.first_response_at,
            feedback_breaches: self.feedback_breaches,
            original_due_at: self.original_due_at,
            supervision_count: self.supervision_count,
            return_count: self.return_count,
        }
    }

    /// The keys its counters are kept under (see [`counters::Key::all_of`]).
    pub fn counter_keys(&self) -> [counters::Key; 4] {
        counters::Key::all_of(&self.county_code, &self.category, self.filed_month)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = tickets)]
pub struct NewTicket {
    pub enterprise_id: EnterpriseId,
    pub county_code: RegionCode,
    pub category: String,
    pub priority: Priority,
    pub title: String,
    pub description: String,
    pub status: Status,
    pub level: Level,
    pub assignee_id: Option<UserId>,
    pub filed_by: UserId,
    pub response_due_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub yellow_at: NaiveDateTime,
    pub orange_at: NaiveDateTime,
    pub red_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// A new ticket has no colour yet (it is counted under none): when its first one starts.
    pub counted_until: NaiveDateTime,
    /// The feedback clock, as stored (`"3 working_days"`).
    pub feedback_sla: String,
    pub resolve_unit: DurationUnit,
    pub next_breach_at: NaiveDateTime,
    /// The due time as filed: `due_at`, which extensions move later and this keeps.
    pub original_due_at: NaiveDateTime,
}

/// What a move changes; `None` leaves a field, `Some(None)` clears a nullable one.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tickets)]
pub struct TicketChanges {
    pub status: Option<Status>,
    pub level: Option<Level>,
    pub assignee_id: Option<Option<UserId>>,
    pub first_response_at: Option<Option<NaiveDateTime>>,
    pub first_resolved_at: Option<Option<NaiveDateTime>>,
    pub resolved_at: Option<Option<NaiveDateTime>>,
    pub closed_at: Option<Option<NaiveDateTime>>,
    pub resolution: Option<Option<String>>,
    pub rating: Option<Option<i32>>,
    pub reopen_count: Option<i32>,
    /// A wait for the enterprise or an approved extension moves the due time and the colours.
    pub due_at: Option<NaiveDateTime>,
    pub yellow_at: Option<NaiveDateTime>,
    pub orange_at: Option<NaiveDateTime>,
    pub red_at: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
    pub counted_warning: Option<Option<Warning>>,
    pub counted_until: Option<Option<NaiveDateTime>>,
    pub feedback_due_at: Option<Option<NaiveDateTime>>,
    pub accept_breached: Option<bool>,
    pub feedback_breaches: Option<i32>,
    pub resolve_breached: Option<bool>,
    pub next_breach_at: Option<NaiveDateTime>,
    pub paused_at: Option<Option<NaiveDateTime>>,
    pub paused_seconds: Option<i64>,
    pub original_due_at: Option<NaiveDateTime>,
    pub open_supervisions: Option<i32>,
    pub supervision_count: Option<i32>,
    pub return_count: Option<i32>,
}

impl TicketChanges {
    /// Sets the resolve deadline and the colours to `d` (acceptance is due once, at filing).
    pub fn deadlines(mut self, d: &Deadlines) -> TicketChanges {
        self.due_at = Some(d.due_at);
        self.yellow_at = Some(d.yellow_at);
        self.orange_at = Some(d.orange_at);
        self.red_at = Some(d.red_at);
        self
    }

    /// Sets the deadlines, the clocks and the wait to `t`.
    pub fn timing(mut self, t: &Timing) -> TicketChanges {
        self.first_response_at = Some(t.clocks.first_response_at);
        self.paused_at = Some(t.paused_at);
        self.paused_seconds = Some(t.paused_seconds);
        self.original_due_at = Some(t.original_due_at);
        self.deadlines(&t.deadlines).clocks(&t.clocks)
    }

    /// Sets the clock columns to `clocks`.
    pub fn clocks(mut self, clocks: &ClockState) -> TicketChanges {
        self.feedback_due_at = Some(clocks.feedback_due_at);
        self.accept_breached = Some(clocks.breaches.accept);
        self.feedback_breaches = Some(clocks.breaches.feedback);
        self.resolve_breached = Some(clocks.breaches.resolve);
        self.next_breach_at = Some(next_breach_column(clocks));
        self
    }
}

/// What is written with a new ticket besides the ticket itself.
pub struct FilingRecords<'a> {
    /// The programme-time month of filing, which the ticket's counters are keyed by.
    pub month: Month,
    /// The filing event's details.
    pub details: serde_json::Value,
    /// What the ticket adds to the statistics.
    pub counters: Counters,
    /// The idempotency key and request digest, when the client sent a key.
    pub idempotency: Option<(&'a str, &'a str)>,
}

/// Writes a new ticket with its filing event, its statistics and its idempotency key, all or
/// nothing. PostgreSQL does it in one statement (one round trip, no explicit transaction);
/// SQLite, in process, in one immediate transaction.
pub fn file(
    conn: &mut DbConnection,
    new: &NewTicket,
    filing: &FilingRecords,
) -> Result<Ticket, DbError> {
    match conn {
        DbConnection::Postgres(pg) => Ok(file_in_one_statement(pg, new, filing)?),
        DbConnection::Sqlite(_) => write_transaction(conn, |c| {
            let month = tickets::filed_month.eq(filing.month.to_string());
            let statement = diesel::insert_into(tickets::table).values((new, month));
            let ticket = crate::on_backend!(c, |c| statement
                .returning(Ticket::as_returning())
                .get_result(c))?;
            counters::record(c, ticket.id, ticket.counter_keys(), filing.counters)?;
            ticket_activity::insert_event(
                c,
                NewEvent {
                    ticket_id: ticket.id,
                    actor_id: Some(ticket.filed_by),
                    action: Action::File.as_str(),
                    from_status: None,
                    to_status: Some(ticket.status.as_str()),
                    details: filing.details.clone(),
                    internal: false,
                    now: ticket.created_at,
                },
            )?;
            if let Some((key, hash)) = filing.idempotency {
                idempotency::insert(c, ticket.filed_by, key, hash, ticket.id, ticket.created_at)?;
            }
            Ok(ticket)
        }),
    }
}

/// The same writes as one data-modifying statement: the ticket, then from its row the event,
/// the counters (see [`counters::filing_insert_sql`]) and the idempotency key. Each `?` is a
/// bind, in the order [`FilingStatement`] gives them.
static FILING_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "
WITH t AS (
    INSERT INTO tickets (enterprise_id, county_code, category, priority, title, description, status,
        level, assignee_id, filed_by, response_due_at, due_at, yellow_at, orange_at, red_at,
        created_at, updated_at, counted_until, feedback_sla, resolve_unit, next_breach_at,
        original_due_at, filed_month)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    RETURNING *
), event AS (
    INSERT INTO ticket_events (ticket_id, actor_id, action, from_status, to_status, details, internal, created_at)
    SELECT id, filed_by, 'file', NULL, status, ?, FALSE, created_at FROM t
), counters AS (
    {}
), key AS (
    INSERT INTO idempotency_keys (user_id, key, request_hash, ticket_id, created_at)
    SELECT filed_by, ?, ?, id, created_at FROM t WHERE ? IS NOT NULL
)
SELECT * FROM t",
        counters::filing_insert_sql()
    )
});

/// [`FILING_SQL`] with its binds. Unlike `sql_query`, diesel prepares it once per connection
/// and reuses the plan (a filing costs PostgreSQL about half as much that way).
struct FilingStatement<'a> {
    new: &'a NewTicket,
    month: String,
    details: String,
    keys: [counters::Key; 4],
    counts: [i32; counters::PERIOD_COUNTS],
    key: Option<&'a str>,
    hash: Option<&'a str>,
}

impl diesel::query_builder::QueryId for FilingStatement<'_> {
    type QueryId = FilingStatement<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::Query for FilingStatement<'_> {
    type SqlType = diesel::expression::expression_types::Untyped;
}

impl RunQueryDsl<diesel::PgConnection> for FilingStatement<'_> {}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for FilingStatement<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};
        let mut sql = FILING_SQL.split('?');
        out.push_sql(sql.next().unwrap_or_default());
        // Each bind, then the SQL up to the next one.
        macro_rules! bind {
            ($($ty:ty => $value:expr),+ $(,)?) => {$(
                out.push_bind_param::<$ty, _>($value)?;
                out.push_sql(sql.next().expect("FILING_SQL has a `?` per bind"));
            )+};
        }
        let n = self.new;
        bind!(
            BigInt => &n.enterprise_id,
            Text => &n.county_code,
            Text => &n.category,
            Text => &n.priority,
            Text => &n.title,
            Text => &n.description,
            Text => &n.status,
            Text => &n.level,
            Nullable<BigInt> => &n.assignee_id,
            BigInt => &n.filed_by,
            Timestamp => &n.response_due_at,
            Timestamp => &n.due_at,
            Timestamp => &n.yellow_at,
            Timestamp => &n.orange_at,
            Timestamp => &n.red_at,
            Timestamp => &n.created_at,
            Timestamp => &n.updated_at,
            Timestamp => &n.counted_until,
            Text => &n.feedback_sla,
            Text => &n.resolve_unit,
            Timestamp => &n.next_breach_at,
            Timestamp => &n.original_due_at,
            Text => &self.month,
            Text => &self.details,
            BigInt => &counters::POSTGRES_SLOTS,
        );
        for count in &self.counts {
            bind!(Integer => count);
        }
        for key in &self.keys {
            bind!(Text => &key.category, Text => &key.period);
        }
        bind!(
            Nullable<Text> => &self.key,
            Nullable<Text> => &self.hash,
            Nullable<Text> => &self.key,
        );
        Ok(())
    }
}

fn file_in_one_statement(
    pg: &mut diesel::PgConnection,
    new: &NewTicket,
    filing: &FilingRecords,
) -> QueryResult<Ticket> {
    let (key, hash) = filing.idempotency.unzip();
    FilingStatement {
        new,
        month: filing.month.to_string(),
        details: filing.details.to_string(),
        keys: counters::Key::all_of(&new.county_code, &new.category, filing.month),
        counts: counters::period_numbers(&filing.counters),
        key,
        hash,
    }
    .get_result(pg)
}

pub fn find(conn: &mut DbConnection, id: TicketId) -> Result<Ticket, DbError> {
    Ok(tickets::table
        .find(id)
        .select(Ticket::as_select())
        .first(conn)?)
}

/// Applies a move to the ticket as it was `read`, if nothing changed it since: not another
/// move (its version) and not the periodic job moving its warning count on (`counted_until`)
/// or recording a missed clock (`next_breach_at`). `None` otherwise.
pub fn update_as_read(
    conn: &mut DbConnection,
    read: &Ticket,
    changes: &TicketChanges,
) -> Result<Option<Ticket>, DbError> {
    let as_read = tickets::table
        .filter(tickets::id.eq(read.id))
        .filter(tickets::version.eq(read.version))
        .filter(tickets::next_breach_at.eq(read.next_breach_at));
    let set = (changes, tickets::version.eq(read.version + 1));
    let updated = match read.counted_until {
        Some(until) => {
            let statement =
                diesel::update(as_read.filter(tickets::counted_until.eq(until))).set(set);
            crate::on_backend!(conn, |c| statement
                .returning(Ticket::as_returning())
                .get_result(c)
                .optional())
        }
        None => {
            let statement =
                diesel::update(as_read.filter(tickets::counted_until.is_null())).set(set);
            crate::on_backend!(conn, |c| statement
                .returning(Ticket::as_returning())
                .get_result(c)
                .optional())
        }
    };
    Ok(updated?)
}

/// Ids of open tickets whose warning count has expired by `now` (a colour started since it was
/// counted), the longest expired first.
pub fn counts_expired(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<TicketId>, DbError> {
    Ok(tickets::table
        .filter(tickets::counted_until.le(now))
        .order(tickets::counted_until)
        .select(tickets::id)
        .limit(limit)
        .load(conn)?)
}

/// Moves the warning count of a ticket `read` with an expired count on to `counted`, unless a
/// move or another instance changed the ticket since. Not a change of the ticket itself: its
/// version and `updated_at` stay.
pub fn recount_warning(
    conn: &mut DbConnection,
    read: &Ticket,
    counted: Counted,
) -> Result<bool, DbError> {
    let Some(until) = read.counted_until else {
        return Ok(false);
    };
    let statement = diesel::update(
        tickets::table
            .filter(tickets::id.eq(read.id))
            .filter(tickets::version.eq(read.version))
            .filter(tickets::counted_until.eq(until)),
    )
    .set((
        tickets::counted_warning.eq(counted.warning),
        tickets::counted_until.eq(counted.until),
    ));
    Ok(crate::on_backend!(conn, |c| statement.execute(c))? == 1)
}

/// Ids of tickets with a clock run out by `now` and not recorded yet, the longest overdue first.
pub fn breaches_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<TicketId>, DbError> {
    Ok(tickets::table
        .filter(tickets::next_breach_at.le(now))
        .order(tickets::next_breach_at)
        .select(tickets::id)
        .limit(limit)
        .load(conn)?)
}

/// Records the clocks of a ticket `read` as `clocks` (missed ones marked), unless a move or
/// another instance changed the ticket since: the ticket after, or `None`. Not a change of the
/// ticket itself: its version and `updated_at` stay.
pub fn record_clocks(
    conn: &mut DbConnection,
    read: &Ticket,
    clocks: &ClockState,
) -> Result<Option<Ticket>, DbError> {
    let statement = diesel::update(
        tickets::table
            .filter(tickets::id.eq(read.id))
            .filter(tickets::version.eq(read.version))
            .filter(tickets::next_breach_at.eq(read.next_breach_at)),
    )
    .set(TicketChanges::default().clocks(clocks));
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Ticket::as_returning())
        .get_result(c)
        .optional())?)
}

/// Ids of tickets resolved before `cutoff`, oldest first: candidates for auto-close.
pub fn resolved_before(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
    limit: i64,
) -> Result<Vec<TicketId>, DbError> {
    Ok(tickets::table
        .filter(tickets::status.eq(Status::Resolved))
        .filter(tickets::resolved_at.lt(cutoff))
        .order(tickets::resolved_at)
        .select(tickets::id)
        .limit(limit)
        .load(conn)?)
}

/// The order of a list; each has its keyset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Newest first.
    Filed,
    /// Soonest due first.
    Due,
}

/// Filters of the ticket list.
#[derive(Debug, Default, Clone)]
pub struct TicketFilter {
    pub statuses: Vec<Status>,
    pub category: Option<String>,
    pub priority: Option<Priority>,
    pub region: Option<CodeRange>,
    pub assignee_id: Option<UserId>,
    pub enterprise_id: Option<EnterpriseId>,
    pub warning: Option<(Warning, NaiveDateTime)>,
    pub filed_from: Option<NaiveDateTime>,
    pub filed_before: Option<NaiveDateTime>,
    /// Tickets of active (`true`) or deactivated (`false`) enterprises.
    pub enterprise_active: Option<bool>,
    /// Tickets that missed this clock at least once.
    pub breached: Option<Clock>,
    /// Tickets with (`true`) or without (`false`) an open supervision order.
    pub supervised: Option<bool>,
    pub level: Option<Level>,
    /// Tickets this cadre assists (协办).
    pub collaborating: Option<UserId>,
}

/// One page of tickets in `scope`, `filter`ed, in `sort` order after the keyset `after`
/// (the sort timestamp and id of the last ticket of the previous page).
pub fn list(
    conn: &mut DbConnection,
    scope: &TicketScope,
    filter: &TicketFilter,
    sort: Sort,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) -> Result<Vec<Ticket>, DbError> {
    let query = tickets::table
        .select(Ticket::as_select())
        .limit(limit)
        .into_boxed();
    let query = in_scope(conn, query, scope)?;
    let query = filtered(conn, query, filter)?;
    Ok(in_order(query, sort, after).load(conn)?)
}

/// The ticket list's query, built up clause by clause.
type Listing =
    IntoBoxed<'static, Limit<Select<tickets::table, AsSelect<Ticket, MultiBackend>>>, MultiBackend>;

/// The tickets `scope` lets the caller see.
fn in_scope(
    conn: &mut DbConnection,
    query: Listing,
    scope: &TicketScope,
) -> Result<Listing, DbError> {
    Ok(match scope {
        TicketScope::All => query,
        TicketScope::CountyIn(range) => {
            query.filter(tickets::county_code.between(range.first.clone(), range.last.clone()))
        }
        TicketScope::Enterprise(id) => query.filter(tickets::enterprise_id.eq(*id)),
        TicketScope::Cadre(user_id) => {
            // A cadre is paired with a handful of enterprises and assists a handful of
            // tickets: fetch them, then filter.
            let paired: Vec<i64> = enterprise_cadres::table
                .filter(enterprise_cadres::user_id.eq(*user_id))
                .select(enterprise_cadres::enterprise_id)
                .load(conn)?;
            let assisted = collaborators::tickets_of(conn, *user_id)?;
            query.filter(
                tickets::assignee_id
                    .eq(*user_id)
                    .or(tickets::enterprise_id.eq_any(paired))
                    .or(tickets::id.eq_any(assisted)),
            )
        }
    })
}

/// The tickets that match every filter given.
fn filtered(
    conn: &mut DbConnection,
    mut query: Listing,
    filter: &TicketFilter,
) -> Result<Listing, DbError> {
    if let Some(cadre) = filter.collaborating {
        query = query.filter(tickets::id.eq_any(collaborators::tickets_of(conn, cadre)?));
    }
    if let Some(level) = filter.level {
        query = query.filter(tickets::level.eq(level));
    }
    query = match filter.supervised {
        Some(true) => query.filter(tickets::open_supervisions.gt(0)),
        Some(false) => query.filter(tickets::open_supervisions.eq(0)),
        None => query,
    };
    if !filter.statuses.is_empty() {
        query = query.filter(tickets::status.eq_any(filter.statuses.clone()));
    }
    if let Some(category) = &filter.category {
        query = query.filter(tickets::category.eq(category.clone()));
    }
    if let Some(priority) = filter.priority {
        query = query.filter(tickets::priority.eq(priority));
    }
    if let Some(range) = &filter.region {
        query = query.filter(tickets::county_code.between(range.first.clone(), range.last.clone()));
    }
    if let Some(assignee) = filter.assignee_id {
        query = query.filter(tickets::assignee_id.eq(assignee));
    }
    if let Some(enterprise) = filter.enterprise_id {
        query = query.filter(tickets::enterprise_id.eq(enterprise));
    }
    if let Some(active) = filter.enterprise_active {
        // Deactivated enterprises are few: their ids, and the tickets in or out of them.
        let inactive = enterprises::table
            .filter(enterprises::active.eq(false))
            .select(enterprises::id);
        query = if active {
            query.filter(tickets::enterprise_id.ne_all(inactive))
        } else {
            query.filter(tickets::enterprise_id.eq_any(inactive))
        };
    }
    if let Some(from) = filter.filed_from {
        query = query.filter(tickets::created_at.ge(from));
    }
    if let Some(before) = filter.filed_before {
        query = query.filter(tickets::created_at.lt(before));
    }
    if let Some((warning, now)) = filter.warning {
        query = with_colour(query, warning, now);
    }
    query = match filter.breached {
        Some(Clock::Accept) => query.filter(tickets::accept_breached.eq(true)),
        Some(Clock::Feedback) => query.filter(tickets::feedback_breaches.gt(0)),
        Some(Clock::Resolve) => query.filter(tickets::resolve_breached.eq(true)),
        None => query,
    };
    Ok(query)
}

/// The open tickets of colour `warning` at `now`.
fn with_colour(query: Listing, warning: Warning, now: NaiveDateTime) -> Listing {
    let open = [Status::Submitted, Status::Assigned, Status::InProgress];
    let query = query.filter(tickets::status.eq_any(open));
    match warning {
        Warning::Yellow => query
            .filter(tickets::yellow_at.le(now))
            .filter(tickets::orange_at.gt(now)),
        Warning::Orange => query
            .filter(tickets::orange_at.le(now))
            .filter(tickets::red_at.gt(now)),
        Warning::Red => query.filter(tickets::red_at.le(now)),
    }
}

/// The list in `sort` order, from after the cursor's ticket.
fn in_order(query: Listing, sort: Sort, after: Option<(NaiveDateTime, i64)>) -> Listing {
    let query = match (sort, after) {
        // The plain bound before the exact keyset lets the index start at the cursor, so a
        // deep page costs what the first one does.
        (Sort::Filed, Some((at, id))) => query.filter(tickets::created_at.le(at)).filter(
            tickets::created_at
                .lt(at)
                .or(tickets::created_at.eq(at).and(tickets::id.lt(id))),
        ),
        (Sort::Due, Some((at, id))) => query.filter(tickets::due_at.ge(at)).filter(
            tickets::due_at
                .gt(at)
                .or(tickets::due_at.eq(at).and(tickets::id.gt(id))),
        ),
        (_, None) => query,
    };
    match sort {
        Sort::Filed => query.order((tickets::created_at.desc(), tickets::id.desc())),
        Sort::Due => query.order((tickets::due_at.asc(), tickets::id.asc())),
    }
}

/// How many tickets an enterprise filed at or after `since`, and when the first of them was.
pub fn filed_since(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
    since: NaiveDateTime,
) -> Result<(i64, Option<NaiveDateTime>), DbError> {
    Ok(tickets::table
        .filter(tickets::enterprise_id.eq(enterprise_id))
        .filter(tickets::created_at.ge(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(tickets::created_at),
        ))
        .first(conn)?)
}

/// How many open tickets (not settled yet) each of these users holds as assignee; users
/// holding none are left out.
pub fn open_counts(
    conn: &mut DbConnection,
    assignees: &[UserId],
) -> Result<Vec<(UserId, i64)>, DbError> {
    let open = [
        Status::Submitted,
        Status::Assigned,
        Status::InProgress,
        Status::AwaitingEnterprise,
    ];
    let mut counts = Vec::new();
    for chunk in assignees.chunks(super::ROWS_PER_STATEMENT) {
        let rows: Vec<(Option<UserId>, i64)> = tickets::table
            .filter(tickets::assignee_id.eq_any(chunk))
            .filter(tickets::status.eq_any(open))
            .group_by(tickets::assignee_id)
            .select((tickets::assignee_id, diesel::dsl::count_star()))
            .load(conn)?;
        counts.extend(rows.into_iter().filter_map(|(id, n)| Some((id?, n))));
    }
    Ok(counts)
}
