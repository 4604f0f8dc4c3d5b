//! Pairings: `/enterprises/{id}/cadres` (an enterprise's cadres) and `/users/{id}/enterprises`
//! (a cadre's enterprises).

use actix_web::{get, put, web};

use super::extract::{Json, Query};
use crate::api::PageParams;
use crate::api::enterprises::Enterprise;
use crate::api::pairings::{PairedCadres, SetCadres};
use crate::auth::Principal;
use crate::domain::ids::{EnterpriseId, UserId};
use crate::domain::page::{Page, PageRequest};
use crate::error::{Error, Problem};
use crate::services::pairings;
use crate::state::AppState;

/// The enterprise's cadres, the primary first.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enterprise id")),
    responses(
        (status = 200, description = "Its cadres", body = PairedCadres),
        (status = 404, description = "No such enterprise in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/enterprises/{id}/cadres")]
pub async fn list_cadres(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<EnterpriseId>,
) -> Result<web::Json<PairedCadres>, Error> {
    Ok(web::Json(
        pairings::list_cadres(&state, &caller, id.into_inner())
            .await?
            .into(),
    ))
}

/// Replace the enterprise's cadres with this set: exactly one primary, each an active cadre
/// whose region holds the enterprise's county; an empty list clears them.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enterprise id")),
    request_body = SetCadres,
    responses(
        (status = 200, description = "The enterprise's cadres now", body = PairedCadres),
        (status = 403, description = "The caller may see the enterprise but not pair it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enterprise in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not exactly one primary, or a cadre who may not assist it (`cadres[i].user_id`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/enterprises/{id}/cadres")]
pub async fn set_cadres(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<EnterpriseId>,
    Json(input): Json<SetCadres>,
) -> Result<web::Json<PairedCadres>, Error> {
    Ok(web::Json(
        pairings::set_cadres(&state, &caller, id.into_inner(), input)
            .await?
            .into(),
    ))
}

/// The enterprises a cadre is paired with (those the caller may see), in id order.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The cadre's user id"), PageParams),
    responses(
        (status = 200, description = "One page of enterprises", body = Page<Enterprise>),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such cadre in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}/enterprises")]
pub async fn paired_enterprises(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<UserId>,
    Query(query): Query<PageParams>,
) -> Result<web::Json<Page<Enterprise>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    Ok(web::Json(
        pairings::paired_enterprises(&state, &caller, id.into_inner(), page)
            .await?
            .map(Enterprise::from),
    ))
}
