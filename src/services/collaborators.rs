//! Assisting cadres (协办, SPEC section 10): the assignee or a supervisor covering a ticket asks
//! other cadres (of a region holding its county: the county's, the city's, the province's) to
//! help, each with a task; the cadre completes it with a note. A ticket is not resolved while a
//! task is open (`ticket_moves`). Each step writes one internal event: the coordination is the
//! government's own.

use serde_json::json;

use crate::api::collaborators::{AddCollaborator, Collaborator as CollaboratorView, CompleteTask};
use crate::auth::{Principal, policy};
use crate::db::collaborators::{self, Collaborator};
use crate::db::{Optional, users, write_transaction};
use crate::domain::ids::{TicketId, UserId};
use crate::domain::pairing::{assist_rule, may_assist};
use crate::domain::text::ShortText;
use crate::domain::ticket::{Action, TaskStatus};
use crate::error::{DbOutcome, Error};
use crate::services::ticket_activity::record_step;
use crate::services::tickets::visible_ticket;
use crate::state::AppState;

/// Assisting cadres one ticket may have: more is a roster, not a task force.
pub const MAX_PER_TICKET: usize = 50;
const NO_SUCH_COLLABORATOR: &str = "no such assisting cadre on this ticket";

/// The assignee or a covering supervisor adds an assisting cadre to an open ticket.
pub async fn add(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    input: AddCollaborator,
) -> Result<CollaboratorView, Error> {
    let task: String = ShortText::parse(&input.task)
        .map_err(|why| Error::invalid("task", why))?
        .into();
    let helper = UserId(input.user_id);
    let now = state.clock.now();
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let (ticket, facts) = visible_ticket(c, &caller, ticket_id)?;
                policy::manage_collaborators(&caller, &facts)?;
                if !ticket.status.is_open() {
                    return Err(Error::Conflict(format!(
                        "cannot ask for help on a ticket that is {}",
                        ticket.status.as_str()
                    )));
                }
                let cadre = users::find(c, helper).optional()?;
                let fits = cadre.as_ref().is_some_and(|u| {
                    may_assist(
                        u.role,
                        u.active,
                        u.region_code.as_ref(),
                        &ticket.county_code,
                    )
                });
                let Some(cadre) = cadre.filter(|_| fits) else {
                    return Err(Error::invalid("user_id", assist_rule(&ticket.county_code)));
                };
                if ticket.assignee_id == Some(helper) {
                    return Err(Error::invalid(
                        "user_id",
                        "the assignee works the ticket already",
                    ));
                }
                if collaborators::of_ticket(c, ticket_id)?.len() >= MAX_PER_TICKET {
                    return Err(Error::Conflict(format!(
                        "a ticket has at most {MAX_PER_TICKET} assisting cadres"
                    )));
                }
                let row = collaborators::insert(
                    c,
                    &Collaborator {
                        ticket_id,
                        user_id: helper,
                        county_code: ticket.county_code.clone(),
                        task: task.clone(),
                        status: TaskStatus::Open,
                        added_by: caller.user_id(),
                        added_at: now,
                        completed_at: None,
                        note: None,
                    },
                )
                .on_duplicate("that cadre assists this ticket already")?;
                let details = json!({ "user_id": helper, "task": task });
                record_step(
                    c,
                    &caller,
                    ticket.id,
                    Action::CollaboratorAdded,
                    details,
                    true,
                    now,
                )?;
                Ok(CollaboratorView::new(row, cadre.display_name))
            })
        })
        .await
}

/// A ticket's assisting cadres, for the government side of whoever may see it.
pub async fn list(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
) -> Result<Vec<CollaboratorView>, Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            let (_, facts) = visible_ticket(conn, &caller, ticket_id)?;
            policy::read_coordination(&caller, &facts)?;
            let rows = collaborators::of_ticket(conn, ticket_id)?;
            Ok(rows
                .into_iter()
                .map(|(row, name)| CollaboratorView::new(row, name))
                .collect())
        })
        .await
}

/// The assisting cadre reports their task done.
pub async fn complete(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    helper: UserId,
    input: CompleteTask,
) -> Result<CollaboratorView, Error> {
    let note: String = ShortText::parse(&input.note)
        .map_err(|why| Error::invalid("note", why))?
        .into();
    let now = state.clock.now();
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let (ticket, facts) = visible_ticket(c, &caller, ticket_id)?;
                policy::read_coordination(&caller, &facts)?;
                collaborators::find(c, ticket_id, helper).or_not_found(NO_SUCH_COLLABORATOR)?;
                policy::complete_task(&caller, &facts, helper)?;
                let row = collaborators::complete(c, ticket_id, helper, &note, now)?
                    .ok_or_else(|| Error::Conflict("the task is completed already".into()))?;
                let details = json!({ "user_id": helper, "note": note });
                record_step(
                    c,
                    &caller,
                    ticket.id,
                    Action::CollaboratorCompleted,
                    details,
                    true,
                    now,
                )?;
                let name = users::find(c, helper)?.display_name;
                Ok(CollaboratorView::new(row, name))
            })
        })
        .await
}

/// Whoever may add an assisting cadre removes one (their task open or done).
pub async fn remove(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    helper: UserId,
) -> Result<(), Error> {
    let now = state.clock.now();
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let (ticket, facts) = visible_ticket(c, &caller, ticket_id)?;
                policy::read_coordination(&caller, &facts)?;
                let task =
                    collaborators::find(c, ticket_id, helper).or_not_found(NO_SUCH_COLLABORATOR)?;
                policy::manage_collaborators(&caller, &facts)?;
                collaborators::remove(c, ticket_id, helper)?;
                let details =
                    json!({ "user_id": helper, "task": task.task, "status": task.status });
                record_step(
                    c,
                    &caller,
                    ticket.id,
                    Action::CollaboratorRemoved,
                    details,
                    true,
                    now,
                )?;
                Ok(())
            })
        })
        .await
}
