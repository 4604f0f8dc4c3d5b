//! Idempotency keys of ticket filings, kept at least a day.

use crate::domain::ids::{TicketId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::idempotency_keys;
use super::{DbConnection, DbError};

/// The request digest and ticket a key was first used for.
pub fn find(
    conn: &mut DbConnection,
    user_id: UserId,
    key: &str,
) -> Result<Option<(String, TicketId)>, DbError> {
    Ok(idempotency_keys::table
        .find((user_id, key))
        .select((idempotency_keys::request_hash, idempotency_keys::ticket_id))
        .first(conn)
        .optional()?)
}

/// Records the key; a concurrent filing with the same key fails here with `Duplicate`.
pub fn insert(
    conn: &mut DbConnection,
    user_id: UserId,
    key: &str,
    request_hash: &str,
    ticket_id: TicketId,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::ticket_id.eq(ticket_id),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets keys recorded before `cutoff`.
pub fn purge_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> Result<usize, DbError> {
    Ok(
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff)))
            .execute(conn)?,
    )
}
