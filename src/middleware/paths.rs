//! Checks of the request head before any handler sees it. A path that decodes to a NUL character
//! (`%00`) is refused (400): no stored text may hold one (PostgreSQL refuses it mid-query); JSON
//! bodies and query strings are checked by their extractors. A request target over 8 KiB (414)
//! or header fields over 32 KiB in all (431) are refused as problems like every other error.
//! (Heads past the HTTP layer's own 128 KiB buffer, or with more than 96 header fields, are
//! refused by that layer with a bare 431 and the connection closed, before any request exists.)

use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::error::Error;

pub const MAX_TARGET_BYTES: usize = 8 * 1024;
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

pub async fn check_head(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Some(refusal) = refusal(&req) {
        return Ok(req
            .into_response(refusal.error_response())
            .map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn refusal(req: &ServiceRequest) -> Option<Error> {
    let target = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if target > MAX_TARGET_BYTES {
        return Some(Error::UriTooLong(format!(
            "the path and query may hold at most {MAX_TARGET_BYTES} bytes"
        )));
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers > MAX_HEADER_BYTES {
        return Some(Error::HeadersTooLarge(format!(
            "the header fields may hold at most {MAX_HEADER_BYTES} bytes in all"
        )));
    }
    if req.uri().path().contains("%00") {
        return Some(Error::BadRequest(
            "the path may not contain NUL characters".into(),
        ));
    }
    None
}
