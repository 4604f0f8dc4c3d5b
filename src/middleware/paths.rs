//! Refuses paths that decode to a NUL character (`%00`): no stored text may hold one (PostgreSQL
//! refuses it mid-query), so a path parameter carrying it is an unreadable request, 400, before
//! any handler sees it. JSON bodies and query strings are checked by their extractors.

use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::error::Error;

pub async fn reject_nul(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if req.uri().path().contains("%00") {
        let refusal = Error::BadRequest("the path may not contain NUL characters".into());
        return Ok(req
            .into_response(refusal.error_response())
            .map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}
