//! `/departments`: the promotion centres' rosters at each level.

use actix_web::{HttpResponse, get, patch, post, web};

use super::extract::{Json, Query};
use crate::api::departments::{CreateDepartment, Department, ListDepartments, UpdateDepartment};
use crate::auth::Principal;
use crate::db::departments::DepartmentFilter;
use crate::domain::ids::DepartmentId;
use crate::domain::page::{Page, PageRequest};
use crate::error::{Error, Problem};
use crate::services::departments;
use crate::state::AppState;

/// Departments of the rosters, in id order (the government side: administrators, supervisors
/// and cadres).
#[utoipa::path(
    tag = "departments",
    security(("bearer" = [])),
    params(ListDepartments),
    responses(
        (status = 200, description = "One page of departments", body = Page<Department>),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Enterprises do not read the rosters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/departments")]
pub async fn list_departments(
    state: web::Data<AppState>,
    caller: Principal,
    Query(query): Query<ListDepartments>,
) -> Result<web::Json<Page<Department>>, Error> {
    let page = PageRequest::parse(query.limit, query.cursor.as_deref())?;
    let filter = DepartmentFilter {
        region: query.region.map(|r| r.subtree()),
        category: query.category,
        active: query.active,
        q: query.q,
    };
    Ok(web::Json(
        departments::list(&state, &caller, filter, page).await?,
    ))
}

/// Add a department to a region's roster (administrators; supervisors inside their region).
#[utoipa::path(
    tag = "departments",
    security(("bearer" = [])),
    request_body = CreateDepartment,
    responses(
        (status = 201, description = "Added", body = Department),
        (status = 403, description = "Only administrators and the supervisors of a region holding it manage a department", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The region has a department of that name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/departments")]
pub async fn create_department(
    state: web::Data<AppState>,
    caller: Principal,
    Json(input): Json<CreateDepartment>,
) -> Result<HttpResponse, Error> {
    let department = departments::create(&state, &caller, input).await?;
    Ok(HttpResponse::Created().json(department))
}

/// One department.
#[utoipa::path(
    tag = "departments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Department id")),
    responses(
        (status = 200, description = "The department", body = Department),
        (status = 403, description = "Enterprises do not read the rosters", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such department", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/departments/{id}")]
pub async fn get_department(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<DepartmentId>,
) -> Result<web::Json<Department>, Error> {
    Ok(web::Json(
        departments::get(&state, &caller, id.into_inner()).await?,
    ))
}

/// Rename a department, replace its categories, or (de)activate it.
#[utoipa::path(
    tag = "departments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Department id")),
    request_body = UpdateDepartment,
    responses(
        (status = 200, description = "The changed department", body = Department),
        (status = 403, description = "Only administrators and the supervisors of a region holding it manage a department", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such department", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The region has a department of that name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/departments/{id}")]
pub async fn update_department(
    state: web::Data<AppState>,
    caller: Principal,
    id: web::Path<DepartmentId>,
    Json(input): Json<UpdateDepartment>,
) -> Result<web::Json<Department>, Error> {
    Ok(web::Json(
        departments::update(&state, &caller, id.into_inner(), input).await?,
    ))
}
