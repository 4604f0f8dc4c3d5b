//! Pairings: which cadres assist which enterprise.

use diesel::prelude::*;

use super::schema::enterprise_cadres;
use super::{DbConnection, DbError};

/// The enterprise's primary cadre, if it has one.
pub fn primary_cadre(conn: &mut DbConnection, enterprise_id: i64) -> Result<Option<i64>, DbError> {
    Ok(enterprise_cadres::table
        .filter(enterprise_cadres::enterprise_id.eq(enterprise_id))
        .filter(enterprise_cadres::is_primary.eq(true))
        .select(enterprise_cadres::user_id)
        .first(conn)
        .optional()?)
}

/// Whether the cadre is paired with the enterprise (primary or not).
pub fn is_paired(
    conn: &mut DbConnection,
    enterprise_id: i64,
    user_id: i64,
) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        enterprise_cadres::table.find((enterprise_id, user_id)),
    ))
    .get_result(conn)?)
}
