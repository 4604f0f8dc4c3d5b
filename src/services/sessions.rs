//! Logging in and out, refreshing, and exchanging client credentials for a token.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Principal, password, token};
use crate::db::users::User;
use crate::db::{DbError, api_clients, sessions, users, write_transaction};
use crate::domain::account::normalize_username;
use crate::error::Error;
use crate::state::AppState;

/// Failed logins per username before the throttle closes, and how long it stays closed.
const MAX_FAILURES: i32 = 5;
const THROTTLE_WINDOW: TimeDelta = TimeDelta::minutes(15);

#[derive(Debug, Deserialize, ToSchema)]
pub struct Login {
    #[schema(example = "cadre.li")]
    pub username: String,
    #[schema(example = "correct horse battery staple")]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

/// Tokens handed to a client.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer <token>`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Single use: exchange it at `/auth/refresh` for a new pair. Absent for API clients.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

fn invalid_login() -> Error {
    Error::Unauthorized("invalid username or password".into())
}

fn invalid_refresh() -> Error {
    Error::Unauthorized("the refresh token is invalid, spent or expired".into())
}

fn access_only(state: &AppState, principal: &Principal) -> TokenResponse {
    TokenResponse {
        access_token: state.tokens.issue(principal, state.clock.now()),
        token_type: "Bearer",
        expires_in: state.tokens.access_ttl_secs,
        refresh_token: None,
    }
}

/// Checks a password login; unknown users, wrong passwords and deactivated accounts look alike,
/// in answer and in time.
pub async fn login(state: &AppState, input: Login) -> Result<TokenResponse, Error> {
    let username = normalize_username(&input.username).unwrap_or_else(|_| input.username.clone());
    let now = state.clock.now();
    let name = username.clone();
    let (throttled, account) = state
        .db
        .run(move |conn| {
            let throttled =
                sessions::throttled_for(conn, &name, now, THROTTLE_WINDOW, MAX_FAILURES)?;
            Ok::<_, DbError>((throttled, users::find_credentials(conn, &name)?))
        })
        .await?;
    if let Some(retry_after_secs) = throttled {
        tracing::warn!(target: "audit", event = "auth.login", username = ?username, outcome = "throttled", "login refused");
        return Err(Error::TooManyRequests {
            detail: "too many failed logins for this username; try again later".into(),
            retry_after_secs,
        });
    }
    let (user, hash) = match account {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    let verified = password::verify_off_thread(input.password, hash).await;
    let user = user.filter(|u| verified && u.active);
    let name = username.clone();
    let Some(user) = user else {
        state
            .db
            .run(move |conn| {
                write_transaction(conn, |c| {
                    sessions::record_failure(c, &name, now, THROTTLE_WINDOW)
                })
            })
            .await?;
        tracing::warn!(target: "audit", event = "auth.login", username = ?username, outcome = "failure", "login failed");
        return Err(invalid_login());
    };
    let refresh_token = token::random_secret();
    let family = uuid::Uuid::new_v4().to_string();
    let (hash, expires_at, user_id) = (
        token::digest(&refresh_token),
        now + state.refresh_ttl,
        user.id,
    );
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                sessions::clear_failures(c, &username)?;
                sessions::insert_refresh_token(
                    c,
                    sessions::NewRefreshToken {
                        token_hash: &hash,
                        family_id: &family,
                        user_id,
                        now,
                        expires_at,
                    },
                )
            })
        })
        .await?;
    tracing::info!(target: "audit", event = "auth.login", actor_id = user_id, outcome = "success", "logged in");
    Ok(TokenResponse {
        refresh_token: Some(refresh_token),
        ..access_only(state, &users::principal_of(&user, false))
    })
}

enum Rotation {
    Rotated(User),
    Rejected,
}

/// Spends a refresh token for a new pair. A token presented a second time means it leaked:
/// its whole family is revoked, the rightful holder's newest token included.
pub async fn refresh(state: &AppState, input: RefreshRequest) -> Result<TokenResponse, Error> {
    let now = state.clock.now();
    let presented = token::digest(&input.refresh_token);
    let next = token::random_secret();
    let next_hash = token::digest(&next);
    let expires_at = now + state.refresh_ttl;
    let outcome = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let Some(old) = sessions::find_refresh_token(c, &presented)? else {
                    return Ok(Rotation::Rejected);
                };
                if old.revoked_at.is_some() || old.expires_at <= now {
                    return Ok(Rotation::Rejected);
                }
                if !sessions::spend_refresh_token(c, old.id, now)? {
                    tracing::warn!(
                        target: "audit",
                        event = "auth.refresh_reuse",
                        actor_id = old.user_id,
                        outcome = "family_revoked",
                        "refresh token reused; family revoked"
                    );
                    sessions::revoke_family(c, &old.family_id, now)?;
                    return Ok(Rotation::Rejected);
                }
                let user = users::find(c, old.user_id)?;
                if !user.active {
                    sessions::revoke_family(c, &old.family_id, now)?;
                    return Ok(Rotation::Rejected);
                }
                sessions::insert_refresh_token(
                    c,
                    sessions::NewRefreshToken {
                        token_hash: &next_hash,
                        family_id: &old.family_id,
                        user_id: user.id,
                        now,
                        expires_at,
                    },
                )?;
                Ok::<_, DbError>(Rotation::Rotated(user))
            })
        })
        .await?;
    match &outcome {
        Rotation::Rotated(user) => {
            tracing::info!(target: "audit", event = "auth.refresh", actor_id = user.id, outcome = "success", "tokens refreshed")
        }
        Rotation::Rejected => {
            tracing::warn!(target: "audit", event = "auth.refresh", outcome = "failure", "refresh refused")
        }
    }
    match outcome {
        Rotation::Rotated(user) => Ok(TokenResponse {
            refresh_token: Some(next),
            ..access_only(state, &users::principal_of(&user, false))
        }),
        Rotation::Rejected => Err(invalid_refresh()),
    }
}

/// Revokes the family of the presented token; unknown tokens are ignored alike.
pub async fn logout(state: &AppState, input: RefreshRequest) -> Result<(), Error> {
    let now = state.clock.now();
    let presented = token::digest(&input.refresh_token);
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                if let Some(old) = sessions::find_refresh_token(c, &presented)? {
                    sessions::revoke_family(c, &old.family_id, now)?;
                    tracing::info!(target: "audit", event = "auth.logout", actor_id = old.user_id, outcome = "success", "logged out");
                }
                Ok::<_, DbError>(())
            })
        })
        .await?;
    Ok(())
}

/// Exchanges an API client's id and secret for an access token (no refresh token: the client
/// holds its secret and asks again).
pub async fn client_token(
    state: &AppState,
    input: ClientCredentials,
) -> Result<TokenResponse, Error> {
    let client_id = input.client_id.clone();
    let found = state
        .db
        .run(move |conn| api_clients::find_live(conn, &client_id))
        .await?;
    let (hash, user) = match found {
        Some((hash, user)) => (Some(hash), Some(user)),
        None => (None, None),
    };
    let verified = password::verify_off_thread(input.client_secret, hash).await;
    match user.filter(|_| verified) {
        Some(user) => {
            tracing::info!(target: "audit", event = "auth.client_token", actor_id = user.id, outcome = "success", "client token issued");
            Ok(access_only(state, &users::principal_of(&user, true)))
        }
        None => {
            tracing::warn!(target: "audit", event = "auth.client_token", client_id = ?input.client_id, outcome = "failure", "client credentials refused");
            Err(Error::Unauthorized("invalid client credentials".into()))
        }
    }
}
