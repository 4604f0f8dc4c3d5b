//! `/tickets/{id}/candidates`: whom a supervisor may dispatch a ticket to.

use actix_web::{get, web};

use super::extract::Query;
use crate::api::dispatch::{Candidates, ListCandidates};
use crate::auth::Principal;
use crate::domain::ids::TicketId;
use crate::domain::page::PageRequest;
use crate::error::{Error, Problem};
use crate::services::dispatch::{self, Purpose};
use crate::state::AppState;

/// The active cadres who may take the ticket at its level (or, with `delegate=true`, at the
/// levels below whose region holds its county), those whose department handles its category
/// first, then by fewest open tickets (for whoever may assign it); with `assist=true`, the
/// cadres who may assist it, ranked alike (for whoever may add assisting cadres).
#[utoipa::path(
    tag = "coordination",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id"), ListCandidates),
    responses(
        (status = 200, description = "The candidates, best first", body = Candidates),
        (status = 400, description = "A bad query parameter, or both `delegate` and `assist`", body = Problem, content_type = "application/problem+json"),
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
    let purpose = match (query.delegate == Some(true), query.assist == Some(true)) {
        (false, false) => Purpose::Dispatch,
        (true, false) => Purpose::Delegate,
        (false, true) => Purpose::Assist,
        (true, true) => {
            return Err(Error::BadRequest(
                "`delegate` and `assist` ask for different candidates: one at a time".into(),
            ));
        }
    };
    let items =
        dispatch::candidates(&state, &caller, id.into_inner(), purpose, limit as usize).await?;
    Ok(web::Json(Candidates { items }))
}
