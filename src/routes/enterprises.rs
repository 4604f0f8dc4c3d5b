//! `/enterprises`: the registry of enterprises, and each one's API clients.

use actix_web::{HttpResponse, delete, get, post, web};

use super::extract::Json;
use crate::auth::Principal;
use crate::db::api_clients::ApiClient;
use crate::db::enterprises::Enterprise;
use crate::domain::page::Page;
use crate::error::{Error, Problem};
use crate::services::clients::{self, CreateClient, CreatedClient};
use crate::services::enterprises::{self, CreateEnterprise};
use crate::state::AppState;

/// Register an enterprise.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    request_body = CreateEnterprise,
    responses(
        (status = 201, description = "Registered", body = Enterprise),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
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
    Ok(HttpResponse::Created().json(enterprise))
}

/// One enterprise.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enterprise id")),
    responses(
        (status = 200, description = "The enterprise", body = Enterprise),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enterprise in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/enterprises/{id}")]
pub async fn get_enterprise(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<i64>,
) -> Result<web::Json<Enterprise>, Error> {
    Ok(web::Json(
        enterprises::get_enterprise(&state, &caller, id.into_inner()).await?,
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
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not manage this enterprise's clients", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enterprise in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/enterprises/{id}/clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<i64>,
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
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not manage this enterprise's clients", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enterprise in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/enterprises/{id}/clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<i64>,
) -> Result<web::Json<Page<ApiClient>>, Error> {
    Ok(web::Json(
        clients::list_clients(&state, &caller, id.into_inner()).await?,
    ))
}

/// Revoke an API client: its credentials stop working at once.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Enterprise id"),
        ("client_id" = String, Path, description = "The client's public id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not manage this enterprise's clients", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enterprise or live client", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/enterprises/{id}/clients/{client_id}")]
pub async fn revoke_client(
    state: web::Data<AppState>,
    caller: Principal,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, Error> {
    let (id, client_id) = path.into_inner();
    clients::revoke_client(&state, &caller, id, client_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
