//! Comments on a ticket and its audit trail. Internal comments, and their events, never reach
//! the enterprise by any route.

use crate::api::ticket_activity::NewComment;
use crate::auth::{Principal, policy};
use crate::db::ticket_activity::{self, Comment, Event, NewEvent};
use crate::db::{DbConnection, DbError, write_transaction};
use crate::domain::ids::TicketId;
use crate::domain::page::{Page, PageRequest};
use crate::domain::text::LongText;
use crate::domain::ticket::Action;
use crate::error::Error;
use crate::services::breaches;
use crate::services::ticket_moves::Moment;
use crate::services::tickets::visible_ticket;
use crate::state::AppState;

pub async fn add_comment(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    input: NewComment,
) -> Result<Comment, Error> {
    let body = LongText::parse(&input.body).map_err(|why| Error::invalid("body", why))?;
    let now = state.clock.now();
    let reckoning = state.reckoning()?;
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let (ticket, facts) = visible_ticket(c, &caller, ticket_id)?;
                policy::comment_on_ticket(&caller, &facts, input.internal)?;
                let comment = ticket_activity::insert_comment(c, ticket.id, caller.user_id(), body.as_str(), input.internal, now)?;
                ticket_activity::insert_event(
                    c,
                    NewEvent {
                        ticket_id: ticket.id,
                        actor_id: Some(caller.user_id()),
                        action: Action::Comment.as_str(),
                        from_status: None,
                        to_status: None,
                        details: serde_json::json!({ "comment_id": comment.id, "internal": input.internal }),
                        internal: input.internal,
                        now,
                    },
                )?;
                // The assignee's public word to the enterprise is the progress feedback owed.
                if !input.internal && ticket.assignee_id == Some(caller.user_id()) {
                    let at = Moment { now, reckon: &reckoning.working_time() };
                    breaches::pay_feedback(c, ticket.id, at)?;
                }
                Ok::<_, Error>(comment)
            })
        })
        .await
}

/// The one event of a step that is not a move of the lifecycle (a request for more time, an
/// assisting task, a supervision order): no status change; `internal` ones never reach the
/// enterprise.
pub fn record_step(
    c: &mut DbConnection,
    actor: &Principal,
    ticket_id: TicketId,
    action: Action,
    details: serde_json::Value,
    internal: bool,
    now: chrono::NaiveDateTime,
) -> Result<(), DbError> {
    ticket_activity::insert_event(
        c,
        NewEvent {
            ticket_id,
            actor_id: Some(actor.user_id()),
            action: action.as_str(),
            from_status: None,
            to_status: None,
            details,
            internal,
            now,
        },
    )
}

/// How a ticket's comments or events are read: ticket, whether internal ones are included, page.
type Reader<T> =
    fn(&mut DbConnection, TicketId, bool, &PageRequest<i64>) -> Result<Vec<T>, DbError>;

/// One page of a ticket's comments or events, for a caller who may see the ticket; internal
/// ones only for the government side.
async fn list<T: Send + 'static>(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    page: PageRequest<i64>,
    read: Reader<T>,
    id: fn(&T) -> i64,
) -> Result<Page<T>, Error> {
    let caller = caller.clone();
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| {
            visible_ticket(conn, &caller, ticket_id)?;
            let internal = policy::sees_internal(&caller);
            Ok::<_, Error>(read(conn, ticket_id, internal, &request)?)
        })
        .await?;
    Ok(Page::from_rows(rows, &page, id))
}

pub async fn list_comments(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    page: PageRequest<i64>,
) -> Result<Page<Comment>, Error> {
    list(
        state,
        caller,
        ticket_id,
        page,
        ticket_activity::list_comments,
        |c| c.id,
    )
    .await
}

pub async fn list_events(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    page: PageRequest<i64>,
) -> Result<Page<Event>, Error> {
    list(
        state,
        caller,
        ticket_id,
        page,
        ticket_activity::list_events,
        |e| e.id,
    )
    .await
}
