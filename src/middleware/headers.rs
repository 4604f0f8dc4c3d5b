//! Security headers on every response, the framework's own errors included: nothing is sniffed
//! into another media type, framed, or sent with a referrer, and nothing a caller authenticated
//! for (or a token response) is kept by a cache.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// Token endpoints answer secrets without an `Authorization` header of their own.
const TOKEN_PATHS: &str = "/api/v1/auth/";

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let private =
        req.headers().contains_key(header::AUTHORIZATION) || req.path().starts_with(TOKEN_PATHS);
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    set_default(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(headers, header::X_FRAME_OPTIONS, "DENY");
    set_default(headers, header::REFERRER_POLICY, "no-referrer");
    // An API serves no pages: no scripts, no frames, nothing to load.
    set_default(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; frame-ancestors 'none'",
    );
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

fn set_default(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}
