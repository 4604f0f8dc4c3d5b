//! `/tickets/{id}/collaborators`: assisting cadres (协办) and their tasks.

use actix_web::{HttpResponse, delete, get, post, web};

use super::extract::{Json, Query};
use crate::api::NoParams;
use crate::api::collaborators::{AddCollaborator, Collaborator, Collaborators, CompleteTask};
use crate::auth::Principal;
use crate::domain::ids::{TicketId, UserId};
use crate::error::{Error, Problem};
use crate::services::collaborators;
use crate::state::AppState;

/// Ask a cadre to assist with an open ticket (its assignee, or a supervisor covering it): an
/// active cadre of a region holding the ticket's county, not its assignee.
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = AddCollaborator,
    responses(
        (status = 201, description = "Added, the task open", body = Collaborator),
        (status = 403, description = "Only the assignee, a supervisor covering the ticket or an administrator adds assisting cadres", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ticket is not open, the cadre assists it already, or it has 50 assisting cadres", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields: `user_id` is not an active cadre whose region holds the county, or is the assignee", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tickets/{id}/collaborators")]
pub async fn add_collaborator(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    Json(input): Json<AddCollaborator>,
) -> Result<HttpResponse, Error> {
    let added = collaborators::add(&state, &caller, id.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(added))
}

/// A ticket's assisting cadres and their tasks (the government side of whoever may see it).
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "Every assisting cadre, in the order added", body = Collaborators),
        (status = 403, description = "Enterprises do not read the government's coordination", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tickets/{id}/collaborators")]
pub async fn list_collaborators(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    _query: Query<NoParams>,
) -> Result<web::Json<Collaborators>, Error> {
    let items = collaborators::list(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(Collaborators {
        items,
        next_cursor: None,
    }))
}

/// Report one's assisting task done, with a note (the assisting cadre).
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Ticket id"),
        ("user_id" = i64, Path, description = "The assisting cadre"),
    ),
    request_body = CompleteTask,
    responses(
        (status = 200, description = "The completed task", body = Collaborator),
        (status = 403, description = "Only the assisting cadre completes their task", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope, or no such assisting cadre on it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The task is completed already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tickets/{id}/collaborators/{user_id}/complete")]
pub async fn complete_task(
    state: web::Data<AppState>,
    caller: Principal,
    path: web::Path<(TicketId, UserId)>,
    Json(input): Json<CompleteTask>,
) -> Result<web::Json<Collaborator>, Error> {
    let (ticket, helper) = path.into_inner();
    Ok(web::Json(
        collaborators::complete(&state, &caller, ticket, helper, input).await?,
    ))
}

/// Remove an assisting cadre (whoever may add one), their task open or done.
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Ticket id"),
        ("user_id" = i64, Path, description = "The assisting cadre"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Only the assignee, a supervisor covering the ticket or an administrator removes assisting cadres", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope, or no such assisting cadre on it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/tickets/{id}/collaborators/{user_id}")]
pub async fn remove_collaborator(
    state: web::Data<AppState>,
    caller: Principal,
    path: web::Path<(TicketId, UserId)>,
) -> Result<HttpResponse, Error> {
    let (ticket, helper) = path.into_inner();
    collaborators::remove(&state, &caller, ticket, helper).await?;
    Ok(HttpResponse::NoContent().finish())
}
