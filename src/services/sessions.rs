//! Logging in and out, refreshing, and exchanging client credentials for a token. A login
//! starts a session (a refresh-token family) with an absolute lifetime; each access token
//! carries its session and its user's token generation, so either can be revoked at once
//! (`services::revocations`).

use chrono::{NaiveDateTime, TimeDelta};

use super::login_throttle::{self, Attempt};
use super::revocations::{self, revoke_session};
use crate::api::sessions::{ClientCredentials, Login, TokenResponse};
use crate::auth::Principal;
use crate::auth::revocation::Revocation;
use crate::auth::token::{self, Grant};
use crate::db::users::User;
use crate::db::{DbConnection, DbError, api_clients, sessions, users, write_transaction};
use crate::domain::account::normalize_username;
use crate::domain::address::ClientAddress;
use crate::domain::ids::UserId;
use crate::error::Error;
use crate::state::AppState;

fn invalid_login() -> Error {
    Error::Unauthorized("invalid username or password".into())
}

fn invalid_refresh() -> Error {
    Error::Unauthorized("the refresh token is invalid, spent or expired".into())
}

fn access_token(state: &AppState, principal: &Principal, grant: Grant) -> TokenResponse {
    TokenResponse {
        access_token: state.tokens.issue(principal, grant, state.clock.now()),
        token_type: "Bearer",
        expires_in: state.tokens.access_ttl_secs,
        refresh_token: None,
    }
}

/// A new session's first tokens, or a session's next ones.
pub struct Session {
    pub user: User,
    pub family_id: String,
    pub refresh_token: String,
}

impl Session {
    pub fn into_response(self, state: &AppState) -> Result<TokenResponse, Error> {
        let grant = Grant {
            generation: self.user.token_generation,
            session: Some(&self.family_id),
        };
        let principal = users::principal_of(&self.user, false)?;
        Ok(TokenResponse {
            refresh_token: Some(self.refresh_token),
            ..access_token(state, &principal, grant)
        })
    }
}

/// How long refresh tokens last, and the sessions they belong to.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    refresh: TimeDelta,
    session: TimeDelta,
}

impl Lifetimes {
    pub fn of(state: &AppState) -> Lifetimes {
        Lifetimes {
            refresh: state.refresh_ttl,
            session: state.session_lifetime,
        }
    }
}

/// Writes the next refresh token of a family begun at `started`: it expires after the refresh
/// lifetime, but never after the session's.
fn issue_refresh(
    conn: &mut DbConnection,
    lifetimes: Lifetimes,
    user: User,
    family_id: String,
    started: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<Session, DbError> {
    let refresh_token = token::random_secret();
    let expires_at = (now + lifetimes.refresh).min(started + lifetimes.session);
    sessions::insert_refresh_token(
        conn,
        sessions::NewRefreshToken {
            token_hash: &token::digest(&refresh_token),
            family_id: &family_id,
            user_id: user.id,
            now,
            expires_at,
            family_started_at: started,
        },
    )?;
    Ok(Session {
        user,
        family_id,
        refresh_token,
    })
}

/// Starts a session for `user`; inside a write transaction.
pub fn start_session(
    conn: &mut DbConnection,
    lifetimes: Lifetimes,
    user: User,
    now: NaiveDateTime,
) -> Result<Session, DbError> {
    let family_id = uuid::Uuid::new_v4().to_string();
    issue_refresh(conn, lifetimes, user, family_id, now, now)
}

/// Checks a password login from `address`. Unknown users, wrong passwords and deactivated
/// accounts (or enterprises) look alike, in answer and in time; a name no account can have is
/// refused at once, without hashing or storing anything.
pub async fn login(
    state: &AppState,
    input: Login,
    address: ClientAddress,
) -> Result<TokenResponse, Error> {
    let Ok(username) = normalize_username(&input.username) else {
        // Its first characters only: a name of any length is not logged whole.
        let username: String = input.username.chars().take(64).collect();
        tracing::warn!(target: "audit", event = "auth.login", username = ?username, outcome = "failure", "login with an impossible username");
        return Err(invalid_login());
    };
    let attempt = Attempt::new(&username, &address);
    let now = state.clock.now();
    let (closed, account) = state
        .db
        .run({
            let (attempt, name) = (attempt.clone(), username.clone());
            move |conn| {
                let closed = attempt.closed_for(conn, now)?;
                Ok::<_, DbError>((closed, users::find_credentials(conn, &name)?))
            }
        })
        .await?;
    if let Some(retry_after_secs) = closed {
        tracing::warn!(target: "audit", event = "auth.login", username = ?username, outcome = "throttled", "login refused");
        return Err(login_throttle::refusal(retry_after_secs));
    }
    let (user_id, hash) = match account {
        Some((user, hash)) => (Some(user.id), hash),
        None => (None, None),
    };
    let verified = state.hashing.verify(input.password, hash).await?;
    let lifetimes = Lifetimes::of(state);
    let session = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                // Read again at the end: a deactivation during the hashing still counts.
                let usable = match user_id.filter(|_| verified) {
                    Some(id) => users::find_usable(c, id)?,
                    None => None,
                };
                let Some(user) = usable else {
                    attempt.failed(c, now)?;
                    return Ok(None);
                };
                attempt.succeeded(c)?;
                Ok::<_, DbError>(Some(start_session(c, lifetimes, user, now)?))
            })
        })
        .await?;
    let Some(session) = session else {
        tracing::warn!(target: "audit", event = "auth.login", username = ?username, outcome = "failure", "login failed");
        return Err(invalid_login());
    };
    tracing::info!(target: "audit", event = "auth.login", actor_id = session.user.id.get(), outcome = "success", "logged in");
    session.into_response(state)
}

enum Rotation {
    Rotated(Session),
    Rejected,
    /// A spent token presented again: its family is revoked, access tokens included.
    Reused(UserId, Revocation),
}

/// The next pair of the family of `presented`, inside a write transaction.
fn rotate(
    c: &mut DbConnection,
    lifetimes: Lifetimes,
    presented: &str,
    now: NaiveDateTime,
) -> Result<Rotation, DbError> {
    let Some(old) = sessions::find_refresh_token(c, presented)? else {
        return Ok(Rotation::Rejected);
    };
    let session_over = old.family_started_at + lifetimes.session <= now;
    if old.revoked_at.is_some() || old.expires_at <= now || session_over {
        return Ok(Rotation::Rejected);
    }
    if !sessions::spend_refresh_token(c, old.id, now)? {
        sessions::revoke_family(c, &old.family_id, now)?;
        let ended = revoke_session(c, &old.family_id, now)?;
        return Ok(Rotation::Reused(old.user_id, ended));
    }
    let Some(user) = users::find_usable(c, old.user_id)? else {
        sessions::revoke_family(c, &old.family_id, now)?;
        return Ok(Rotation::Rejected);
    };
    let session = issue_refresh(
        c,
        lifetimes,
        user,
        old.family_id,
        old.family_started_at,
        now,
    )?;
    Ok(Rotation::Rotated(session))
}

/// Spends a refresh token for a new pair. A token presented a second time means it leaked:
/// its whole family is revoked, the rightful holder's newest tokens included.
pub async fn refresh(state: &AppState, refresh_token: &str) -> Result<TokenResponse, Error> {
    let now = state.clock.now();
    let presented = token::digest(refresh_token);
    let lifetimes = Lifetimes::of(state);
    let outcome = state
        .db
        .run(move |conn| write_transaction(conn, |c| rotate(c, lifetimes, &presented, now)))
        .await?;
    match outcome {
        Rotation::Rotated(session) => {
            tracing::info!(target: "audit", event = "auth.refresh", actor_id = session.user.id.get(), outcome = "success", "tokens refreshed");
            session.into_response(state)
        }
        Rotation::Reused(user_id, ended) => {
            revocations::take_effect(state, &[ended]);
            tracing::warn!(target: "audit", event = "auth.refresh_reuse", actor_id = user_id.get(), outcome = "family_revoked", "refresh token reused; family revoked");
            Err(invalid_refresh())
        }
        Rotation::Rejected => {
            tracing::warn!(target: "audit", event = "auth.refresh", outcome = "failure", "refresh refused");
            Err(invalid_refresh())
        }
    }
}

/// Revokes the session of the presented token, its access tokens included; unknown tokens are
/// ignored alike.
pub async fn logout(state: &AppState, refresh_token: &str) -> Result<(), Error> {
    let now = state.clock.now();
    let presented = token::digest(refresh_token);
    let ended = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let Some(old) = sessions::find_refresh_token(c, &presented)? else {
                    return Ok(None);
                };
                sessions::revoke_family(c, &old.family_id, now)?;
                Ok::<_, DbError>(Some((old.user_id, revoke_session(c, &old.family_id, now)?)))
            })
        })
        .await?;
    if let Some((user_id, ended)) = ended {
        revocations::take_effect(state, &[ended]);
        tracing::info!(target: "audit", event = "auth.logout", actor_id = user_id.get(), outcome = "success", "logged out");
    }
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
    let verified = state.hashing.verify(input.client_secret, hash).await?;
    match user.filter(|_| verified) {
        Some(user) => {
            tracing::info!(target: "audit", event = "auth.client_token", actor_id = user.id.get(), outcome = "success", "client token issued");
            let grant = Grant {
                generation: user.token_generation,
                session: None,
            };
            Ok(access_token(
                state,
                &users::principal_of(&user, true)?,
                grant,
            ))
        }
        None => {
            tracing::warn!(target: "audit", event = "auth.client_token", client_id = ?input.client_id, outcome = "failure", "client credentials refused");
            Err(Error::Unauthorized("invalid client credentials".into()))
        }
    }
}
