//! `/tickets/{id}/supervision` (supervision orders, 督办, and their answers) and `/supervision`,
//! the supervisors' list.

use actix_web::{HttpResponse, get, post, web};

use super::extract::{Json, Query};
use crate::api::PageParams;
use crate::api::supervision::{IssueSupervision, ListSupervision, RespondSupervision, Supervision};
use crate::auth::Principal;
use crate::domain::ids::{SupervisionId, TicketId};
use crate::domain::page::{Page, PageRequest};
use crate::error::{Error, Problem};
use crate::services::supervision;
use crate::state::AppState;

/// Issue a supervision order on an open ticket (a supervisor whose region holds its county,
/// at any level; administrators): its assignee must answer within `respond_within` (working
/// time; default 2 working days). The ticket is `supervised` until every order is answered.
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = IssueSupervision,
    responses(
        (status = 201, description = "Issued", body = Supervision),
        (status = 403, description = "Only supervisors covering the ticket's county and administrators issue orders", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ticket is not open", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tickets/{id}/supervision")]
pub async fn issue(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    Json(input): Json<IssueSupervision>,
) -> Result<HttpResponse, Error> {
    let order = supervision::issue(&state, &caller, id.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(order))
}

/// A ticket's supervision orders, oldest first (the government side of whoever may see it).
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id"), PageParams),
    responses(
        (status = 200, description = "One page of the ticket's orders", body = Page<Supervision>),
        (status = 403, description = "Enterprises do not read the government's coordination", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tickets/{id}/supervision")]
pub async fn list_ticket_supervision(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    Query(query): Query<PageParams>,
) -> Result<web::Json<Page<Supervision>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    Ok(web::Json(
        supervision::list_for_ticket(&state, &caller, id.into_inner(), page).await?,
    ))
}

/// Answer a supervision order (the ticket's assignee).
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Ticket id"),
        ("sid" = i64, Path, description = "Supervision order id"),
    ),
    request_body = RespondSupervision,
    responses(
        (status = 200, description = "The answered order", body = Supervision),
        (status = 403, description = "Only the ticket's assignee answers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope, or no such order of it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order is answered already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tickets/{id}/supervision/{sid}/respond")]
pub async fn respond(
    state: web::Data<AppState>,
    caller: Principal,
    path: web::Path<(TicketId, SupervisionId)>,
    Json(input): Json<RespondSupervision>,
) -> Result<web::Json<Supervision>, Error> {
    let (ticket, order) = path.into_inner();
    Ok(web::Json(
        supervision::respond(&state, &caller, ticket, order, input).await?,
    ))
}

/// The supervision orders on the tickets of a region, oldest first (supervisors inside their
/// region, administrators anywhere).
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(ListSupervision),
    responses(
        (status = 200, description = "One page of orders", body = Page<Supervision>),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only supervisors and administrators read the list", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The region lies outside the caller's", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/supervision")]
pub async fn list_supervision(
    state: web::Data<AppState>,
    caller: Principal,
    Query(query): Query<ListSupervision>,
) -> Result<web::Json<Page<Supervision>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    Ok(web::Json(
        supervision::list(&state, &caller, query.region, query.status, page).await?,
    ))
}
