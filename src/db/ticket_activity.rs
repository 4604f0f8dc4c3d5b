//! A ticket's comments and its append-only audit trail of events.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{ticket_comments, ticket_events};
use super::{DbConnection, DbError};
use crate::domain::ids::{TicketId, UserId};
use crate::domain::page::PageRequest;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_comments)]
pub struct Comment {
    pub id: i64,
    pub ticket_id: TicketId,
    pub author_id: UserId,
    pub body: String,
    /// Internal comments are never shown to the enterprise.
    pub internal: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_events)]
pub struct Event {
    pub id: i64,
    pub ticket_id: TicketId,
    /// Null when the service itself acted (auto-close).
    pub actor_id: Option<UserId>,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    /// What the action carried: a reason, a resolution, a rating, an assignee, a level.
    pub details: String,
    pub internal: bool,
    pub created_at: NaiveDateTime,
}

pub struct NewEvent<'a> {
    pub ticket_id: TicketId,
    pub actor_id: Option<UserId>,
    pub action: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub details: serde_json::Value,
    pub internal: bool,
    pub now: NaiveDateTime,
}

pub fn insert_event(conn: &mut DbConnection, event: NewEvent) -> Result<(), DbError> {
    diesel::insert_into(ticket_events::table)
        .values((
            ticket_events::ticket_id.eq(event.ticket_id),
            ticket_events::actor_id.eq(event.actor_id),
            ticket_events::action.eq(event.action),
            ticket_events::from_status.eq(event.from_status),
            ticket_events::to_status.eq(event.to_status),
            ticket_events::details.eq(event.details.to_string()),
            ticket_events::internal.eq(event.internal),
            ticket_events::created_at.eq(event.now),
        ))
        .execute(conn)?;
    Ok(())
}

/// One page of a ticket's events, oldest first; internal ones only when asked for.
pub fn list_events(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    include_internal: bool,
    page: &PageRequest<i64>,
) -> Result<Vec<Event>, DbError> {
    let mut query = ticket_events::table
        .filter(ticket_events::ticket_id.eq(ticket_id))
        .select(Event::as_select())
        .order(ticket_events::id)
        .limit(page.fetch_limit())
        .into_boxed();
    if !include_internal {
        query = query.filter(ticket_events::internal.eq(false));
    }
    if let Some(after) = page.after {
        query = query.filter(ticket_events::id.gt(after));
    }
    Ok(query.load(conn)?)
}

pub fn insert_comment(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    author_id: UserId,
    body: &str,
    internal: bool,
    now: NaiveDateTime,
) -> Result<Comment, DbError> {
    let statement = diesel::insert_into(ticket_comments::table).values((
        ticket_comments::ticket_id.eq(ticket_id),
        ticket_comments::author_id.eq(author_id),
        ticket_comments::body.eq(body),
        ticket_comments::internal.eq(internal),
        ticket_comments::created_at.eq(now),
    ));
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Comment::as_returning())
        .get_result(c))?)
}

/// One page of a ticket's comments, oldest first; internal ones only when asked for.
pub fn list_comments(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    include_internal: bool,
    page: &PageRequest<i64>,
) -> Result<Vec<Comment>, DbError> {
    let mut query = ticket_comments::table
        .filter(ticket_comments::ticket_id.eq(ticket_id))
        .select(Comment::as_select())
        .order(ticket_comments::id)
        .limit(page.fetch_limit())
        .into_boxed();
    if !include_internal {
        query = query.filter(ticket_comments::internal.eq(false));
    }
    if let Some(after) = page.after {
        query = query.filter(ticket_comments::id.gt(after));
    }
    Ok(query.load(conn)?)
}
