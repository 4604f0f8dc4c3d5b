//! The caller a request's `Authorization: Bearer` header names, verified once per request: the
//! first to ask (the rate limiter, or the extractor when the limiter is off or exempts the path)
//! checks the token's signature and expiry and whether it was revoked; everyone after reads the
//! answer kept in the request's extensions.

use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpMessage, HttpRequest};
use chrono::NaiveDateTime;

use super::Principal;
use super::revocation::Revocations;
use super::token::{Rejection, TokenKeys};

/// Why a request has no caller, in words the client can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unauthenticated {
    #[error("this operation needs a bearer token")]
    Missing,
    #[error("the Authorization header must be `Bearer <token>`")]
    Malformed,
    #[error(
        "the access token has expired; get a new one with the refresh token at POST \
         /api/v1/auth/refresh, or log in again"
    )]
    Expired,
    #[error("the access token is invalid")]
    Invalid,
    #[error(
        "the access token has been revoked; refresh it at POST /api/v1/auth/refresh, or log in \
         again"
    )]
    Revoked,
}

/// The answer for this request, once found.
#[derive(Clone)]
struct Verified(Result<Principal, Unauthenticated>);

/// The caller of `req`, verified with `tokens` at `now` and checked against `revocations` the
/// first time it is asked for in a request, and the same answer every later time.
pub fn caller(
    req: &HttpRequest,
    tokens: &TokenKeys,
    revocations: &Revocations,
    now: NaiveDateTime,
) -> Result<Principal, Unauthenticated> {
    if let Some(Verified(known)) = req.extensions().get::<Verified>() {
        return known.clone();
    }
    let answer = verify(req, tokens, revocations, now);
    req.extensions_mut().insert(Verified(answer.clone()));
    answer
}

fn verify(
    req: &HttpRequest,
    tokens: &TokenKeys,
    revocations: &Revocations,
    now: NaiveDateTime,
) -> Result<Principal, Unauthenticated> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or(Unauthenticated::Missing)?;
    let token = header
        .to_str()
        .ok()
        .and_then(bearer_token)
        .ok_or(Unauthenticated::Malformed)?;
    let claims = tokens
        .verify(token, now)
        .map_err(|rejection| match rejection {
            Rejection::Expired => Unauthenticated::Expired,
            Rejection::Invalid => Unauthenticated::Invalid,
        })?;
    let principal = claims.principal().ok_or(Unauthenticated::Invalid)?;
    if revocations.is_revoked(&claims, principal.user_id()) {
        return Err(Unauthenticated::Revoked);
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
    use super::*;
    use crate::auth::revocation::{Revocation, Revoked};
    use crate::auth::token::Grant;
    use crate::domain::ids::UserId;
    use actix_web::test::TestRequest;
    use chrono::{TimeDelta, Utc};

    #[test]
    fn the_scheme_is_case_insensitive() {
        for header in ["Bearer abc", "bearer abc", "BEARER  abc ", "bEaReR abc"] {
            assert_eq!(bearer_token(header), Some("abc"), "{header}");
        }
        for header in ["Basic abc", "Bearer", "Bearer ", "Bearerabc", "abc"] {
            assert_eq!(bearer_token(header), None, "{header}");
        }
    }

    #[test]
    fn a_request_is_verified_once_and_its_answer_kept() {
        let tokens = TokenKeys::new(b"0123456789abcdef0123456789abcdef", 900).unwrap();
        let revocations = Revocations::new(TimeDelta::minutes(15));
        let now = Utc::now().naive_utc();
        let admin = Principal::Admin { user_id: UserId(3) };
        let grant = Grant {
            generation: 0,
            session: None,
        };
        let token = tokens.issue(&admin, grant, now);
        let req = TestRequest::default()
            .insert_header((AUTHORIZATION, format!("Bearer {token}")))
            .to_http_request();
        assert_eq!(caller(&req, &tokens, &revocations, now), Ok(admin.clone()));
        // Revoked since: a new request sees it, this one keeps the answer it was given.
        let revoked = Revocation {
            revoked: Revoked::User {
                user_id: UserId(3),
                generation: 1,
            },
            at: now,
        };
        revocations.apply(&[revoked], now);
        assert_eq!(caller(&req, &tokens, &revocations, now), Ok(admin));
        let next = TestRequest::default()
            .insert_header((AUTHORIZATION, format!("Bearer {token}")))
            .to_http_request();
        assert_eq!(
            caller(&next, &tokens, &revocations, now),
            Err(Unauthenticated::Revoked)
        );
        let bare = TestRequest::default().to_http_request();
        assert_eq!(
            caller(&bare, &tokens, &revocations, now),
            Err(Unauthenticated::Missing)
        );
    }
}
