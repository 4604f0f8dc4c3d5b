//! `/problems`: what each problem `type` means. Problem documents name their type by a URI
//! relative to the service, so each resolves to its description here.

use actix_web::{get, web};

use crate::error::{Error, PROBLEM_TYPES, Problem, ProblemType};

/// Every problem type the service answers.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Every problem type, in status order", body = Vec<ProblemType>))
)]
#[get("/problems")]
pub async fn list_problem_types() -> web::Json<&'static [ProblemType]> {
    web::Json(PROBLEM_TYPES)
}

/// What one problem type means.
#[utoipa::path(
    tag = "operations",
    params(("slug" = String, Path, description = "The last part of the type, e.g. `not-found`")),
    responses(
        (status = 200, description = "The problem type", body = ProblemType),
        (status = 404, description = "No problem type of that name", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/problems/{slug}")]
pub async fn describe_problem_type(
    slug: web::Path<String>,
) -> Result<web::Json<&'static ProblemType>, Error> {
    ProblemType::find(&slug)
        .map(web::Json)
        .ok_or_else(|| Error::not_found("no problem type of that name; GET /problems lists them"))
}
