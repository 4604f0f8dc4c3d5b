//! The authenticated caller, read from the `Authorization: Bearer` header of each request.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::{Ready, ready};

use super::token::Rejection;
use crate::domain::region::RegionCode;
use crate::domain::role::Role;
use crate::error::Error;
use crate::state::AppState;

/// Who is calling, as their access token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub role: Role,
    /// The region of a supervisor or cadre.
    pub region: Option<RegionCode>,
    /// The enterprise of an enterprise user or API client.
    pub enterprise_id: Option<i64>,
    /// An enterprise's API client rather than a person.
    pub is_client: bool,
}

impl FromRequest for Principal {
    type Error = Error;
    type Future = Ready<Result<Principal, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = authenticate(req);
        if let Err(error) = &result {
            crate::audit::token_rejected(&error.to_string());
        }
        ready(result)
    }
}

impl Principal {
    /// The caller a request's valid bearer token names, if any, without recording a failure
    /// (for counting requests per caller, not for deciding anything).
    pub fn from_token(req: &HttpRequest) -> Option<Principal> {
        authenticate(req).ok()
    }
}

fn authenticate(req: &HttpRequest) -> Result<Principal, Error> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .expect("AppState is registered");
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| Error::Unauthorized("this operation needs a bearer token".into()))?;
    let token = header.to_str().ok().and_then(bearer_token).ok_or_else(|| {
        Error::Unauthorized("the Authorization header must be `Bearer <token>`".into())
    })?;
    let claims =
        state
            .tokens
            .verify(token, state.clock.now())
            .map_err(|rejection| match rejection {
                Rejection::Expired => Error::Unauthorized(
                    "the access token has expired; get a new one with the refresh token at \
                 POST /api/v1/auth/refresh, or log in again"
                        .into(),
                ),
                Rejection::Invalid => Error::Unauthorized("the access token is invalid".into()),
            })?;
    let principal = claims
        .principal()
        .ok_or_else(|| Error::Unauthorized("the access token is invalid".into()))?;
    if state.revocations.is_revoked(&claims, principal.user_id) {
        return Err(Error::Unauthorized(
            "the access token has been revoked; refresh it at POST /api/v1/auth/refresh, \
             or log in again"
                .into(),
        ));
    }
    Ok(principal)
}

/// The token of `Bearer <token>`, the scheme in any case (RFC 7235 section 2.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_scheme_is_case_insensitive() {
        for header in ["Bearer abc", "bearer abc", "BEARER  abc ", "bEaReR abc"] {
            assert_eq!(bearer_token(header), Some("abc"), "{header}");
        }
        for header in ["Basic abc", "Bearer", "Bearer ", "Bearerabc", "abc"] {
            assert_eq!(bearer_token(header), None, "{header}");
        }
    }
}
