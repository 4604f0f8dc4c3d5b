//! The web app (SPEC section 13) and the interactive API documentation: files under `web/`,
//! embedded in the binary (read from disk in debug builds, so a page edit shows on reload).
//! Not part of the API, so not in `openapi.yaml`. Every file is revalidated by its hash.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;

use crate::error::Error;

#[derive(RustEmbed)]
#[folder = "web/"]
#[include = "index.html"]
#[include = "app/**"]
#[include = "docs/**"]
struct Files;

/// The app's pages load only their own scripts, styles and data: no inline script, no other
/// origin, no frames.
const APP_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'self'";

/// Swagger UI sets style attributes on its elements; its scripts are still only its own files.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'self'";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(index))
        .route("/app/{file:.+}", web::get().to(app_file))
        .route("/docs", web::get().to(docs_index))
        .route("/docs/{file:.+}", web::get().to(docs_file));
}

async fn index(req: HttpRequest) -> Result<HttpResponse, Error> {
    serve(&req, "index.html", APP_POLICY)
}

async fn app_file(req: HttpRequest, file: web::Path<String>) -> Result<HttpResponse, Error> {
    serve(&req, &format!("app/{file}"), APP_POLICY)
}

async fn docs_index(req: HttpRequest) -> Result<HttpResponse, Error> {
    serve(&req, "docs/index.html", DOCS_POLICY)
}

async fn docs_file(req: HttpRequest, file: web::Path<String>) -> Result<HttpResponse, Error> {
    serve(&req, &format!("docs/{file}"), DOCS_POLICY)
}

/// The embedded file at `path`, or 304 when the caller holds it already.
fn serve(req: &HttpRequest, path: &str, policy: &'static str) -> Result<HttpResponse, Error> {
    let file = Files::get(path).ok_or_else(|| Error::NotFound(format!("no file {path}")))?;
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    let held = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag));
    let mut response = if held {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        ));
    if held {
        return Ok(response.finish());
    }
    let mime = file.metadata.mimetype();
    // The pages are Chinese: say how their text is encoded.
    let texty = mime.starts_with("text/") || mime.ends_with("json");
    let content_type = if texty {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_owned()
    };
    Ok(response
        .content_type(content_type)
        .body(file.data.into_owned()))
}
