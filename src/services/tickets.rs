//! Filing, reading and listing tickets.

use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

use crate::api::tickets::FileTicket;
use crate::auth::Principal;
use crate::auth::policy;
use crate::config::LimitSettings;
use crate::db::tickets::{
    FilingRecords, NewTicket, Sort, Ticket, TicketFilter, next_breach_column,
};
use crate::db::{
    DbConnection, DbError, Optional, categories, collaborators, enterprises, idempotency, pairings,
    tickets, users,
};
use crate::domain::access::{CadreRelation, TicketFacts};
use crate::domain::breach::{Clock, ClockState};
use crate::domain::ids::{EnterpriseId, TicketId, UserId};
use crate::domain::page::{Page, PageError, PageRequest};
use crate::domain::region::RegionCode;
use crate::domain::role::Role;
use crate::domain::rollup::{CountedFacts, Counters, Month};
use crate::domain::sla::{self, Thresholds, Warning};
use crate::domain::text::{LongText, Title};
use crate::domain::ticket::{Level, Priority, Status};
use crate::domain::time;
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::pairings::can_assist;
use crate::state::{AppState, Reckoning};

/// A ticket as a use case answers it: the ticket, its warning colour now, and whether its
/// enterprise is still active (`api::tickets::TicketView` shows it).
#[derive(Debug)]
pub struct TicketNow {
    pub ticket: Ticket,
    pub warning: Option<Warning>,
    pub enterprise_active: bool,
}

impl TicketNow {
    pub fn new(ticket: Ticket, now: NaiveDateTime, enterprise_active: bool) -> TicketNow {
        let warning = sla::warning(ticket.status.clocks_run(), now, &ticket.deadlines());
        TicketNow {
            ticket,
            warning,
            enterprise_active,
        }
    }
}

/// Whether the enterprise of `ticket` is active.
pub fn enterprise_active(conn: &mut DbConnection, ticket: &Ticket) -> Result<bool, DbError> {
    Ok(enterprises::inactive_among(conn, &[ticket.enterprise_id])?.is_empty())
}

/// What a filing answered: the ticket, and whether it is a replay of an earlier request.
pub struct FilingOutcome {
    pub ticket: TicketNow,
    pub replayed: bool,
}

/// Files a ticket for the caller's enterprise, assigned to its primary cadre when it has one.
/// With an idempotency key, a retry of the same request returns the first ticket.
pub async fn file_ticket(
    state: &AppState,
    caller: &Principal,
    input: FileTicket,
    idempotency_key: Option<String>,
) -> Result<FilingOutcome, Error> {
    let enterprise_id = policy::file_ticket(caller)?;
    let now = state.clock.now();
    let request = ValidFileTicket::validate(input, idempotency_key)?;
    let context = Filer {
        enterprise_id,
        user_id: caller.user_id(),
        now,
        month: Month::of(now, state.timezone),
        thresholds: state.thresholds,
        limits: state.limits.clone(),
        reckoning: state.reckoning()?,
    };
    let filing = move |c: &mut DbConnection| write(c, &context, &request);
    // Two filings racing with one key: the loser's key insert fails as a duplicate once the
    // winner commits; running again finds the winner's ticket.
    let result = match state.db.run(filing.clone()).await {
        Err(Error::Conflict(_)) => state.db.run(filing).await,
        other => other,
    };
    let (ticket, replayed) = result?;
    Ok(FilingOutcome {
        // A deactivated enterprise's tokens are revoked, and its filings refused.
        ticket: TicketNow::new(ticket, now, true),
        replayed,
    })
}

/// A [`FileTicket`] whose texts and idempotency key passed validation.
#[derive(Clone)]
struct ValidFileTicket {
    input: FileTicket,
    title: Title,
    description: LongText,
    /// The idempotency key, when the client sent one.
    key: Option<String>,
    /// The digest of the request, which a replay with the same key must match.
    hash: String,
}

impl ValidFileTicket {
    fn validate(input: FileTicket, key: Option<String>) -> Result<ValidFileTicket, Error> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", Title::parse(&input.title));
        let description = errors.check("description", LongText::parse(&input.description));
        if let Some(key) = &key
            && (key.is_empty() || key.len() > 255)
        {
            errors.add("Idempotency-Key", "1 to 255 characters");
        }
        let (title, description) = errors.finish(title.zip(description))?;
        let hash = hex::encode(Sha256::digest(
            serde_json::to_vec(&input).expect("serialises"),
        ));
        Ok(ValidFileTicket {
            title,
            description,
            input,
            key,
            hash,
        })
    }
}

/// Who files, when, and under which settings.
#[derive(Clone)]
struct Filer {
    enterprise_id: EnterpriseId,
    user_id: UserId,
    now: NaiveDateTime,
    /// The programme-time month of filing.
    month: Month,
    thresholds: Thresholds,
    limits: LimitSettings,
    /// What the deadlines are reckoned with (no read of the stored calendar on the filing path).
    reckoning: Reckoning,
}

/// The filing itself: reads first, then every write in one go (see `tickets::file`). Returns
/// the ticket, and whether it is the one an earlier request with the same key filed.
fn write(
    c: &mut DbConnection,
    context: &Filer,
    request: &ValidFileTicket,
) -> Result<(Ticket, bool), Error> {
    if let Some(key) = &request.key
        && let Some((hash, ticket_id)) = idempotency::find(c, context.user_id, key)?
    {
        if hash != request.hash {
            return Err(Error::invalid(
                "Idempotency-Key",
                "this key was used for a different request",
            ));
        }
        return Ok((tickets::find(c, ticket_id)?, true));
    }
    let (new, counters) = new_ticket(c, context, request)?;
    let filing = FilingRecords {
        month: context.month,
        details: serde_json::json!({ "assignee_id": new.assignee_id }),
        counters,
        idempotency: request.key.as_deref().map(|k| (k, request.hash.as_str())),
    };
    Ok((tickets::file(c, &new, &filing)?, false))
}

/// The new ticket, and what it adds to the statistics; refused when the enterprise is
/// deactivated, over its quota, or the category is not an active one.
fn new_ticket(
    c: &mut DbConnection,
    context: &Filer,
    request: &ValidFileTicket,
) -> Result<(NewTicket, Counters), Error> {
    let Filer {
        enterprise_id, now, ..
    } = *context;
    let (enterprise, primary) = enterprises::find_with_primary_cadre(c, enterprise_id)?;
    // A primary who may no longer assist the enterprise (inactive, no longer a cadre, moved
    // away) gets nothing: the ticket waits for dispatch.
    let assignee = primary
        .filter(|cadre| can_assist(cadre, &enterprise.county_code))
        .map(|cadre| cadre.id);
    if !enterprise.active {
        return Err(Error::Forbidden("the enterprise is deactivated".into()));
    }
    super::quota::check_filing(c, &context.limits, enterprise_id, now)?;
    let category = categories::find(c, &request.input.category)?
        .filter(|cat| cat.active)
        .ok_or_else(|| Error::invalid("category", "no such active category"))?;
    let priority = request.input.priority.unwrap_or(Priority::Normal);
    let clocks = category.sla().clocks(priority);
    let reckoner = context.reckoning.working_time();
    let deadlines = sla::deadlines(now, &clocks, &reckoner, context.thresholds);
    let status = if assignee.is_some() {
        Status::Assigned
    } else {
        Status::Submitted
    };
    let counters = Counters::change(
        None,
        &CountedFacts {
            status,
            created_at: now,
            due_at: deadlines.due_at,
            first_resolved_at: None,
            rating: None,
            response_due_at: deadlines.response_due_at,
            first_response_at: None,
            feedback_breaches: 0,
            original_due_at: deadlines.due_at,
            supervision_count: 0,
            return_count: 0,
        },
    );
    let new = NewTicket {
        enterprise_id,
        county_code: enterprise.county_code,
        category: category.code,
        priority,
        title: request.title.clone().into(),
        description: request.description.clone().into(),
        status,
        level: Level::County,
        assignee_id: assignee,
        filed_by: context.user_id,
        response_due_at: deadlines.response_due_at,
        due_at: deadlines.due_at,
        yellow_at: deadlines.yellow_at,
        orange_at: deadlines.orange_at,
        red_at: deadlines.red_at,
        created_at: now,
        updated_at: now,
        counted_until: deadlines.yellow_at,
        feedback_sla: clocks.feedback.to_string(),
        resolve_unit: clocks.resolve.unit(),
        next_breach_at: next_breach_column(&ClockState::filed(status, &deadlines)),
        original_due_at: deadlines.due_at,
    };
    Ok((new, counters))
}

/// Loads a ticket the caller may see, with the facts the policy needs; 404 otherwise.
pub fn visible_ticket(
    conn: &mut DbConnection,
    caller: &Principal,
    id: TicketId,
) -> Result<(Ticket, TicketFacts), Error> {
    let ticket = tickets::find(conn, id).or_not_found("no such ticket")?;
    // Only a cadre who is not the assignee needs their ties to it looked up.
    let relation = if caller.role() == Role::Cadre && ticket.assignee_id != Some(caller.user_id()) {
        CadreRelation {
            paired: pairings::is_paired(conn, ticket.enterprise_id, caller.user_id())?,
            collaborating: collaborators::is_collaborating(conn, ticket.id, caller.user_id())?,
        }
    } else {
        CadreRelation::default()
    };
    let facts = ticket.facts(relation);
    policy::read_ticket(caller, &facts)?;
    Ok((ticket, facts))
}

pub async fn get_ticket(
    state: &AppState,
    caller: &Principal,
    id: TicketId,
) -> Result<TicketNow, Error> {
    let caller = caller.clone();
    let (ticket, active) = state
        .db
        .run(move |conn| {
            let (ticket, _) = visible_ticket(conn, &caller, id)?;
            let active = enterprise_active(conn, &ticket)?;
            Ok::<_, Error>((ticket, active))
        })
        .await?;
    Ok(TicketNow::new(ticket, state.clock.now(), active))
}

/// The query of the ticket list, as parsed from the request.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub statuses: Vec<Status>,
    pub category: Option<String>,
    pub priority: Option<Priority>,
    pub region: Option<RegionCode>,
    /// `Some(None)` for `me`.
    pub assignee: Option<Option<UserId>>,
    pub warning: Option<Warning>,
    pub filed_from: Option<NaiveDate>,
    pub filed_to: Option<NaiveDate>,
    pub sort: Option<Sort>,
    pub enterprise_active: Option<bool>,
    pub breached: Option<Clock>,
    pub supervised: Option<bool>,
    pub level: Option<Level>,
    /// Tickets a cadre assists: `Some(None)` for `me`.
    pub collaborating: Option<Option<UserId>>,
}

/// The keyset of a page: the sort it belongs to, then its last ticket's sort time and id.
type ListKey = (String, NaiveDateTime, i64);

pub async fn list_tickets(
    state: &AppState,
    caller: &Principal,
    query: ListQuery,
    page: PageRequest<ListKey>,
) -> Result<Page<TicketNow>, Error> {
    let now = state.clock.now();
    let sort = query.sort.unwrap_or(Sort::Filed);
    let sort_name = match sort {
        Sort::Filed => "filed",
        Sort::Due => "due",
    };
    let after = match &page.after {
        Some((name, at, id)) if name == sort_name && time::in_range(*at) => Some((*at, *id)),
        Some((name, _, _)) if name == sort_name => return Err(PageError::Cursor.into()),
        Some(_) => {
            return Err(Error::BadRequest(
                "the cursor belongs to another sort order".into(),
            ));
        }
        None => None,
    };
    // Days are programme-time days: from the moment one begins to the moment the next does.
    let midnight = |d: NaiveDate| time::start_of_day(state.timezone, d);
    let filter = TicketFilter {
        statuses: query.statuses,
        category: query.category,
        priority: query.priority,
        region: query.region.map(|r| r.subtree()),
        assignee_id: query.assignee.map(|a| a.unwrap_or(caller.user_id())),
        enterprise_id: None,
        warning: query.warning.map(|w| (w, now)),
        filed_from: query.filed_from.map(midnight),
        filed_before: query.filed_to.and_then(|d| d.succ_opt()).map(midnight),
        enterprise_active: query.enterprise_active,
        breached: query.breached,
        supervised: query.supervised,
        level: query.level,
        collaborating: query.collaborating.map(|c| c.unwrap_or(caller.user_id())),
    };
    let scope = policy::list_tickets(caller, filter.assignee_id);
    let limit = page.fetch_limit();
    let (rows, inactive) = state
        .db
        .run(move |conn| {
            let rows = tickets::list(conn, &scope, &filter, sort, after, limit)?;
            let ids: Vec<EnterpriseId> = rows.iter().map(|t| t.enterprise_id).collect();
            let inactive = enterprises::inactive_among(conn, &ids)?;
            Ok::<_, DbError>((rows, inactive))
        })
        .await?;
    let page = Page::from_rows(rows, &page, |t| {
        let at = match sort {
            Sort::Filed => t.created_at,
            Sort::Due => t.due_at,
        };
        (sort_name.to_owned(), at, t.id)
    });
    Ok(page.map(|t| {
        let active = !inactive.contains(&t.enterprise_id);
        TicketNow::new(t, now, active)
    }))
}

/// Checks an assignee: an active cadre of the region at the ticket's level that holds its
/// county; when `delegated`, of a region of a lower level that holds it.
pub fn check_assignee(
    conn: &mut DbConnection,
    ticket: &Ticket,
    assignee_id: UserId,
    delegated: bool,
) -> Result<(), Error> {
    let bad = || {
        Error::invalid(
            "assignee_id",
            if delegated {
                "not an active cadre of a lower level whose region holds the ticket's county"
            } else {
                "not an active cadre of the region at the ticket's level that holds its county"
            },
        )
    };
    let cadre = users::find(conn, assignee_id).optional()?.ok_or_else(bad)?;
    let facts = ticket.facts(CadreRelation::default());
    let fits = cadre.active
        && cadre.role == Role::Cadre
        && cadre.region_code.is_some_and(|r| {
            if delegated {
                policy::may_be_delegated(&r, &facts)
            } else {
                policy::may_be_assigned(&r, &facts)
            }
        });
    if fits { Ok(()) } else { Err(bad()) }
}
