//! The OpenAPI document, generated from the same calls that register the routes, and the
//! lookup that tells an unknown path (404) from a known path with the wrong method (405).

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::OpenApi;
use utoipa::openapi::path::PathItem;
use utoipa_actix_web::AppExt;

use crate::error::{Error, FieldError, Problem};
use crate::middleware::rate_limit::EXEMPT_PATHS;
use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Enterprise Assist API",
        description = "Enterprises file demands; assistance cadres resolve them; what a county \
                       cannot solve escalates to the city, then the province; supervisors watch \
                       completion rates rolled up county → city → province. Errors are RFC 9457 \
                       problem documents (`application/problem+json`).",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Logging in, tokens, and the caller's own account"),
        (name = "users", description = "Accounts of administrators, supervisors, cadres and enterprise staff"),
        (name = "enterprises", description = "Enterprises, their cadres (pairings) and their API clients"),
        (name = "imports", description = "Bulk import of enterprises, cadres and pairings from CSV files"),
        (name = "tickets", description = "Demands: filing, the lifecycle, comments and the audit trail"),
        (name = "categories", description = "Kinds of demand and their service levels"),
        (name = "departments", description = "The promotion centres' rosters: departments at each level and the categories they handle"),
        (name = "coordination", description = "Working a demand across levels and departments: dispatch candidates, assisting cadres (协办) and supervision orders (督办)"),
        (name = "stats", description = "Completion rates rolled up county → city → province"),
        (name = "regions", description = "GB/T 2260 administrative divisions"),
        (name = "calendar", description = "The working-day calendar: holidays and make-up working days"),
        (name = "operations", description = "Health, readiness, metrics and this document"),
    )
)]
struct ApiDoc;

/// Declares the bearer scheme the operations' `security` entries name.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from /api/v1/auth/login or /api/v1/auth/token",
                    ))
                    .build(),
            ),
        );
    }
}

/// Answers any operation may give whatever its handler does, because the layers in front of
/// the handlers give them: no valid access token where one is required (401, by the
/// extractor), an unreadable request (400), a body too slow, too large or not JSON
/// (408, 413, 415), a request target or header fields too long (414, 431), the rate limit
/// (429, everywhere but the probes), and a database that cannot be reached (503). Each is added
/// where the operation does not document it itself; a 429 or 503 always carries Retry-After.
struct CommonAnswers;

impl utoipa::Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        for (path, item) in openapi.paths.paths.iter_mut() {
            let api = path.starts_with("/api/");
            let limited = !EXEMPT_PATHS.contains(&path.as_str());
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let has_body = operation.request_body.is_some();
                let has_params = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let bearer = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                let answers = [
                    (
                        has_body || has_params,
                        "400",
                        "The request cannot be read: malformed JSON, a path or query parameter of the wrong type, or a query parameter the operation does not read",
                    ),
                    (bearer, "401", "No valid access token"),
                    (has_body, "408", "The body did not arrive in time"),
                    (has_body, "413", "The body is too large"),
                    (
                        has_params,
                        "414",
                        "The path and query are longer than 8 KiB",
                    ),
                    (has_body, "415", "The body is not JSON"),
                    (
                        limited,
                        "429",
                        "Too many requests from this client, or filings from this enterprise; see Retry-After",
                    ),
                    (
                        true,
                        "431",
                        "The header fields are larger than 32 KiB in all",
                    ),
                    (
                        api,
                        "503",
                        "The database cannot be reached, or the service is still starting; see Retry-After",
                    ),
                ];
                let responses = &mut operation.responses.responses;
                for (applies, status, description) in answers {
                    if applies && !responses.contains_key(status) {
                        responses.insert(status.to_owned(), problem_response(description).into());
                    }
                }
                for status in ["429", "503"] {
                    if let Some(RefOr::T(response)) = responses.get_mut(status) {
                        response
                            .headers
                            .entry("Retry-After".to_owned())
                            .or_insert_with(|| retry_after().into());
                    }
                }
            }
        }
    }
}

fn retry_after() -> utoipa::openapi::header::Header {
    use utoipa::openapi::{Object, Type, header::Header};
    let mut header = Header::new(Object::with_type(Type::Integer));
    header.description = Some("Seconds to wait before trying again".to_owned());
    header
}

fn problem_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{Content, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            Content::new(Some(Ref::from_schema_name("Problem"))),
        )
        .build()
}

/// The whole document, as the running server's routes describe it.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    // After the routes' own paths are in: the derive's modifiers run before them.
    utoipa::Modify::modify(&CommonAnswers, &mut api);
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api
}

/// The document as YAML, as committed in `openapi.yaml`.
pub fn yaml() -> String {
    document().to_yaml().expect("the document serialises")
}

/// Every documented path with the methods it answers.
pub struct RouteTable(Vec<(ResourceDef, Vec<Method>)>);

impl RouteTable {
    pub fn new() -> RouteTable {
        let doc = document();
        RouteTable(
            doc.paths
                .paths
                .iter()
                .map(|(path, item)| (ResourceDef::new(path.as_str()), methods(item)))
                .collect(),
        )
    }

    fn allowed(&self, path: &str) -> Vec<Method> {
        self.0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect()
    }
}

impl Default for RouteTable {
    fn default() -> Self {
        RouteTable::new()
    }
}

fn methods(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
        (Method::DELETE, &item.delete),
    ]
    .into_iter()
    .filter(|(_, operation)| operation.is_some())
    .map(|(method, _)| method)
    .collect()
}

/// Answers every request no route took: 405 with `Allow` when the path exists, else 404.
pub async fn no_route(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> Result<HttpResponse, Error> {
    let allow = table.allowed(req.path());
    Err(if allow.is_empty() {
        Error::not_found(format!("no resource at {}", req.path()))
    } else {
        Error::MethodNotAllowed {
            method: req.method().clone(),
            allow,
        }
    })
}
