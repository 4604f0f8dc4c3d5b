//! `/tickets/{id}/comments` and `/tickets/{id}/events`.

use actix_web::{HttpResponse, get, post, web};

use super::extract::{Json, Query};
use crate::api::PageParams;
use crate::api::ticket_activity::{Comment, Event, NewComment};
use crate::auth::Principal;
use crate::domain::ids::TicketId;
use crate::domain::page::{Page, PageRequest};
use crate::error::{Error, Problem};
use crate::services::ticket_activity;
use crate::state::AppState;

/// Comment on a ticket.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = NewComment,
    responses(
        (status = 201, description = "Added", body = Comment),
        (status = 403, description = "The caller may not comment here (or not internally)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tickets/{id}/comments")]
pub async fn add_comment(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    Json(input): Json<NewComment>,
) -> Result<HttpResponse, Error> {
    let comment = ticket_activity::add_comment(&state, &caller, id.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(Comment::from(comment)))
}

/// A ticket's comments, oldest first (enterprises never see internal ones).
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id"), PageParams),
    responses(
        (status = 200, description = "One page of comments", body = Page<Comment>),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tickets/{id}/comments")]
pub async fn list_comments(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    Query(query): Query<PageParams>,
) -> Result<web::Json<Page<Comment>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    Ok(web::Json(
        ticket_activity::list_comments(&state, &caller, id.into_inner(), page)
            .await?
            .map(Comment::from),
    ))
}

/// A ticket's audit trail, oldest first (enterprises never see internal events).
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id"), PageParams),
    responses(
        (status = 200, description = "One page of events", body = Page<Event>),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tickets/{id}/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    Query(query): Query<PageParams>,
) -> Result<web::Json<Page<Event>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    Ok(web::Json(
        ticket_activity::list_events(&state, &caller, id.into_inner(), page)
            .await?
            .map(Event::from),
    ))
}
