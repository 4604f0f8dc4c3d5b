//! `/categories`: kinds of demand and their service levels.

use actix_web::{HttpResponse, get, patch, post, web};

use super::extract::Json;
use crate::api::categories::{Category, CreateCategory, UpdateCategory};
use crate::auth::Principal;
use crate::domain::page::Page;
use crate::error::{Error, Problem};
use crate::services::categories;
use crate::state::AppState;

/// Every category with its service levels.
#[utoipa::path(
    tag = "categories",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All categories", body = Page<Category>),
    )
)]
#[get("/categories")]
pub async fn list_categories(
    state: web::Data<AppState>,
    _caller: Principal,
) -> Result<web::Json<Page<Category>>, Error> {
    let items = categories::list(&state).await?;
    Ok(web::Json(Page {
        items: items.into_iter().map(Category::from).collect(),
        next_cursor: None,
    }))
}

/// Add a category (admins).
#[utoipa::path(
    tag = "categories",
    security(("bearer" = [])),
    request_body = CreateCategory,
    responses(
        (status = 201, description = "Added", body = Category),
        (status = 403, description = "Only administrators manage categories", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/categories")]
pub async fn create_category(
    state: web::Data<AppState>,
    caller: Principal,
    Json(input): Json<CreateCategory>,
) -> Result<HttpResponse, Error> {
    let category = categories::create(&state, &caller, input).await?;
    Ok(HttpResponse::Created().json(Category::from(category)))
}

/// Change a category's name, service levels or availability (admins). New service levels
/// apply to tickets filed afterwards; a filed ticket keeps its `due_at`.
#[utoipa::path(
    tag = "categories",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Category code")),
    request_body = UpdateCategory,
    responses(
        (status = 200, description = "The changed category", body = Category),
        (status = 403, description = "Only administrators manage categories", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/categories/{code}")]
pub async fn update_category(
    state: web::Data<AppState>,
    caller: Principal,
    code: web::Path<String>,
    Json(input): Json<UpdateCategory>,
) -> Result<web::Json<Category>, Error> {
    Ok(web::Json(
        categories::update(&state, &caller, code.into_inner(), input)
            .await?
            .into(),
    ))
}
