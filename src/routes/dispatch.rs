//! `/tickets/{id}/candidates`: whom a supervisor may dispatch a ticket to.

use actix_web::{get, web};

use super::extract::Query;
use crate::api::dispatch::{Candidates, ListCandidates};
use crate::auth::Principal;
use crate::domain::ids::TicketId;
use crate::domain::page::PageRequest;
use crate::error::{Error, Problem};
use crate::services::dispatch;
use crate::state::AppState;

/// The active cadres who may take the ticket at its level (or, with `delegate=true`, at the
/// levels below whose region holds its county), those whose department handles its category
/// first, then by fewest open tickets (for whoever may assign it).
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id"), ListCandidates),
    responses(
        (status = 200, description = "The candidates, best first", body = Candidates),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may see the ticket but not dispatch it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`delegate` on a county-level ticket, which has no level below", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tickets/{id}/candidates")]
pub async fn candidates(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<TicketId>,
    Query(query): Query<ListCandidates>,
) -> Result<web::Json<Candidates>, Error> {
    let limit = PageRequest::<i64>::parse(query.limit, None)?.limit;
    let items = dispatch::candidates(
        &state,
        &caller,
        id.into_inner(),
        query.delegate.unwrap_or(false),
        limit as usize,
    )
    .await?;
    Ok(web::Json(Candidates { items }))
}
