//! `/tickets`: filing, reading, listing, and one `POST /tickets/{id}/<action>` per move.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ETAG, IF_MATCH};
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use super::extract::{Json, Query};
use crate::api::tickets::{
    AssignTicket, ConfirmTicket, FileTicket, ListTickets, NoFields, ProvideInfo, Reason,
    RequestInfo, ResolveTicket, SortParam, TicketView,
};
use crate::auth::Principal;
use crate::db::tickets::Sort;
use crate::domain::ids::{TicketId, UserId};
use crate::domain::page::{Page, PageRequest};
use crate::domain::ticket::Status;
use crate::domain::time::Day;
use crate::error::{Error, Problem};
use crate::services::ticket_moves::{self, ActionInput, Precondition};
use crate::services::tickets::{self, ListQuery, TicketNow};
use crate::state::AppState;

/// A use case's ticket as the API shows it (here, as `api` sits below the use cases).
fn view(now: TicketNow) -> TicketView {
    TicketView::new(now.ticket, now.warning, now.enterprise_active)
}

/// The answer for one ticket: its JSON and its version as the ETag.
fn ticket_response(status: StatusCode, ticket: TicketNow) -> HttpResponse {
    let view = view(ticket);
    HttpResponse::build(status)
        .insert_header((ETAG, format!("\"{}\"", view.ticket.version)))
        .json(view)
}

/// `If-Match: "3"` (or `W/"3"`, or `*`).
fn precondition(req: &HttpRequest) -> Precondition {
    let Some(value) = req.headers().get(IF_MATCH) else {
        return Precondition::None;
    };
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return Precondition::None;
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map(Precondition::Version)
        .unwrap_or(Precondition::Unmatchable)
}

/// File a ticket for the caller's enterprise.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    request_body = FileTicket,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key and body returns the first ticket and files nothing new; the same key with another body answers 422. Kept 24 hours or more.")),
    responses(
        (status = 201, description = "Filed (or, with a reused Idempotency-Key, the ticket first filed with it)", body = TicketView,
            headers(("ETag" = String, description = "The ticket's version"), ("Location" = String, description = "The ticket's URL"))),
        (status = 403, description = "Only enterprises file tickets", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an Idempotency-Key reused with another body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tickets")]
pub async fn file_ticket(
    state: web::Data<AppState>,
    caller: Principal,
    req: HttpRequest,
    Json(input): Json<FileTicket>,
) -> Result<HttpResponse, Error> {
    let key = req
        .headers()
        .get("idempotency-key")
        .map(|v| v.to_str().map(str::to_owned))
        .transpose()
        .map_err(|_| Error::invalid("Idempotency-Key", "must be visible ASCII"))?;
    let filed = tickets::file_ticket(&state, &caller, input, key).await?;
    let location = format!("/api/v1/tickets/{}", filed.ticket.ticket.id);
    let mut response = ticket_response(StatusCode::CREATED, filed.ticket);
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, location.parse().expect("a valid header"));
    if filed.replayed {
        headers.insert(
            header::HeaderName::from_static("idempotent-replayed"),
            header::HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

fn parse_list(query: ListTickets) -> Result<ListQuery, Error> {
    let statuses = match &query.status {
        None => Vec::new(),
        Some(text) => text
            .split(',')
            .map(|s| {
                Status::parse(s.trim()).ok_or_else(|| {
                    Error::BadRequest(format!(
                        "invalid query parameter `status`: unknown status {s:?}"
                    ))
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let assignee = user_or_me("assignee", query.assignee.as_deref())?;
    let collaborating = user_or_me("collaborating", query.collaborating.as_deref())?;
    Ok(ListQuery {
        statuses,
        category: query.category,
        priority: query.priority,
        region: query.region,
        assignee,
        warning: query.warning,
        filed_from: query.filed_from.map(Day::date),
        filed_to: query.filed_to.map(Day::date),
        sort: query.sort.map(|s| match s {
            SortParam::Filed => Sort::Filed,
            SortParam::Due => Sort::Due,
        }),
        enterprise_active: query.enterprise_active,
        breached: query.breached,
        supervised: query.supervised,
        level: query.level,
        collaborating,
    })
}

/// A query parameter naming a user by id, or the caller as `me` (`Some(None)`).
fn user_or_me(name: &str, value: Option<&str>) -> Result<Option<Option<UserId>>, Error> {
    match value {
        None => Ok(None),
        Some("me") => Ok(Some(None)),
        Some(id) => id.parse().map(|id| Some(Some(UserId(id)))).map_err(|_| {
            Error::BadRequest(format!(
                "invalid query parameter `{name}`: a user id or `me`"
            ))
        }),
    }
}

/// Tickets the caller may see, filtered, in keyset pages.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(ListTickets),
    responses(
        (status = 200, description = "One page of tickets", body = Page<TicketView>),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tickets")]
pub async fn list_tickets(
    state: web::Data<AppState>,
    caller: Principal,
    Query(query): Query<ListTickets>,
) -> Result<web::Json<Page<TicketView>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    let query = parse_list(query)?;
    let page = tickets::list_tickets(&state, &caller, query, page).await?;
    Ok(web::Json(page.map(view)))
}

/// One ticket.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "The ticket", body = TicketView, headers(("ETag" = String, description = "The ticket's version"))),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tickets/{id}")]
pub async fn get_ticket(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
) -> Result<HttpResponse, Error> {
    let ticket = tickets::get_ticket(&state, &caller, id.into_inner()).await?;
    Ok(ticket_response(StatusCode::OK, ticket))
}

async fn respond_move(
    state: &AppState,
    caller: &Principal,
    req: &HttpRequest,
    id: TicketId,
    mv: ActionInput,
) -> Result<HttpResponse, Error> {
    let ticket = ticket_moves::move_ticket(state, caller, id, mv, precondition(req)).await?;
    Ok(ticket_response(StatusCode::OK, ticket))
}

/// Declares one move's endpoint: the same path shape, errors and answer for every action.
macro_rules! move_endpoint {
    ($name:ident, $path:literal, $summary:literal, $body:ty, |$input:ident| $to_move:expr) => {
        #[doc = $summary]
        #[utoipa::path(
            tag = "tickets",
            security(("bearer" = [])),
            params(
                ("id" = i64, Path, description = "Ticket id"),
                ("If-Match" = Option<String>, Header, description = "The ETag last seen; a stale one answers 412"),
            ),
            request_body = $body,
            responses(
                (status = 200, description = "The moved ticket", body = TicketView, headers(("ETag" = String, description = "The ticket's new version"))),
                (status = 403, description = "The caller may see the ticket but not make this move", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "Not possible from the ticket's current state (named in the detail)", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "If-Match names an old version", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            caller: Principal,
            req: HttpRequest,
            id: web::Path<TicketId>,
            Json($input): Json<$body>,
        ) -> Result<HttpResponse, Error> {
            respond_move(&state, &caller, &req, id.into_inner(), $to_move).await
        }
    };
}

move_endpoint!(
    assign,
    "/tickets/{id}/assign",
    "Dispatch the ticket to a cadre of the region at its level; or, with `delegate`, hand it down to a cadre of a lower level whose region holds its county, the ticket keeping its level.",
    AssignTicket,
    |input| ActionInput::Assign {
        assignee_id: UserId(input.assignee_id),
        delegate: input.delegate,
    }
);
move_endpoint!(
    accept,
    "/tickets/{id}/accept",
    "Accept an assigned ticket (its first response).",
    NoFields,
    |_input| ActionInput::Accept
);
move_endpoint!(
    escalate,
    "/tickets/{id}/escalate",
    "Send the ticket one level up (county → city → province; straight to the province from a county without a city government: those a province governs directly and the municipalities' districts and counties), unassigned.",
    Reason,
    |input| ActionInput::Escalate {
        reason: input.reason
    }
);
move_endpoint!(
    resolve,
    "/tickets/{id}/resolve",
    "Resolve the ticket; it waits for the enterprise's confirmation.",
    ResolveTicket,
    |input| ActionInput::Resolve {
        resolution: input.resolution
    }
);
move_endpoint!(
    confirm,
    "/tickets/{id}/confirm",
    "Confirm the resolution with a rating; the ticket closes.",
    ConfirmTicket,
    |input| ActionInput::Confirm {
        rating: input.rating,
        comment: input.comment
    }
);
move_endpoint!(
    reopen,
    "/tickets/{id}/reopen",
    "Reject the resolution; the ticket goes back to work.",
    Reason,
    |input| ActionInput::Reopen {
        reason: input.reason
    }
);
move_endpoint!(
    request_info,
    "/tickets/{id}/request-info",
    "Ask the enterprise for information (the assignee, in progress); the ticket waits for the answer and its clocks stand still.",
    RequestInfo,
    |input| ActionInput::RequestInfo {
        question: input.question
    }
);
move_endpoint!(
    provide_info,
    "/tickets/{id}/provide-info",
    "Answer the assignee's question (the ticket's enterprise); work resumes with its deadlines moved later by the time waited.",
    ProvideInfo,
    |input| ActionInput::ProvideInfo {
        answer: input.answer
    }
);
move_endpoint!(
    return_ticket,
    "/tickets/{id}/return",
    "Send the ticket back to dispatch at its level (its assignee, assigned or in progress), unassigned; counted as `returned` in the statistics.",
    Reason,
    |input| ActionInput::Return {
        reason: input.reason
    }
);
move_endpoint!(
    withdraw,
    "/tickets/{id}/withdraw",
    "Withdraw the ticket.",
    Reason,
    |input| ActionInput::Withdraw {
        reason: input.reason
    }
);
