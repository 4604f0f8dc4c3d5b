//! `/auth`: logging in and out, refreshing, client credentials; and `/me`.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse, get, post, web};

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
        (status = 200, description = "An access token and a refresh token (with `refresh_cookie`, the refresh token is set in the `ea_refresh` cookie and left out of the body)", body = TokenResponse),
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
    req: HttpRequest,
    address: ClientAddress,
    Json(input): Json<Login>,
) -> Result<HttpResponse, Error> {
    let in_cookie = input.refresh_cookie;
    let tokens = sessions::login(&state, input, address).await?;
    Ok(answer(&req, tokens, in_cookie))
}

/// Exchange a refresh token for a new pair; the presented one is spent. The session keeps its
/// start: refreshing never takes it past its absolute lifetime. A token from the cookie is
/// answered in the cookie.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new access token and refresh token (the refresh token in the `ea_refresh` cookie when the presented one came from it)", body = TokenResponse),
        (status = 401, description = "Invalid, spent, revoked or expired refresh token, a session past SESSION_LIFETIME_SECS, or a deactivated account or enterprise", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No refresh token, in the body or the cookie", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    Json(input): Json<RefreshRequest>,
) -> Result<HttpResponse, Error> {
    let (presented, in_cookie) = presented(&req, input)?;
    let tokens = sessions::refresh(&state, &presented).await?;
    Ok(answer(&req, tokens, in_cookie))
}

/// Log out: revoke the session, its refresh tokens and its access tokens; the cookie, if any,
/// is cleared.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Logged out (also for an unknown token)"),
        (status = 422, description = "No refresh token, in the body or the cookie", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    Json(input): Json<RefreshRequest>,
) -> Result<HttpResponse, Error> {
    let (presented, in_cookie) = presented(&req, input)?;
    sessions::logout(&state, &presented).await?;
    let mut response = HttpResponse::NoContent();
    if in_cookie {
        let mut cookie = refresh_cookie(&req, String::new());
        cookie.make_removal();
        response.cookie(cookie);
    }
    Ok(response.finish())
}

/// The cookie a web page's refresh token travels in.
const REFRESH_COOKIE: &str = "ea_refresh";

/// The refresh token presented, from the body or else the cookie, and whether it was the cookie.
fn presented(req: &HttpRequest, input: RefreshRequest) -> Result<(String, bool), Error> {
    match input.refresh_token {
        Some(presented) => Ok((presented, false)),
        None => req
            .cookie(REFRESH_COOKIE)
            .map(|c| (c.value().to_owned(), true))
            .ok_or_else(|| Error::invalid("refresh_token", "missing (in the body or the cookie)")),
    }
}

/// The tokens as JSON; with `in_cookie`, the refresh token goes in the cookie instead.
fn answer(req: &HttpRequest, mut tokens: TokenResponse, in_cookie: bool) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if in_cookie && let Some(spare) = tokens.refresh_token.take() {
        response.cookie(refresh_cookie(req, spare));
    }
    response.json(tokens)
}

/// HttpOnly (no script reads it), sent only to the auth endpoints, never from another site,
/// and only over HTTPS when the page came over HTTPS; a session cookie (gone with the browser).
fn refresh_cookie(req: &HttpRequest, value: String) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path("/api/v1/auth/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(req.connection_info().scheme() == "https")
        .finish()
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
