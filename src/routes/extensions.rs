//! `/tickets/{id}/extensions` (requests for more time, 延期, and their decisions) and
//! `/extensions`, the supervisors' approval queue.

use actix_web::{HttpResponse, get, post, web};

use super::extract::{Json, Query};
use crate::api::PageParams;
use crate::api::extensions::{
    ApproveExtension, Extension, ListExtensions, RejectExtension, RequestExtension,
};
use crate::auth::Principal;
use crate::domain::ids::TicketId;
use crate::domain::page::{Page, PageRequest};
use crate::error::{Error, Problem};
use crate::services::extensions::{self, Verdict};
use crate::state::AppState;

/// Ask for more working days on an open ticket (its assignee; one pending at a time).
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = RequestExtension,
    responses(
        (status = 201, description = "Requested, pending a supervisor's decision", body = Extension),
        (status = 403, description = "Only the ticket's assignee asks for more time", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ticket is not open, or has a request pending already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tickets/{id}/extensions")]
pub async fn request_extension(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    Json(input): Json<RequestExtension>,
) -> Result<HttpResponse, Error> {
    let extension = extensions::request(&state, &caller, id.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(Extension::from(extension)))
}

/// A ticket's requests for more time, oldest first (whoever may see the ticket).
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id"), PageParams),
    responses(
        (status = 200, description = "One page of the ticket's extensions", body = Page<Extension>),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tickets/{id}/extensions")]
pub async fn list_ticket_extensions(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    Query(query): Query<PageParams>,
) -> Result<web::Json<Page<Extension>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    let page = extensions::list_for_ticket(&state, &caller, id.into_inner(), page).await?;
    Ok(web::Json(page.map(Extension::from)))
}

/// Declares one decision's endpoint: the same path shape, errors and answer for both.
macro_rules! decision_endpoint {
    ($name:ident, $path:literal, $summary:literal, $body:ty, $verdict:path) => {
        #[doc = $summary]
        #[utoipa::path(
            tag = "tickets",
            security(("bearer" = [])),
            params(
                ("id" = i64, Path, description = "Ticket id"),
                ("eid" = i64, Path, description = "Extension id"),
            ),
            request_body = $body,
            responses(
                (status = 200, description = "The decided extension", body = Extension),
                (status = 403, description = "Only a supervisor covering the ticket's county, or an administrator, decides, and never the one who asked", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such ticket in the caller's scope, or no such extension of it", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "Already decided; or, for an approval, the ticket is no longer open", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            caller: Principal,
            path: web::Path<(TicketId, i64)>,
            Json(input): Json<$body>,
        ) -> Result<web::Json<Extension>, Error> {
            let (ticket_id, extension_id) = path.into_inner();
            let decided =
                extensions::decide(&state, &caller, ticket_id, extension_id, $verdict(input))
                    .await?;
            Ok(web::Json(decided.into()))
        }
    };
}

decision_endpoint!(
    approve_extension,
    "/tickets/{id}/extensions/{eid}/approve",
    "Approve a request for more time: the ticket's due time moves later by its working days, and its warning colours measure the new window.",
    ApproveExtension,
    Verdict::Approve
);
decision_endpoint!(
    reject_extension,
    "/tickets/{id}/extensions/{eid}/reject",
    "Reject a request for more time, saying why.",
    RejectExtension,
    Verdict::Reject
);

/// The approval queue: requests for more time on the tickets of a region, oldest first
/// (supervisors inside their region, administrators anywhere).
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(ListExtensions),
    responses(
        (status = 200, description = "One page of extensions", body = Page<Extension>),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only supervisors and administrators read the queue", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The region lies outside the caller's", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/extensions")]
pub async fn list_extensions(
    state: web::Data<AppState>,
    caller: Principal,
    Query(query): Query<ListExtensions>,
) -> Result<web::Json<Page<Extension>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    let page = extensions::queue(&state, &caller, query.status, query.region, page).await?;
    Ok(web::Json(page.map(Extension::from)))
}
