//! `/auth`: logging in and out, refreshing, client credentials; and `/me`.

use actix_web::{HttpResponse, get, post, web};

use super::extract::Json;
use crate::auth::Principal;
use crate::db::users::User;
use crate::error::{Error, Problem};
use crate::services::sessions::{self, ClientCredentials, Login, RefreshRequest, TokenResponse};
use crate::services::users;
use crate::state::AppState;

/// Log in with a username and password.
#[utoipa::path(
    tag = "auth",
    request_body = Login,
    responses(
        (status = 200, description = "An access token and a refresh token", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Invalid username or password", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing or invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    Json(input): Json<Login>,
) -> Result<web::Json<TokenResponse>, Error> {
    Ok(web::Json(sessions::login(&state, input).await?))
}

/// Exchange a refresh token for a new pair; the presented one is spent.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new access token and refresh token", body = TokenResponse),
        (status = 401, description = "Invalid, spent, revoked or expired refresh token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    Json(input): Json<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, Error> {
    Ok(web::Json(sessions::refresh(&state, input).await?))
}

/// Log out: revoke the refresh token's whole family.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Logged out (also for an unknown token)"),
        (status = 422, description = "A missing field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    Json(input): Json<RefreshRequest>,
) -> Result<HttpResponse, Error> {
    sessions::logout(&state, input).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Exchange an API client's id and secret for an access token.
#[utoipa::path(
    tag = "auth",
    request_body = ClientCredentials,
    responses(
        (status = 200, description = "An access token (no refresh token)", body = TokenResponse),
        (status = 401, description = "Invalid or revoked client credentials", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/token")]
pub async fn token(
    state: web::Data<AppState>,
    Json(input): Json<ClientCredentials>,
) -> Result<web::Json<TokenResponse>, Error> {
    Ok(web::Json(sessions::client_token(&state, input).await?))
}

/// The caller's own account.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = User),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, caller: Principal) -> Result<web::Json<User>, Error> {
    Ok(web::Json(users::get_own(&state, &caller).await?))
}
