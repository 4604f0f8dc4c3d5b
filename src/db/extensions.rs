//! Requests for more time on a ticket (延期): at most one pending per ticket (a partial unique
//! index), decided once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::ticket_extensions;
use super::{DbConnection, DbError};
use crate::domain::ids::{TicketId, UserId};
use crate::domain::page::PageRequest;
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::ticket::ExtensionStatus;

/// An extension as stored (and as the demo writes it).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ticket_extensions)]
pub struct Extension {
    pub id: i64,
    pub ticket_id: TicketId,
    /// The ticket's county (fixed at filing), which the approval queue is cut by.
    pub county_code: RegionCode,
    pub working_days: i32,
    pub reason: String,
    pub status: ExtensionStatus,
    pub requested_by: UserId,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_comment: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ticket_extensions)]
pub struct NewExtension<'a> {
    pub ticket_id: TicketId,
    pub county_code: &'a RegionCode,
    pub working_days: i32,
    pub reason: &'a str,
    pub status: ExtensionStatus,
    pub requested_by: UserId,
    pub requested_at: NaiveDateTime,
}

/// Inserts a pending extension; [`DbError::Duplicate`] when the ticket has one pending already
/// (the index `ticket_extensions_one_pending`).
pub fn insert(conn: &mut DbConnection, new: &NewExtension) -> Result<Extension, DbError> {
    let statement = diesel::insert_into(ticket_extensions::table).values(new);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Extension::as_returning())
        .get_result(c))?)
}

/// Extension `id` of ticket `ticket_id`.
pub fn find(conn: &mut DbConnection, ticket_id: TicketId, id: i64) -> Result<Extension, DbError> {
    Ok(ticket_extensions::table
        .filter(ticket_extensions::id.eq(id))
        .filter(ticket_extensions::ticket_id.eq(ticket_id))
        .select(Extension::as_select())
        .first(conn)?)
}

/// A decision on a pending extension.
pub struct Decision<'a> {
    pub status: ExtensionStatus,
    pub decided_by: UserId,
    pub decided_at: NaiveDateTime,
    pub comment: Option<&'a str>,
}

/// Decides extension `id` if it is still pending; `None` when it was decided already.
pub fn decide(
    conn: &mut DbConnection,
    id: i64,
    decision: &Decision,
) -> Result<Option<Extension>, DbError> {
    let statement = diesel::update(
        ticket_extensions::table
            .filter(ticket_extensions::id.eq(id))
            .filter(ticket_extensions::status.eq(ExtensionStatus::Pending)),
    )
    .set((
        ticket_extensions::status.eq(decision.status),
        ticket_extensions::decided_by.eq(decision.decided_by),
        ticket_extensions::decided_at.eq(decision.decided_at),
        ticket_extensions::decision_comment.eq(decision.comment),
    ));
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Extension::as_returning())
        .get_result(c)
        .optional())?)
}

/// One page of a ticket's extensions, oldest first.
pub fn list_for_ticket(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    page: &PageRequest<i64>,
) -> Result<Vec<Extension>, DbError> {
    let mut query = ticket_extensions::table
        .filter(ticket_extensions::ticket_id.eq(ticket_id))
        .select(Extension::as_select())
        .order(ticket_extensions::id)
        .limit(page.fetch_limit())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(ticket_extensions::id.gt(after));
    }
    Ok(query.load(conn)?)
}

/// One page of the extensions of tickets whose county lies in `counties`, of `status` when
/// given, oldest first: an approval queue.
pub fn list_in(
    conn: &mut DbConnection,
    counties: &CodeRange,
    status: Option<ExtensionStatus>,
    page: &PageRequest<i64>,
) -> Result<Vec<Extension>, DbError> {
    let mut query = ticket_extensions::table
        .filter(
            ticket_extensions::county_code.between(counties.first.clone(), counties.last.clone()),
        )
        .select(Extension::as_select())
        .order(ticket_extensions::id)
        .limit(page.fetch_limit())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(ticket_extensions::status.eq(status));
    }
    if let Some(after) = page.after {
        query = query.filter(ticket_extensions::id.gt(after));
    }
    Ok(query.load(conn)?)
}
