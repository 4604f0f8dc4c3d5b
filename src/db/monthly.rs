//! Frozen monthly reports: which months are frozen (claimed once, by a unique insert), and each
//! month's reports as JSON text, stored once and only read afterwards.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{frozen_months, monthly_reports};
use super::{DbConnection, DbError, ROWS_PER_STATEMENT};
use crate::domain::rollup::Month;

/// A frozen month: when, and with which definitions of the figures.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = frozen_months)]
pub struct FrozenMonth {
    pub month: String,
    pub frozen_at: NaiveDateTime,
    pub formula_version: i32,
}

/// One region's report of a month, as answered.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = monthly_reports)]
pub struct StoredReport {
    pub month: String,
    pub region_code: String,
    pub report: String,
}

/// The frozen month `month`, if it is.
pub fn frozen(conn: &mut DbConnection, month: Month) -> Result<Option<FrozenMonth>, DbError> {
    Ok(frozen_months::table
        .find(month.to_string())
        .select(FrozenMonth::as_select())
        .first(conn)
        .optional()?)
}

/// The months from `first` to `last` (both included) that are frozen.
pub fn frozen_between(
    conn: &mut DbConnection,
    first: Month,
    last: Month,
) -> Result<Vec<String>, DbError> {
    Ok(frozen_months::table
        .filter(frozen_months::month.between(first.to_string(), last.to_string()))
        .select(frozen_months::month)
        .load(conn)?)
}

/// Claims `month` for freezing: true when this call inserted its row, false when it was frozen
/// already. On PostgreSQL a concurrent claimer waits for the first one's transaction and then
/// finds the row (`ON CONFLICT DO NOTHING`); on SQLite write transactions run one at a time.
pub fn claim(
    conn: &mut DbConnection,
    month: Month,
    frozen_at: NaiveDateTime,
    formula_version: i32,
) -> Result<bool, DbError> {
    let insert = diesel::insert_into(frozen_months::table)
        .values((
            frozen_months::month.eq(month.to_string()),
            frozen_months::frozen_at.eq(frozen_at),
            frozen_months::formula_version.eq(formula_version),
        ))
        .on_conflict_do_nothing();
    let inserted = crate::on_backend!(conn, |c| insert.execute(c))?;
    Ok(inserted == 1)
}

/// Stores a month's reports (in the transaction that claimed the month).
pub fn store(conn: &mut DbConnection, reports: &[StoredReport]) -> Result<(), DbError> {
    for chunk in reports.chunks(ROWS_PER_STATEMENT) {
        let insert = diesel::insert_into(monthly_reports::table).values(chunk.to_vec());
        crate::on_backend!(conn, |c| insert.execute(c))?;
    }
    Ok(())
}

/// The stored report of `region_code` (`000000`: the country) for `month`, if one was stored.
pub fn report(
    conn: &mut DbConnection,
    month: Month,
    region_code: &str,
) -> Result<Option<String>, DbError> {
    Ok(monthly_reports::table
        .find((month.to_string(), region_code.to_owned()))
        .select(monthly_reports::report)
        .first(conn)
        .optional()?)
}
