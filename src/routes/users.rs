//! `/users`: accounts, managed by admins and (for their region) supervisors.

use actix_web::{HttpResponse, get, patch, post, web};

use super::extract::{Json, Query};
use crate::api::users::{CreateUser, ListUsers, UpdateUser, User};
use crate::auth::Principal;
use crate::db::users::UserFilter;
use crate::domain::ids::{DepartmentId, EnterpriseId, UserId};
use crate::domain::page::{Page, PageRequest};
use crate::error::{Error, Problem};
use crate::services::users;
use crate::state::AppState;

/// Create a user.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = User),
        (status = 403, description = "The caller may not create this user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The username is taken, or the enterprise is deactivated", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Principal,
    Json(input): Json<CreateUser>,
) -> Result<HttpResponse, Error> {
    let user = users::create_user(&state, &caller, input).await?;
    Ok(HttpResponse::Created().json(User::from(user)))
}

/// List users in the caller's scope, in id order.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(ListUsers),
    responses(
        (status = 200, description = "One page of users", body = Page<User>),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's role may not list users", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Principal,
    Query(query): Query<ListUsers>,
) -> Result<web::Json<Page<User>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    let filter = UserFilter {
        role: query.role,
        region: query.region.map(|r| r.subtree()),
        enterprise_id: query.enterprise_id.map(EnterpriseId),
        active: query.active,
        department: query.department,
        department_id: query.department_id.map(DepartmentId),
        q: query.q,
    };
    Ok(web::Json(
        users::list_users(&state, &caller, filter, page)
            .await?
            .map(User::from),
    ))
}

/// One user.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 404, description = "No such user in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<UserId>,
) -> Result<web::Json<User>, Error> {
    Ok(web::Json(
        users::get_user(&state, &caller, id.into_inner())
            .await?
            .into(),
    ))
}

/// Change a user; `{"active": false}` deactivates.
///
/// A cadre's new region, role or deactivation ends, in the same transaction, every pairing the
/// cadre may no longer hold (an active cadre whose region holds the enterprise's county).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUser,
    responses(
        (status = 200, description = "The changed user", body = User),
        (status = 403, description = "The caller may see but not change this user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<UserId>,
    Json(input): Json<UpdateUser>,
) -> Result<web::Json<User>, Error> {
    Ok(web::Json(
        users::update_user(&state, &caller, id.into_inner(), input)
            .await?
            .into(),
    ))
}

/// Unlock a user's logins: forget their failed attempts from every address.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Unlocked (also when nothing was locked)"),
        (status = 403, description = "The caller may see but not manage this user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/unlock")]
pub async fn unlock_user(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<UserId>,
) -> Result<HttpResponse, Error> {
    users::unlock_user(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
