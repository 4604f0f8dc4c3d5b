//! `/enterprises`: the registry of enterprises, and each one's API clients.

use actix_web::{HttpResponse, delete, get, patch, post, web};

use super::extract::{Json, Query};
use crate::api::clients::{ApiClient, CreateClient, CreatedClient};
use crate::api::enterprises::{CreateEnterprise, Enterprise, ListEnterprises, UpdateEnterprise};
use crate::auth::Principal;
use crate::db::enterprises::EnterpriseFilter;
use crate::domain::ids::EnterpriseId;
use crate::domain::page::{Page, PageRequest};
use crate::error::{Error, Problem};
use crate::services::clients;
use crate::services::enterprises;
use crate::state::AppState;

/// Register an enterprise.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    request_body = CreateEnterprise,
    responses(
        (status = 201, description = "Registered", body = Enterprise),
        (status = 403, description = "The caller may not register enterprises in that county", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The USCC is already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (a bad USCC check character, an unknown county)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/enterprises")]
pub async fn create_enterprise(
    state: web::Data<AppState>,
    caller: Principal,
    Json(input): Json<CreateEnterprise>,
) -> Result<HttpResponse, Error> {
    let enterprise = enterprises::create_enterprise(&state, &caller, input).await?;
    Ok(HttpResponse::Created().json(Enterprise::from(enterprise)))
}

/// One enterprise.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enterprise id")),
    responses(
        (status = 200, description = "The enterprise", body = Enterprise),
        (status = 404, description = "No such enterprise in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/enterprises/{id}")]
pub async fn get_enterprise(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<EnterpriseId>,
) -> Result<web::Json<Enterprise>, Error> {
    Ok(web::Json(
        enterprises::get_enterprise(&state, &caller, id.into_inner())
            .await?
            .into(),
    ))
}

/// List the enterprises the caller may see, in id order: administrators all, supervisors
/// their region's, cadres those they are paired with, enterprise staff their own.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(ListEnterprises),
    responses(
        (status = 200, description = "One page of enterprises", body = Page<Enterprise>),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/enterprises")]
pub async fn list_enterprises(
    state: web::Data<AppState>,
    caller: Principal,
    Query(query): Query<ListEnterprises>,
) -> Result<web::Json<Page<Enterprise>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    let filter = EnterpriseFilter {
        region: query.region.map(|r| r.subtree()),
        name_contains: query.q.filter(|q| !q.is_empty()),
        industry: query.industry,
        active: query.active,
        cadre: None,
    };
    Ok(web::Json(
        enterprises::list_enterprises(&state, &caller, filter, page)
            .await?
            .map(Enterprise::from),
    ))
}

/// Change an enterprise; `{"active": false}` deactivates it.
///
/// A new county ends, in the same transaction, the pairings of cadres whose region does not
/// hold it; with its primary gone the enterprise's tickets wait for dispatch.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enterprise id")),
    request_body = UpdateEnterprise,
    responses(
        (status = 200, description = "The changed enterprise", body = Enterprise),
        (status = 403, description = "The caller may see but not change it, or not move it to that county", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enterprise in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The new USCC is already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/enterprises/{id}")]
pub async fn update_enterprise(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<EnterpriseId>,
    Json(input): Json<UpdateEnterprise>,
) -> Result<web::Json<Enterprise>, Error> {
    Ok(web::Json(
        enterprises::update_enterprise(&state, &caller, id.into_inner(), input)
            .await?
            .into(),
    ))
}

/// Create an API client for the enterprise; the secret is shown this once.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enterprise id")),
    request_body = CreateClient,
    responses(
        (status = 201, description = "Created, with its secret", body = CreatedClient),
        (status = 403, description = "The caller may not manage this enterprise's clients", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enterprise in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The enterprise is deactivated, or has as many live clients as allowed (MAX_CLIENTS_PER_ENTERPRISE)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many secrets waiting to be hashed, or the database cannot be reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/enterprises/{id}/clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<EnterpriseId>,
    Json(input): Json<CreateClient>,
) -> Result<HttpResponse, Error> {
    let client = clients::create_client(&state, &caller, id.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(client))
}

/// The enterprise's API clients (never their secrets).
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enterprise id")),
    responses(
        (status = 200, description = "Every client, revoked ones included", body = Page<ApiClient>),
        (status = 403, description = "The caller may not manage this enterprise's clients", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enterprise in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/enterprises/{id}/clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<EnterpriseId>,
) -> Result<web::Json<Page<ApiClient>>, Error> {
    Ok(web::Json(
        clients::list_clients(&state, &caller, id.into_inner())
            .await?
            .map(ApiClient::from),
    ))
}

/// Revoke an API client: its credentials and access tokens stop working at once.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Enterprise id"),
        ("client_id" = String, Path, description = "The client's public id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "The caller may not manage this enterprise's clients", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enterprise or live client", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/enterprises/{id}/clients/{client_id}")]
pub async fn revoke_client(
    state: web::Data<AppState>,
    caller: Principal,
    path: web::Path<(EnterpriseId, String)>,
) -> Result<HttpResponse, Error> {
    let (id, client_id) = path.into_inner();
    clients::revoke_client(&state, &caller, id, client_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
