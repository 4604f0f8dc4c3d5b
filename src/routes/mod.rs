//! HTTP handlers, one module per resource, and the one route table.

pub mod extract;
mod ops;
mod regions;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Database;

/// What every handler can reach.
pub struct AppState {
    pub db: Database,
}

/// Every route of the service; the OpenAPI document is collected from the same calls.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(ops::healthz)
        .service(ops::readyz)
        .service(ops::metrics)
        .service(ops::openapi_yaml)
        .service(
            scope("/api/v1")
                .service(regions::list_regions)
                .service(regions::get_region),
        );
}

pub use ops::OPENAPI_YAML;
