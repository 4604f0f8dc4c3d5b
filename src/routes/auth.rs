//! `/auth`: logging in and out, refreshing, client credentials; and `/me`.

use actix_web::{HttpResponse, get, post, web};

use super::extract::Json;
use crate::api::sessions::{
    ChangePassword, ClientCredentials, Login, RefreshRequest, TokenResponse,
};
use crate::api::users::User;
use crate::auth::Principal;
use crate::domain::address::ClientAddress;
use crate::error::{Error, Problem};
use crate::services::passwords;
use crate::services::sessions;
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
        (status = 429, description = "Too many failed logins for this account from this address, or from everywhere; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many password checks waiting, or the database cannot be reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    address: ClientAddress,
    Json(input): Json<Login>,
) -> Result<web::Json<TokenResponse>, Error> {
    Ok(web::Json(sessions::login(&state, input, address).await?))
}

/// Exchange a refresh token for a new pair; the presented one is spent. The session keeps its
/// start: refreshing never takes it past its absolute lifetime.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new access token and refresh token", body = TokenResponse),
        (status = 401, description = "Invalid, spent, revoked or expired refresh token, a session past SESSION_LIFETIME_SECS, or a deactivated account or enterprise", body = Problem, content_type = "application/problem+json"),
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

/// Log out: revoke the session, its refresh tokens and its access tokens.
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
        (status = 401, description = "Invalid or revoked client credentials, or a deactivated enterprise", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing field", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many secret checks waiting, or the database cannot be reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
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
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, caller: Principal) -> Result<web::Json<User>, Error> {
    Ok(web::Json(users::get_own(&state, &caller).await?.into()))
}

/// Change the caller's own password: every session ends, this one too, and a new one begins.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePassword,
    responses(
        (status = 200, description = "Changed; the tokens of a new session (every other token of the caller is revoked)", body = TokenResponse),
        (status = 403, description = "API clients have no password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password, or a new password that breaks the rules", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong current passwords (they count as failed logins); see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many password checks waiting, or the database cannot be reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Principal,
    address: ClientAddress,
    Json(input): Json<ChangePassword>,
) -> Result<web::Json<TokenResponse>, Error> {
    Ok(web::Json(
        passwords::change_own_password(&state, &caller, input, address).await?,
    ))
}
