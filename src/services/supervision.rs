//! Supervision orders (督办, SPEC section 10): a supervisor covering a ticket's county, typically
//! from a higher level, presses its assignee with an instruction and a deadline in working time
//! (default 2 working days); the assignee answers. The ticket is `supervised` while an order is
//! open, and the statistics count tickets given at least one (`supervised`): both are columns
//! of the ticket, changed by a versioned update that keeps the counters exact, in the same
//! transaction as the order and its event. The events are internal: oversight is the
//! government's own.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::api::supervision::{
    IssueSupervision, RespondSupervision, Supervision as View, SupervisionState,
};
use crate::auth::{Principal, policy};
use crate::db::supervisions::{self, NewSupervision, Supervision, SupervisionFilter};
use crate::db::tickets::{Ticket, TicketChanges};
use crate::db::{DbConnection, write_transaction};
use crate::domain::ids::{SupervisionId, TicketId};
use crate::domain::page::{Page, PageRequest};
use crate::domain::region::RegionCode;
use crate::domain::sla;
use crate::domain::text::{LongText, ShortText};
use crate::domain::ticket::{Action, SupervisionStatus};
use crate::domain::time;
use crate::domain::working_time::{Duration, DurationUnit};
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::ticket_activity::record_step;
use crate::services::ticket_moves::{Precondition, retrying, write_versioned};
use crate::services::tickets::visible_ticket;
use crate::state::AppState;

/// How long an assignee has to answer when the order does not say: 2 working days.
pub fn default_respond_within() -> Duration {
    Duration::new(2, DurationUnit::WorkingDays).expect("2 working days is a duration")
}

/// Writes the ticket's order counts as read plus `open` and `issued`, keeping the statistics
/// exact; `None` when the periodic job changed the ticket under it (read again).
fn count_orders(
    c: &mut DbConnection,
    ticket: &Ticket,
    open: i32,
    issued: i32,
    now: NaiveDateTime,
) -> Result<Option<Ticket>, Error> {
    let changes = TicketChanges {
        open_supervisions: Some(ticket.open_supervisions + open),
        supervision_count: Some(ticket.supervision_count + issued),
        updated_at: Some(now),
        ..TicketChanges::default()
    };
    // The colour is as counted: an order changes none of the ticket's deadlines.
    let counted = sla::counted(ticket.status.clocks_run(), now, &ticket.deadlines());
    write_versioned(c, ticket, changes, counted, Precondition::None)
}

pub async fn issue(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    input: IssueSupervision,
) -> Result<View, Error> {
    let mut errors = FieldErrors::default();
    let instruction = errors.check("instruction", ShortText::parse(&input.instruction));
    let instruction: String = errors.finish(instruction)?.into();
    let within = input.respond_within.unwrap_or_else(default_respond_within);
    let now = state.clock.now();
    let reckoning = state.reckoning()?;
    let respond_by = reckoning.working_time().due(now, within);
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                retrying(c, |c| {
                    let (ticket, facts) = visible_ticket(c, &caller, ticket_id)?;
                    policy::issue_supervision(&caller, &facts)?;
                    if !ticket.status.is_open() {
                        return Err(Error::Conflict(format!(
                            "cannot supervise a ticket that is {}",
                            ticket.status.as_str()
                        )));
                    }
                    if count_orders(c, &ticket, 1, 1, now)?.is_none() {
                        return Ok(None);
                    }
                    let order = supervisions::insert(
                        c,
                        &NewSupervision {
                            ticket_id,
                            county_code: &ticket.county_code,
                            issued_by: caller.user_id(),
                            instruction: &instruction,
                            issued_at: now,
                            respond_by,
                            status: SupervisionStatus::Open,
                        },
                    )?;
                    let details = json!({
                        "supervision_id": order.id,
                        "instruction": instruction,
                        "respond_by": time::rfc3339(&respond_by),
                        "level": ticket.level,
                    });
                    record_step(
                        c,
                        &caller,
                        ticket_id,
                        Action::SupervisionIssued,
                        details,
                        true,
                        now,
                    )?;
                    Ok(Some(View::new(order, now)))
                })
            })
        })
        .await
}

pub async fn respond(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    id: SupervisionId,
    input: RespondSupervision,
) -> Result<View, Error> {
    let response: String = LongText::parse(&input.response)
        .map_err(|why| Error::invalid("response", why))?
        .into();
    let now = state.clock.now();
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                retrying(c, |c| {
                    let (ticket, facts) = visible_ticket(c, &caller, ticket_id)?;
                    policy::read_coordination(&caller, &facts)?;
                    let order = supervisions::find(c, ticket_id, id)
                        .or_not_found("no such supervision order of this ticket")?;
                    policy::answer_supervision(&caller, &facts)?;
                    if order.status != SupervisionStatus::Open {
                        return Err(Error::Conflict(
                            "the supervision order is answered already".into(),
                        ));
                    }
                    if count_orders(c, &ticket, -1, 0, now)?.is_none() {
                        return Ok(None);
                    }
                    let answered = supervisions::answer(c, id, caller.user_id(), &response, now)?
                        .ok_or_else(|| {
                        Error::Conflict("the supervision order was answered meanwhile".into())
                    })?;
                    let details = json!({
                        "supervision_id": id,
                        "response": response,
                        "overdue": now > order.respond_by,
                    });
                    record_step(
                        c,
                        &caller,
                        ticket_id,
                        Action::SupervisionAnswered,
                        details,
                        true,
                        now,
                    )?;
                    Ok(Some(View::new(answered, now)))
                })
            })
        })
        .await
}

/// One page of a ticket's orders, oldest first, for the government side of whoever may see it.
pub async fn list_for_ticket(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    page: PageRequest<i64>,
) -> Result<Page<View>, Error> {
    let now = state.clock.now();
    let caller = caller.clone();
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| {
            let (_, facts) = visible_ticket(conn, &caller, ticket_id)?;
            policy::read_coordination(&caller, &facts)?;
            Ok::<_, Error>(supervisions::list_for_ticket(conn, ticket_id, &request)?)
        })
        .await?;
    Ok(Page::from_rows(rows, &page, |s: &Supervision| s.id.get()).map(|s| View::new(s, now)))
}

/// The supervisors' list: one page of the orders on tickets of `region` (checked against the
/// caller's scope), oldest first.
pub async fn list(
    state: &AppState,
    caller: &Principal,
    region: Option<RegionCode>,
    status: Option<SupervisionState>,
    page: PageRequest<i64>,
) -> Result<Page<View>, Error> {
    let counties = policy::read_supervision_list(caller, region.as_ref())?;
    let now = state.clock.now();
    let filter = match status {
        None => SupervisionFilter::All,
        Some(SupervisionState::Open) => SupervisionFilter::Open,
        Some(SupervisionState::Answered) => SupervisionFilter::Answered,
        Some(SupervisionState::Overdue) => SupervisionFilter::OverdueAt(now),
    };
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| supervisions::list_in(conn, &counties, filter, &request))
        .await?;
    Ok(Page::from_rows(rows, &page, |s: &Supervision| s.id.get()).map(|s| View::new(s, now)))
}
