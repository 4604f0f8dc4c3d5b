//! The stored calendar: the loaded years, their exception days, and the version counter every
//! change moves on, by which other instances notice it.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::schema::{calendar_days, calendar_version, calendar_years};
use super::{DbConnection, DbError};
use crate::domain::calendar::{self, CalendarDay, DayKind, Year, YearCalendar};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendar_days)]
struct DayRow {
    date: NaiveDate,
    year: i32,
    kind: DayKind,
    name: Option<String>,
}

/// Loads the bundled years that are not loaded yet (all of them into a new database; a year an
/// administrator replaced stays as they left it). Answers how many years it added.
pub fn seed_bundled(conn: &mut DbConnection) -> Result<usize, DbError> {
    // Instances starting at once queue here, so the later ones find the years loaded.
    diesel::update(calendar_version::table)
        .set(calendar_version::version.eq(calendar_version::version))
        .execute(conn)?;
    let loaded: Vec<i32> = calendar_years::table
        .select(calendar_years::year)
        .load(conn)?;
    let missing: Vec<YearCalendar> = calendar::bundled_years()
        .into_iter()
        .filter(|y| !loaded.contains(&y.year().get()))
        .collect();
    if !missing.is_empty() {
        replace_years(conn, &missing)?;
    }
    Ok(missing.len())
}

/// Replaces each year's exceptions with the given ones (loading the year if it was not) and
/// moves the version on. Run it inside a write transaction.
pub fn replace_years(conn: &mut DbConnection, years: &[YearCalendar]) -> Result<(), DbError> {
    // First, so concurrent replacements queue on the version row instead of colliding on days.
    diesel::update(calendar_version::table)
        .set(calendar_version::version.eq(calendar_version::version + 1))
        .execute(conn)?;
    let numbers: Vec<i32> = years.iter().map(|y| y.year().get()).collect();
    diesel::delete(calendar_days::table.filter(calendar_days::year.eq_any(&numbers)))
        .execute(conn)?;
    let new_years: Vec<_> = numbers
        .iter()
        .map(|&y| calendar_years::year.eq(y))
        .collect();
    let insert = diesel::insert_into(calendar_years::table)
        .values(&new_years)
        .on_conflict_do_nothing();
    crate::on_backend!(conn, |c| insert.execute(c))?;
    let rows: Vec<DayRow> = years
        .iter()
        .flat_map(|y| y.days())
        .map(|day| DayRow {
            date: day.date,
            year: day.date.year(),
            kind: day.kind,
            name: day.name.clone(),
        })
        .collect();
    for chunk in rows.chunks(super::ROWS_PER_STATEMENT) {
        let insert = diesel::insert_into(calendar_days::table).values(chunk.to_vec());
        crate::on_backend!(conn, |c| insert.execute(c))?;
    }
    Ok(())
}

/// The version of the stored calendar: it moves on with every change.
pub fn version(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(calendar_version::table
        .select(calendar_version::version)
        .first(conn)?)
}

/// The whole stored calendar and its version, read in one snapshot by the caller.
pub fn load(conn: &mut DbConnection) -> Result<(i64, Vec<YearCalendar>), DbError> {
    let version = version(conn)?;
    let years: Vec<i32> = calendar_years::table
        .select(calendar_years::year)
        .order(calendar_years::year)
        .load(conn)?;
    let rows: Vec<DayRow> = calendar_days::table
        .select(DayRow::as_select())
        .order(calendar_days::date)
        .load(conn)?;
    let mut by_year: BTreeMap<i32, Vec<CalendarDay>> =
        years.into_iter().map(|y| (y, Vec::new())).collect();
    for row in rows {
        let days = by_year
            .get_mut(&row.year)
            .ok_or_else(|| corrupt(format!("{} in a year not loaded", row.date)))?;
        days.push(CalendarDay {
            date: row.date,
            kind: row.kind,
            name: row.name,
        });
    }
    let mut loaded = Vec::with_capacity(by_year.len());
    for (number, days) in by_year {
        let year = Year::new(number).ok_or_else(|| corrupt(format!("year {number}")))?;
        let calendar = YearCalendar::new(year, days)
            .map_err(|errors| corrupt(format!("{year}: {:?}", errors[0])))?;
        loaded.push(calendar);
    }
    Ok((version, loaded))
}

/// Stored rows the domain refuses: the constraints should have kept them out.
fn corrupt(what: String) -> DbError {
    DbError::Query(diesel::result::Error::DeserializationError(
        format!("the stored calendar is invalid: {what}").into(),
    ))
}
