//! Assisting cadres (协办) of a ticket: one task per ticket and cadre, open until the cadre
//! completes it, removed by whoever may add.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{ticket_collaborators, users};
use super::{DbConnection, DbError};
use crate::domain::ids::{TicketId, UserId};
use crate::domain::region::RegionCode;
use crate::domain::ticket::TaskStatus;

/// An assisting cadre's task as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ticket_collaborators)]
pub struct Collaborator {
    pub ticket_id: TicketId,
    pub user_id: UserId,
    /// The ticket's county (fixed at filing).
    pub county_code: RegionCode,
    pub task: String,
    pub status: TaskStatus,
    pub added_by: UserId,
    pub added_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
    pub note: Option<String>,
}

/// Inserts an open task; [`DbError::Duplicate`] when the cadre assists the ticket already.
pub fn insert(conn: &mut DbConnection, new: &Collaborator) -> Result<Collaborator, DbError> {
    let statement = diesel::insert_into(ticket_collaborators::table).values(new);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Collaborator::as_returning())
        .get_result(c))?)
}

/// The task of `user_id` on `ticket_id`.
pub fn find(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    user_id: UserId,
) -> Result<Collaborator, DbError> {
    Ok(ticket_collaborators::table
        .find((ticket_id, user_id))
        .select(Collaborator::as_select())
        .first(conn)?)
}

/// Whether `user_id` assists `ticket_id` (their task open or done).
pub fn is_collaborating(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    user_id: UserId,
) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        ticket_collaborators::table.find((ticket_id, user_id)),
    ))
    .get_result(conn)?)
}

/// Completes an open task with the cadre's note; `None` when it was not open.
pub fn complete(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    user_id: UserId,
    note: &str,
    now: NaiveDateTime,
) -> Result<Option<Collaborator>, DbError> {
    let statement = diesel::update(
        ticket_collaborators::table
            .find((ticket_id, user_id))
            .filter(ticket_collaborators::status.eq(TaskStatus::Open)),
    )
    .set((
        ticket_collaborators::status.eq(TaskStatus::Completed),
        ticket_collaborators::completed_at.eq(now),
        ticket_collaborators::note.eq(note),
    ));
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Collaborator::as_returning())
        .get_result(c)
        .optional())?)
}

/// Removes a cadre's task; whether there was one.
pub fn remove(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    user_id: UserId,
) -> Result<bool, DbError> {
    let removed =
        diesel::delete(ticket_collaborators::table.find((ticket_id, user_id))).execute(conn)?;
    Ok(removed == 1)
}

/// A ticket's assisting cadres, in the order they were added, with their display names.
pub fn of_ticket(
    conn: &mut DbConnection,
    ticket_id: TicketId,
) -> Result<Vec<(Collaborator, Option<String>)>, DbError> {
    Ok(ticket_collaborators::table
        .inner_join(users::table.on(users::id.eq(ticket_collaborators::user_id)))
        .filter(ticket_collaborators::ticket_id.eq(ticket_id))
        .order((
            ticket_collaborators::added_at,
            ticket_collaborators::user_id,
        ))
        .select((Collaborator::as_select(), users::display_name))
        .load(conn)?)
}

/// The open tasks of a ticket, with their cadres' display names (or usernames).
pub fn open_of_ticket(
    conn: &mut DbConnection,
    ticket_id: TicketId,
) -> Result<Vec<(Collaborator, String)>, DbError> {
    let rows: Vec<(Collaborator, Option<String>, String)> = ticket_collaborators::table
        .inner_join(users::table.on(users::id.eq(ticket_collaborators::user_id)))
        .filter(ticket_collaborators::ticket_id.eq(ticket_id))
        .filter(ticket_collaborators::status.eq(TaskStatus::Open))
        .order(ticket_collaborators::added_at)
        .select((
            Collaborator::as_select(),
            users::display_name,
            users::username,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(task, display, username)| (task, display.unwrap_or(username)))
        .collect())
}

/// The tickets `user_id` assists (their task open or done).
pub fn tickets_of(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<TicketId>, DbError> {
    Ok(ticket_collaborators::table
        .filter(ticket_collaborators::user_id.eq(user_id))
        .select(ticket_collaborators::ticket_id)
        .load(conn)?)
}
