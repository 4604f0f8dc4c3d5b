//! Supervision orders (督办): issued on a ticket by a supervisor covering its county, answered
//! once by its assignee; overdue while unanswered past `respond_by`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::ticket_supervisions;
use super::{DbConnection, DbError};
use crate::domain::ids::{SupervisionId, TicketId, UserId};
use crate::domain::page::PageRequest;
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::ticket::SupervisionStatus;

/// A supervision order as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_supervisions)]
pub struct Supervision {
    pub id: SupervisionId,
    pub ticket_id: TicketId,
    /// The ticket's county (fixed at filing), which the supervisors' list is cut by.
    pub county_code: RegionCode,
    pub issued_by: UserId,
    pub instruction: String,
    pub issued_at: NaiveDateTime,
    pub respond_by: NaiveDateTime,
    pub status: SupervisionStatus,
    pub response: Option<String>,
    pub responded_by: Option<UserId>,
    pub responded_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ticket_supervisions)]
pub struct NewSupervision<'a> {
    pub ticket_id: TicketId,
    pub county_code: &'a RegionCode,
    pub issued_by: UserId,
    pub instruction: &'a str,
    pub issued_at: NaiveDateTime,
    pub respond_by: NaiveDateTime,
    pub status: SupervisionStatus,
}

pub fn insert(conn: &mut DbConnection, new: &NewSupervision) -> Result<Supervision, DbError> {
    let statement = diesel::insert_into(ticket_supervisions::table).values(new);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Supervision::as_returning())
        .get_result(c))?)
}

/// Order `id` of ticket `ticket_id`.
pub fn find(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    id: SupervisionId,
) -> Result<Supervision, DbError> {
    Ok(ticket_supervisions::table
        .filter(ticket_supervisions::id.eq(id))
        .filter(ticket_supervisions::ticket_id.eq(ticket_id))
        .select(Supervision::as_select())
        .first(conn)?)
}

/// Records the answer to an open order; `None` when it was answered already.
pub fn answer(
    conn: &mut DbConnection,
    id: SupervisionId,
    by: UserId,
    response: &str,
    now: NaiveDateTime,
) -> Result<Option<Supervision>, DbError> {
    let statement = diesel::update(
        ticket_supervisions::table
            .filter(ticket_supervisions::id.eq(id))
            .filter(ticket_supervisions::status.eq(SupervisionStatus::Open)),
    )
    .set((
        ticket_supervisions::status.eq(SupervisionStatus::Answered),
        ticket_supervisions::response.eq(response),
        ticket_supervisions::responded_by.eq(by),
        ticket_supervisions::responded_at.eq(now),
    ));
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Supervision::as_returning())
        .get_result(c)
        .optional())?)
}

/// One page of a ticket's orders, oldest first.
pub fn list_for_ticket(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    page: &PageRequest<i64>,
) -> Result<Vec<Supervision>, DbError> {
    let mut query = ticket_supervisions::table
        .filter(ticket_supervisions::ticket_id.eq(ticket_id))
        .select(Supervision::as_select())
        .order(ticket_supervisions::id)
        .limit(page.fetch_limit())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(ticket_supervisions::id.gt(after));
    }
    Ok(query.load(conn)?)
}

/// Which orders a supervisors' list shows.
#[derive(Debug, Clone, Copy)]
pub enum SupervisionFilter {
    All,
    /// Not answered yet (overdue ones included).
    Open,
    Answered,
    /// Not answered, past `respond_by` at this moment.
    OverdueAt(NaiveDateTime),
}

/// One page of the orders on tickets whose county lies in `counties`, oldest first.
pub fn list_in(
    conn: &mut DbConnection,
    counties: &CodeRange,
    filter: SupervisionFilter,
    page: &PageRequest<i64>,
) -> Result<Vec<Supervision>, DbError> {
    let mut query = ticket_supervisions::table
        .filter(
            ticket_supervisions::county_code.between(counties.first.clone(), counties.last.clone()),
        )
        .select(Supervision::as_select())
        .order(ticket_supervisions::id)
        .limit(page.fetch_limit())
        .into_boxed();
    query = match filter {
        SupervisionFilter::All => query,
        SupervisionFilter::Open => {
            query.filter(ticket_supervisions::status.eq(SupervisionStatus::Open))
        }
        SupervisionFilter::Answered => {
            query.filter(ticket_supervisions::status.eq(SupervisionStatus::Answered))
        }
        SupervisionFilter::OverdueAt(now) => query
            .filter(ticket_supervisions::status.eq(SupervisionStatus::Open))
            .filter(ticket_supervisions::respond_by.lt(now)),
    };
    if let Some(after) = page.after {
        query = query.filter(ticket_supervisions::id.gt(after));
    }
    Ok(query.load(conn)?)
}
