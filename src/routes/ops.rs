//! Operations: liveness, readiness, metrics, and the API contract itself.

use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, get, web};
use diesel::connection::SimpleConnection;

use super::AppState;
use crate::api::ops::Health;
use crate::db::DbError;
use crate::error::{Error, Problem};
use crate::metrics::MetricsAccess;

/// The contract, exactly as committed at the repository root.
pub const OPENAPI_YAML: &str = include_str!("../../openapi.yaml");

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Up", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// The database answers.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database cannot be reached", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, Error> {
    state
        .db
        .run(|conn| conn.batch_execute("SELECT 1").map_err(DbError::from))
        .await?;
    Ok(web::Json(Health { status: "ready" }))
}

/// Prometheus metrics: to whoever presents `METRICS_TOKEN` as a bearer token, or without that
/// setting to this host only.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"),
        (status = 401, description = "METRICS_TOKEN is set and the request does not carry it", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "METRICS_TOKEN is not set and the request does not come from this host", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    access: web::Data<MetricsAccess>,
    req: HttpRequest,
) -> Result<HttpResponse, Error> {
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    access.check(req.peer_addr().map(|a| a.ip()), authorization)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(crate::metrics::render(&state.db)))
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document", body = Object, content_type = "application/yaml"))
)]
#[get("/openapi.yaml")]
pub async fn openapi_yaml() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(ContentType(
            "application/yaml".parse().expect("a valid media type"),
        ))
        .body(OPENAPI_YAML)
}
