//! Requests for more time on a ticket (延期, SPEC section 9): the assignee of an open ticket
//! asks for 1 to 30 working days (one pending at a time); a supervisor covering the county, or
//! an administrator, never the one who asked, approves or rejects. An approval moves `due_at`
//! later by that many working days and the colours with it, as one versioned update of the
//! ticket that keeps the statistics exact (`ticket_moves::write_versioned`), in the same
//! transaction as the decision and its event. Each step writes one public event.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::api::extensions::{ApproveExtension, RejectExtension, RequestExtension};
use crate::auth::{Principal, policy};
use crate::db::extensions::{self, Decision, Extension, NewExtension};
use crate::db::tickets::{Ticket, TicketChanges};
use crate::db::{DbConnection, write_transaction};
use crate::domain::ids::TicketId;
use crate::domain::page::{Page, PageRequest};
use crate::domain::region::RegionCode;
use crate::domain::sla::{self, Thresholds};
use crate::domain::text::ShortText;
use crate::domain::ticket::{Action, ExtensionStatus, MAX_EXTENSION_DAYS};
use crate::domain::time;
use crate::domain::working_time::{Duration, DurationUnit, WorkingTime};
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::breaches;
use crate::services::ticket_activity::record_step;
use crate::services::ticket_moves::{Precondition, retrying, write_versioned};
use crate::services::tickets::visible_ticket;
use crate::state::AppState;

/// The assignee asks for more time on an open ticket.
pub async fn request(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    input: RequestExtension,
) -> Result<Extension, Error> {
    let mut errors = FieldErrors::default();
    if !(1..=MAX_EXTENSION_DAYS).contains(&input.working_days) {
        errors.add(
            "working_days",
            format!("a whole number from 1 to {MAX_EXTENSION_DAYS}"),
        );
    }
    let reason = errors.check("reason", ShortText::parse(&input.reason));
    let reason: String = errors.finish(reason)?.into();
    let days = input.working_days;
    let now = state.clock.now();
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let (ticket, facts) = visible_ticket(c, &caller, ticket_id)?;
                policy::request_extension(&caller, &facts)?;
                if !ticket.status.is_open() {
                    return Err(Error::Conflict(format!(
                        "cannot ask for more time on a ticket that is {}",
                        ticket.status.as_str()
                    )));
                }
                let new = NewExtension {
                    ticket_id,
                    county_code: &ticket.county_code,
                    working_days: days,
                    reason: &reason,
                    status: ExtensionStatus::Pending,
                    requested_by: caller.user_id(),
                    requested_at: now,
                };
                let extension = extensions::insert(c, &new)
                    .on_duplicate("the ticket has a request for more time pending already")?;
                let details = json!({ "extension_id": extension.id, "working_days": days });
                record_step(
                    c,
                    &caller,
                    ticket.id,
                    Action::ExtensionRequested,
                    details,
                    false,
                    now,
                )?;
                Ok(extension)
            })
        })
        .await
}

/// What a supervisor decides.
#[derive(Debug)]
pub enum Verdict {
    Approve(ApproveExtension),
    Reject(RejectExtension),
}

/// A decision with its comment checked.
struct ValidVerdict {
    approve: bool,
    comment: Option<String>,
}

impl Verdict {
    fn validated(self) -> Result<ValidVerdict, Error> {
        let (approve, comment) = match self {
            Verdict::Approve(a) => (true, a.comment),
            Verdict::Reject(r) => (false, Some(r.comment)),
        };
        let comment = comment
            .map(|c| ShortText::parse(&c).map(String::from))
            .transpose()
            .map_err(|why| Error::invalid("comment", why))?;
        Ok(ValidVerdict { approve, comment })
    }
}

/// A supervisor's (or an administrator's) decision on extension `extension_id` of a ticket.
pub async fn decide(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    extension_id: i64,
    verdict: Verdict,
) -> Result<Extension, Error> {
    let verdict = verdict.validated()?;
    let reckoning = state.reckoning()?;
    let thresholds = state.thresholds;
    let now = state.clock.now();
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                retrying(c, |c| {
                    let deciding = Deciding {
                        caller: &caller,
                        ticket_id,
                        extension_id,
                        now,
                        thresholds,
                    };
                    deciding.attempt(c, &verdict, &reckoning.working_time())
                })
            })
        })
        .await
}

/// One try of a decision on a pending extension.
struct Deciding<'a> {
    caller: &'a Principal,
    ticket_id: TicketId,
    extension_id: i64,
    now: NaiveDateTime,
    thresholds: Thresholds,
}

impl Deciding<'_> {
    /// `None` when only the ticket's warning count changed under an approval (try again).
    fn attempt(
        &self,
        c: &mut DbConnection,
        verdict: &ValidVerdict,
        reckoner: &WorkingTime,
    ) -> Result<Option<Extension>, Error> {
        let (ticket, facts) = visible_ticket(c, self.caller, self.ticket_id)?;
        let extension = extensions::find(c, self.ticket_id, self.extension_id)
            .or_not_found("no such extension of this ticket")?;
        policy::decide_extension(self.caller, &facts, extension.requested_by)?;
        if extension.status != ExtensionStatus::Pending {
            return Err(Error::Conflict(format!(
                "the request for more time is already {}",
                extension.status.as_str()
            )));
        }
        let mut details = json!({
            "extension_id": extension.id,
            "working_days": extension.working_days,
        });
        let (status, action) = if verdict.approve {
            let Some(moved) = self.extend(c, &ticket, &extension, reckoner)? else {
                return Ok(None);
            };
            details["due_at_before"] = time::rfc3339(&ticket.due_at).into();
            details["due_at_after"] = time::rfc3339(&moved.due_at).into();
            (ExtensionStatus::Approved, Action::ExtensionApproved)
        } else {
            (ExtensionStatus::Rejected, Action::ExtensionRejected)
        };
        let decision = Decision {
            status,
            decided_by: self.caller.user_id(),
            decided_at: self.now,
            comment: verdict.comment.as_deref(),
        };
        let decided = extensions::decide(c, extension.id, &decision)?.ok_or_else(|| {
            Error::Conflict("the request for more time was decided meanwhile".into())
        })?;
        record_step(c, self.caller, ticket.id, action, details, false, self.now)?;
        Ok(Some(decided))
    }

    /// Moves the open ticket's due time later by the extension's working days, and its
    /// colours so that they measure the new window from filing, in its resolve clock's unit.
    fn extend(
        &self,
        c: &mut DbConnection,
        ticket: &Ticket,
        extension: &Extension,
        reckoner: &WorkingTime,
    ) -> Result<Option<Ticket>, Error> {
        if !ticket.status.is_open() {
            return Err(Error::Conflict(format!(
                "cannot extend a ticket that is {}",
                ticket.status.as_str()
            )));
        }
        let days = u32::try_from(extension.working_days)
            .ok()
            .and_then(|n| Duration::new(n, DurationUnit::WorkingDays))
            .ok_or_else(|| {
                Error::Internal(anyhow::anyhow!(
                    "extension {} holds {} working days",
                    extension.id,
                    extension.working_days
                ))
            })?;
        let mut timing = ticket.timing();
        // Clocks that ran out before the approval are recorded first; the resolve clock then
        // runs to the new due time.
        let missed = timing.extend(days, self.now, &ticket.terms(), reckoner, self.thresholds);
        let counted = sla::counted(ticket.status.clocks_run(), self.now, &timing.deadlines);
        let changes = TicketChanges {
            updated_at: Some(self.now),
            ..TicketChanges::default()
        }
        .timing(&timing);
        let moved = write_versioned(c, ticket, changes, counted, Precondition::None)?;
        if moved.is_some() {
            breaches::write_events(c, ticket.id, &missed, self.now)?;
        }
        Ok(moved)
    }
}

/// One page of a ticket's extensions, oldest first, for whoever may see the ticket.
pub async fn list_for_ticket(
    state: &AppState,
    caller: &Principal,
    ticket_id: TicketId,
    page: PageRequest<i64>,
) -> Result<Page<Extension>, Error> {
    let caller = caller.clone();
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| {
            let (_, facts) = visible_ticket(conn, &caller, ticket_id)?;
            policy::read_extensions(&caller, &facts)?;
            Ok::<_, Error>(extensions::list_for_ticket(conn, ticket_id, &request)?)
        })
        .await?;
    Ok(Page::from_rows(rows, &page, |e| e.id))
}

/// The approval queue: one page of the extensions of tickets in `region` (checked against the
/// caller's scope), of `status` when given, oldest first.
pub async fn queue(
    state: &AppState,
    caller: &Principal,
    status: Option<ExtensionStatus>,
    region: Option<RegionCode>,
    page: PageRequest<i64>,
) -> Result<Page<Extension>, Error> {
    let counties = policy::read_extension_queue(caller, region.as_ref())?;
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| extensions::list_in(conn, &counties, status, &request))
        .await?;
    Ok(Page::from_rows(rows, &page, |e| e.id))
}
