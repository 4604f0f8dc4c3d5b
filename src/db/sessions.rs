//! Login sessions: refresh tokens (by family, one family per login) and the failed-login
//! throttle's counters (under digests the caller computes), both shared by every instance
//! through the database.

use crate::domain::ids::UserId;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::schema::{login_throttle, refresh_tokens};
use super::{DbConnection, DbError};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: i64,
    pub family_id: String,
    pub user_id: UserId,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub family_started_at: NaiveDateTime,
}

pub struct NewRefreshToken<'a> {
    pub token_hash: &'a str,
    pub family_id: &'a str,
    pub user_id: UserId,
    pub now: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    /// When the family's first token was issued (the login).
    pub family_started_at: NaiveDateTime,
}

pub fn insert_refresh_token(conn: &mut DbConnection, new: NewRefreshToken) -> Result<(), DbError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(new.token_hash),
            refresh_tokens::family_id.eq(new.family_id),
            refresh_tokens::user_id.eq(new.user_id),
            refresh_tokens::issued_at.eq(new.now),
            refresh_tokens::expires_at.eq(new.expires_at),
            refresh_tokens::family_started_at.eq(new.family_started_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<RefreshToken>, DbError> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshToken::as_select())
        .first(conn)
        .optional()?)
}

/// Spends a token; false when it was already spent or revoked (a concurrent refresh won).
pub fn spend_refresh_token(
    conn: &mut DbConnection,
    id: i64,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let updated = diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn revoke_family(
    conn: &mut DbConnection,
    family_id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Revokes every refresh token of these users: all their sessions end.
pub fn revoke_user_tokens(
    conn: &mut DbConnection,
    user_ids: &[UserId],
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq_any(user_ids))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Seconds until the counter under `key` opens again, when it has reached `max_failures` in
/// its window.
pub fn throttled_for(
    conn: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    window: TimeDelta,
    max_failures: i32,
) -> Result<Option<u64>, DbError> {
    let row: Option<(i32, NaiveDateTime)> = login_throttle::table
        .find(key)
        .select((login_throttle::failures, login_throttle::window_starts_at))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(failures, starts)| {
        let reopens = starts + window;
        (failures >= max_failures && reopens > now)
            .then(|| (reopens - now).num_seconds().max(1) as u64)
    }))
}

/// Counts a failed login under `key` (of the user `username_key`): within the window it adds
/// one, after it a new window starts.
pub fn record_failure(
    conn: &mut DbConnection,
    key: &str,
    username_key: &str,
    now: NaiveDateTime,
    window: TimeDelta,
) -> Result<(), DbError> {
    let seed = diesel::insert_into(login_throttle::table)
        .values((
            login_throttle::throttle_key.eq(key),
            login_throttle::username_key.eq(username_key),
            login_throttle::failures.eq(0),
            login_throttle::window_starts_at.eq(now),
        ))
        .on_conflict(login_throttle::throttle_key)
        .do_nothing();
    crate::on_backend!(conn, |c| seed.execute(c))?;
    let counted = diesel::update(
        login_throttle::table
            .find(key)
            .filter(login_throttle::window_starts_at.gt(now - window)),
    )
    .set(login_throttle::failures.eq(login_throttle::failures + 1))
    .execute(conn)?;
    if counted == 0 {
        diesel::update(login_throttle::table.find(key))
            .set((
                login_throttle::failures.eq(1),
                login_throttle::window_starts_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear_failures(conn: &mut DbConnection, key: &str) -> Result<(), DbError> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)?;
    Ok(())
}

/// Forgets every counter of one user (an unlock); how many there were.
pub fn clear_user_failures(conn: &mut DbConnection, username_key: &str) -> Result<usize, DbError> {
    Ok(
        diesel::delete(login_throttle::table.filter(login_throttle::username_key.eq(username_key)))
            .execute(conn)?,
    )
}

/// Forgets counters whose window began before `cutoff`; how many.
pub fn purge_failures_before(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(
        diesel::delete(login_throttle::table.filter(login_throttle::window_starts_at.lt(cutoff)))
            .execute(conn)?,
    )
}
