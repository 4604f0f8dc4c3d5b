//! Moving tickets through their lifecycle: one versioned update and one event per move, in
//! one transaction, so of any number of concurrent moves on a ticket exactly one wins.

use chrono::NaiveDateTime;

use crate::auth::{Principal, policy};
use crate::db::ticket_activity::{self, NewEvent};
use crate::db::tickets::{self, Ticket, TicketChanges};
use crate::db::{DbConnection, collaborators, counters, write_transaction};
use crate::domain::ids::{TicketId, UserId};
use crate::domain::rollup::{Counters, WarningCounts};
use crate::domain::sla;
use crate::domain::text::{LongText, ShortText};
use crate::domain::ticket::{self as lifecycle, Action, Status};
use crate::domain::timing::Move;
use crate::domain::working_time::WorkingTime;
use crate::error::{Error, FieldErrors};
use crate::services::breaches;
use crate::services::tickets::{TicketNow, check_assignee, visible_ticket};
use crate::state::AppState;

/// An [`Action`] of the lifecycle with the input it carries (a move of the ticket).
#[derive(Debug)]
pub enum ActionInput {
    /// To a cadre at the ticket's level; with `delegate`, to a cadre of a lower level whose
    /// region holds the county, the ticket keeping its level (SPEC section 10).
    Assign {
        assignee_id: UserId,
        delegate: bool,
    },
    Accept,
    Escalate {
        reason: String,
    },
    Resolve {
        resolution: String,
    },
    Confirm {
        rating: i32,
        comment: Option<String>,
    },
    Reopen {
        reason: String,
    },
    Withdraw {
        reason: String,
    },
    AutoClose,
    /// The assignee asks the enterprise; the ticket waits for the answer.
    RequestInfo {
        question: String,
    },
    ProvideInfo {
        answer: String,
    },
    /// The assignee sends it back to dispatch at the same level.
    Return {
        reason: String,
    },
}

impl ActionInput {
    fn action(&self) -> Action {
        match self {
            ActionInput::Assign { .. } => Action::Assign,
            ActionInput::Accept => Action::Accept,
            ActionInput::Escalate { .. } => Action::Escalate,
            ActionInput::Resolve { .. } => Action::Resolve,
            ActionInput::Confirm { .. } => Action::Confirm,
            ActionInput::Reopen { .. } => Action::Reopen,
            ActionInput::Withdraw { .. } => Action::Withdraw,
            ActionInput::AutoClose => Action::AutoClose,
            ActionInput::RequestInfo { .. } => Action::RequestInfo,
            ActionInput::ProvideInfo { .. } => Action::ProvideInfo,
            ActionInput::Return { .. } => Action::Return,
        }
    }

    /// Checks and tidies what the move carries (422 naming the field).
    fn validated(self) -> Result<ActionInput, Error> {
        let mut errors = FieldErrors::default();
        let moved = match self {
            ActionInput::Escalate { reason } => errors
                .check("reason", ShortText::parse(&reason))
                .map(|reason| ActionInput::Escalate {
                    reason: reason.into(),
                }),
            ActionInput::Reopen { reason } => errors
                .check("reason", ShortText::parse(&reason))
                .map(|reason| ActionInput::Reopen {
                    reason: reason.into(),
                }),
            ActionInput::Withdraw { reason } => errors
                .check("reason", ShortText::parse(&reason))
                .map(|reason| ActionInput::Withdraw {
                    reason: reason.into(),
                }),
            ActionInput::Return { reason } => errors
                .check("reason", ShortText::parse(&reason))
                .map(|reason| ActionInput::Return {
                    reason: reason.into(),
                }),
            ActionInput::Resolve { resolution } => errors
                .check("resolution", LongText::parse(&resolution))
                .map(|resolution| ActionInput::Resolve {
                    resolution: resolution.into(),
                }),
            ActionInput::RequestInfo { question } => errors
                .check("question", LongText::parse(&question))
                .map(|question| ActionInput::RequestInfo {
                    question: question.into(),
                }),
            ActionInput::ProvideInfo { answer } => errors
                .check("answer", LongText::parse(&answer))
                .map(|answer| ActionInput::ProvideInfo {
                    answer: answer.into(),
                }),
            ActionInput::Confirm { rating, comment } => {
                if !(1..=5).contains(&rating) {
                    errors.add("rating", "a whole number from 1 to 5");
                }
                let comment = errors.check(
                    "comment",
                    comment
                        .map(|c| ShortText::parse(&c).map(String::from))
                        .transpose(),
                );
                comment.map(|comment| ActionInput::Confirm { rating, comment })
            }
            other => Some(other),
        };
        errors.finish(moved)
    }

    /// What the event records besides the status change.
    fn details(&self, ticket: &Ticket, level_after: lifecycle::Level) -> serde_json::Value {
        use serde_json::json;
        match self {
            ActionInput::Assign {
                assignee_id,
                delegate,
            } => json!({ "assignee_id": assignee_id, "delegated": delegate }),
            ActionInput::Escalate { reason } => {
                json!({ "reason": reason, "from_level": ticket.level, "to_level": level_after })
            }
            ActionInput::Resolve { resolution } => json!({ "resolution": resolution }),
            ActionInput::Confirm { rating, comment } => {
                json!({ "rating": rating, "comment": comment })
            }
            ActionInput::Reopen { reason } | ActionInput::Withdraw { reason } => {
                json!({ "reason": reason })
            }
            ActionInput::Return { reason } => json!({ "reason": reason, "level": ticket.level }),
            ActionInput::RequestInfo { question } => json!({ "question": question }),
            ActionInput::ProvideInfo { answer } => json!({ "answer": answer }),
            ActionInput::Accept | ActionInput::AutoClose => json!({}),
        }
    }

    /// The public comment the move also is: the question, or the answer.
    fn comment(&self) -> Option<&str> {
        match self {
            ActionInput::RequestInfo { question } => Some(question),
            ActionInput::ProvideInfo { answer } => Some(answer),
            _ => None,
        }
    }

    /// The columns the move sets besides version, the warning count ([`write_versioned`] sets
    /// those) and the clocks (`Timing::after_move`): status, level, and what the move carries.
    fn changes(
        &self,
        ticket: &Ticket,
        status: Status,
        level: lifecycle::Level,
        now: NaiveDateTime,
    ) -> TicketChanges {
        let mut changes = TicketChanges {
            status: Some(status),
            level: Some(level),
            updated_at: Some(now),
            ..TicketChanges::default()
        };
        match self {
            ActionInput::Assign { assignee_id, .. } => {
                changes.assignee_id = Some(Some(*assignee_id))
            }
            ActionInput::Escalate { .. } => changes.assignee_id = Some(None),
            ActionInput::Return { .. } => {
                changes.assignee_id = Some(None);
                changes.return_count = Some(ticket.return_count + 1);
            }
            ActionInput::Resolve { resolution } => {
                changes.first_resolved_at = Some(Some(ticket.first_resolved_at.unwrap_or(now)));
                changes.resolved_at = Some(Some(now));
                changes.resolution = Some(Some(resolution.clone()));
            }
            ActionInput::Confirm { rating, .. } => {
                changes.closed_at = Some(Some(now));
                changes.rating = Some(Some(*rating));
            }
            ActionInput::AutoClose => changes.closed_at = Some(Some(now)),
            ActionInput::Reopen { .. } => {
                changes.resolved_at = Some(None);
                changes.reopen_count = Some(ticket.reopen_count + 1);
            }
            ActionInput::Accept
            | ActionInput::Withdraw { .. }
            | ActionInput::RequestInfo { .. }
            | ActionInput::ProvideInfo { .. } => {}
        }
        changes
    }
}

/// An `If-Match` precondition: the ETag (version) the client last saw.
#[derive(Debug, Clone, Copy)]
pub enum Precondition {
    None,
    Version(i32),
    /// A header that names no version this service gave out: it cannot match.
    Unmatchable,
}

/// Applies `mv` to ticket `id` inside a transaction. `actor` is `None` for the service itself.
/// Clocks that ran out before the move are recorded first (see `domain::breach`).
pub fn apply(
    conn: &mut DbConnection,
    actor: Option<&Principal>,
    id: TicketId,
    mv: &ActionInput,
    precondition: Precondition,
    at: Moment,
) -> Result<Ticket, Error> {
    write_transaction(conn, |c| {
        retrying(c, |c| attempt(c, actor, id, mv, precondition, at))
    })
}

/// Runs `attempt` (a read of a ticket, then [`write_versioned`]) until it writes. The periodic
/// job may move the ticket's warning count on, or record a missed clock, between the read and
/// the write (a few times at most); `attempt` answers `None` then, and reads again.
pub fn retrying<T>(
    c: &mut DbConnection,
    mut attempt: impl FnMut(&mut DbConnection) -> Result<Option<T>, Error>,
) -> Result<T, Error> {
    for _ in 0..4 {
        if let Some(done) = attempt(c)? {
            return Ok(done);
        }
    }
    Err(Error::Conflict(
        "the ticket kept changing; reload it and try again".into(),
    ))
}

/// Writes `changes` to the ticket as it was `read`, as one versioned update, with the warning
/// count as of the change (`counted`), and keeps the statistics exact in the same transaction:
/// the period counters by the difference the change makes to the ticket's counted facts, the
/// warning counts by the change of its counted colour. `None` when only its warning count
/// or its missed clocks changed since the read (read it again: see [`retrying`]); a lost race with another change
/// answers 409, or 412 under an `If-Match`.
pub fn write_versioned(
    c: &mut DbConnection,
    read: &Ticket,
    mut changes: TicketChanges,
    counted: sla::Counted,
    precondition: Precondition,
) -> Result<Option<Ticket>, Error> {
    changes.counted_warning = Some(counted.warning);
    changes.counted_until = Some(counted.until);
    let Some(updated) = tickets::update_as_read(c, read, &changes)? else {
        if tickets::find(c, read.id)?.version == read.version {
            return Ok(None);
        }
        let detail = "another change to this ticket came first; reload it and try again";
        return Err(match precondition {
            Precondition::Version(_) => Error::PreconditionFailed(detail.into()),
            _ => Error::Conflict(detail.into()),
        });
    };
    let change = Counters::change(Some(&read.counted_facts()), &updated.counted_facts());
    counters::record(c, updated.id, updated.counter_keys(), change)?;
    let colours = WarningCounts::change(read.counted_warning, counted.warning);
    counters::record_warning(c, &updated.category, &updated.county_code, colours)?;
    Ok(Some(updated))
}

/// When a move happens, and the working time its clocks are reckoned in.
#[derive(Clone, Copy)]
pub struct Moment<'a> {
    pub now: NaiveDateTime,
    pub reckon: &'a WorkingTime<'a>,
}

/// One try of [`apply`]: `None` when only the service's bookkeeping changed under it.
fn attempt(
    c: &mut DbConnection,
    actor: Option<&Principal>,
    id: TicketId,
    mv: &ActionInput,
    precondition: Precondition,
    Moment { now, reckon }: Moment,
) -> Result<Option<Ticket>, Error> {
    let (ticket, facts) = match actor {
        Some(caller) => visible_ticket(c, caller, id)?,
        None => {
            let ticket = tickets::find(c, id)?;
            let facts = ticket.facts(Default::default());
            (ticket, facts)
        }
    };
    match precondition {
        Precondition::Version(v) if v == ticket.version => {}
        Precondition::None => {}
        _ => {
            return Err(Error::PreconditionFailed(format!(
                "the ticket has changed; its current ETag is \"{}\"",
                ticket.version
            )));
        }
    }
    if let Some(caller) = actor {
        policy::move_ticket(caller, mv.action(), &facts)?;
    }
    let (status, level) =
        lifecycle::transition(mv.action(), ticket.status, ticket.level, &facts.county)
            .map_err(|e| Error::Conflict(e.to_string()))?;
    match mv {
        ActionInput::Assign {
            assignee_id,
            delegate,
        } => check_assignee(c, &ticket, *assignee_id, *delegate)?,
        ActionInput::Resolve { .. } => no_open_tasks(c, &ticket)?,
        _ => {}
    }
    let mut timing = ticket.timing();
    let clocks_move = Move {
        to: status,
        responds: matches!(mv, ActionInput::Accept | ActionInput::Resolve { .. }),
        asks: matches!(mv, ActionInput::RequestInfo { .. }),
    };
    let missed = timing.after_move(clocks_move, now, &ticket.terms(), reckon);
    let changes = mv.changes(&ticket, status, level, now).timing(&timing);
    let counted = sla::counted(status.clocks_run(), now, &timing.deadlines);
    let Some(updated) = write_versioned(c, &ticket, changes, counted, precondition)? else {
        return Ok(None);
    };
    breaches::write_events(c, id, &missed, now)?;
    let mut details = mv.details(&ticket, level);
    if let (Some(body), Some(author)) = (mv.comment(), actor) {
        let comment = ticket_activity::insert_comment(c, id, author.user_id(), body, false, now)?;
        details["comment_id"] = comment.id.into();
    }
    ticket_activity::insert_event(
        c,
        NewEvent {
            ticket_id: id,
            actor_id: actor.map(|a| a.user_id()),
            action: mv.action().as_str(),
            from_status: Some(ticket.status.as_str()),
            to_status: Some(status.as_str()),
            details,
            internal: false,
            now,
        },
    )?;
    Ok(Some(updated))
}

/// A ticket is resolved only once its assisting cadres (协办) have done their tasks: 409
/// naming those still open.
fn no_open_tasks(c: &mut DbConnection, ticket: &Ticket) -> Result<(), Error> {
    let open = collaborators::open_of_ticket(c, ticket.id)?;
    if open.is_empty() {
        return Ok(());
    }
    let tasks: Vec<String> = open
        .iter()
        .map(|(task, name)| format!("{name} ({}): {}", task.user_id, task.task))
        .collect();
    Err(Error::Conflict(format!(
        "cannot resolve while assisting tasks are open: {}",
        tasks.join("; ")
    )))
}

/// A caller's move, from the API.
pub async fn move_ticket(
    state: &AppState,
    caller: &Principal,
    id: TicketId,
    mv: ActionInput,
    precondition: Precondition,
) -> Result<TicketNow, Error> {
    let mv = mv.validated()?;
    let now = state.clock.now();
    let reckoning = state.reckoning()?;
    let caller = caller.clone();
    let (ticket, active) = state
        .db
        .run(move |conn| {
            let at = Moment {
                now,
                reckon: &reckoning.working_time(),
            };
            let ticket = apply(conn, Some(&caller), id, &mv, precondition, at)?;
            let active = super::tickets::enterprise_active(conn, &ticket)?;
            Ok::<_, Error>((ticket, active))
        })
        .await?;
    Ok(TicketNow::new(ticket, now, active))
}

/// Closes tickets left resolved past the confirmation window. Safe with many instances: each
/// close is a versioned move, so a ticket another instance closed first is skipped.
pub fn auto_close(
    conn: &mut DbConnection,
    at: Moment,
    window: chrono::TimeDelta,
) -> Result<usize, Error> {
    let candidates = tickets::resolved_before(conn, at.now - window, 500)?;
    let mut closed = 0;
    for id in candidates {
        match apply(
            conn,
            None,
            id,
            &ActionInput::AutoClose,
            Precondition::None,
            at,
        ) {
            Ok(_) => closed += 1,
            // Closed, or reopened, by someone else since it was listed.
            Err(Error::Conflict(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(closed)
}
