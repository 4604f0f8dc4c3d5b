//! The append-only log of token revocations every instance follows, and the token generations
//! of users it refers to.

use crate::domain::ids::UserId;
use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::schema::{token_revocations, users};
use super::{DbConnection, DbError};

/// One row of the log: a user's tokens below `generation`, or a refresh family's tokens.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = token_revocations)]
pub struct StoredRevocation {
    pub id: i64,
    pub user_id: Option<UserId>,
    pub generation: Option<i64>,
    pub family_id: Option<String>,
    pub revoked_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = token_revocations, treat_none_as_default_value = false)]
pub struct NewRevocation {
    pub user_id: Option<UserId>,
    pub generation: Option<i64>,
    pub family_id: Option<String>,
    pub revoked_at: NaiveDateTime,
}

/// Raises the token generation of these users by one; their new generations.
pub fn bump_generations(
    conn: &mut DbConnection,
    user_ids: &[UserId],
) -> Result<Vec<(UserId, i64)>, DbError> {
    let statement = diesel::update(users::table.filter(users::id.eq_any(user_ids)))
        .set(users::token_generation.eq(users::token_generation + 1));
    Ok(crate::on_backend!(conn, |c| statement
        .returning((users::id, users::token_generation))
        .get_results(c))?)
}

/// Appends to the log. Call it last in its transaction: on PostgreSQL it locks the log against
/// other writers until the commit, so ids become visible in increasing order and a follower
/// reading "after id N" never skips a row that commits late (SQLite has one writer anyway).
pub fn append(conn: &mut DbConnection, rows: &[NewRevocation]) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    if let DbConnection::Postgres(pg) = conn {
        pg.batch_execute("LOCK TABLE token_revocations IN SHARE ROW EXCLUSIVE MODE")?;
    }
    let statement = diesel::insert_into(token_revocations::table).values(rows);
    crate::on_backend!(conn, |c| statement.execute(c))?;
    Ok(())
}

/// Up to `limit` rows after id `after`, in id order.
pub fn after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<StoredRevocation>, DbError> {
    Ok(token_revocations::table
        .filter(token_revocations::id.gt(after))
        .order(token_revocations::id)
        .limit(limit)
        .select(StoredRevocation::as_select())
        .load(conn)?)
}

/// Deletes rows older than `cutoff`; how many.
pub fn purge_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> Result<usize, DbError> {
    Ok(
        diesel::delete(token_revocations::table.filter(token_revocations::revoked_at.lt(cutoff)))
            .execute(conn)?,
    )
}
