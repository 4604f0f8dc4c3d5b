//! A user's own password change (`POST /me/password`): the current password is checked like a
//! login (and throttled like one), the new one follows the usual rules, and every session of
//! the user ends, the caller's too; the answer is a new session.

use super::login_throttle::{self, Attempt};
use super::revocations::{self, revoke_users};
use super::sessions::{Lifetimes, start_session};
use crate::api::sessions::{ChangePassword, TokenResponse};
use crate::auth::revocation::Revoked;
use crate::auth::{Principal, policy};
use crate::db::users::UserChanges;
use crate::db::{DbError, sessions, users, write_transaction};
use crate::domain::account::check_password;
use crate::domain::address::ClientAddress;
use crate::error::{Error, FieldErrors};
use crate::state::AppState;

pub async fn change_own_password(
    state: &AppState,
    caller: &Principal,
    input: ChangePassword,
    address: ClientAddress,
) -> Result<TokenResponse, Error> {
    policy::change_own_password(caller)?;
    let mut errors = FieldErrors::default();
    errors.check("new_password", check_password(&input.new_password));
    if input.new_password == input.current_password {
        errors.add("new_password", "must differ from the current password");
    }
    errors.into_result()?;
    let (id, now) = (caller.user_id(), state.clock.now());
    let (user, hash, closed) = state
        .db
        .run(move |conn| {
            let (user, hash) = users::find_credentials_of(conn, id)?;
            let closed = Attempt::new(&user.username, &address).closed_for(conn, now)?;
            Ok::<_, DbError>((user, hash, closed))
        })
        .await?;
    if let Some(retry_after_secs) = closed {
        return Err(login_throttle::refusal(retry_after_secs));
    }
    let attempt = Attempt::new(&user.username, &address);
    if !state.hashing.verify(input.current_password, hash).await? {
        state
            .db
            .run(move |conn| write_transaction(conn, |c| attempt.failed(c, now)))
            .await?;
        tracing::warn!(target: "audit", event = "user.password_change", actor_id = id.get(), outcome = "failure", "wrong current password");
        return Err(Error::invalid(
            "current_password",
            "is not your current password",
        ));
    }
    let hash = state.hashing.hash(input.new_password).await?;
    let lifetimes = Lifetimes::of(state);
    let (mut session, ended) = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let changes = UserChanges {
                    password_hash: Some(hash),
                    updated_at: Some(now),
                    ..UserChanges::default()
                };
                let user = users::update(c, id, &changes)?;
                sessions::revoke_user_tokens(c, &[id], now)?;
                attempt.succeeded(c)?;
                let session = start_session(c, lifetimes, user, now)?;
                let ended = revoke_users(c, &[id], now)?;
                Ok::<_, DbError>((session, ended))
            })
        })
        .await?;
    revocations::take_effect(state, &ended);
    // The new session's tokens carry the generation the revocation raised.
    for revocation in &ended {
        if let Revoked::User { generation, .. } = revocation.revoked {
            session.user.token_generation = generation;
        }
    }
    tracing::info!(target: "audit", event = "user.password_change", actor_id = id.get(), outcome = "success", "password changed; other sessions ended");
    session.into_response(state)
}
