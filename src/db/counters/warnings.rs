//! The colour counters (`ticket_warnings`): open tickets by colour per county and category, kept
//! with every change of colour and served with the few changes the periodic job has not yet
//! counted.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::columns::colours;
use super::periods::ALL_CATEGORIES;
use super::recount::CountedTicket;
use super::upsert::{self, Addition, CounterTable};
use crate::db::schema::{ticket_warnings, tickets};
use crate::db::{DbConnection, DbError};
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::rollup::WarningCounts;

/// The colour counts, for [`upsert::add`].
static WARNINGS: CounterTable = CounterTable {
    name: colours::TABLE,
    text_keys: &["category", "county_code"],
    number_keys: &[],
    counts: colours::NAMES,
};

/// Adds a ticket's change of counted colour to its category's row and the all-categories row
/// (always in that order, as [`record`](super::periods::record) does); nothing when the colour did not
/// change.
pub fn record_warning(
    conn: &mut DbConnection,
    category: &str,
    county_code: &RegionCode,
    change: WarningCounts,
) -> Result<(), DbError> {
    if change.is_zero() {
        return Ok(());
    }
    let rows = [category, ALL_CATEGORIES].map(|c| WarningRow::new(c, county_code.as_str(), change));
    add_warnings(conn, rows.into())
}

/// One row of colour counts to add to its category and county.
#[derive(Debug)]
pub struct WarningRow {
    category: String,
    county_code: String,
    counts: [i32; colours::COUNT],
}

impl WarningRow {
    pub fn new(category: &str, county_code: &str, counts: WarningCounts) -> WarningRow {
        WarningRow {
            category: category.to_owned(),
            county_code: county_code.to_owned(),
            counts: colours::numbers(&counts),
        }
    }

    fn addition(&self) -> Addition<'_> {
        Addition {
            texts: vec![&self.category, &self.county_code],
            numbers: &self.counts,
        }
    }
}

/// Adds colour counts to their keys, as [`add`](super::periods::add) does for the period counters.
pub fn add_warnings(conn: &mut DbConnection, rows: Vec<WarningRow>) -> Result<(), DbError> {
    let additions: Vec<Addition> = rows.iter().map(WarningRow::addition).collect();
    upsert::add(conn, &WARNINGS, &additions)
}

/// Open tickets by colour per county inside `range`, as of `now` (not bound to a period): the
/// stored counts (one row per county), plus the change of the few tickets whose count expired
/// since the periodic job last moved them on. The work grows with the counties, not the tickets.
pub fn warnings_by_county(
    conn: &mut DbConnection,
    range: &CodeRange,
    category: Option<&str>,
    now: NaiveDateTime,
) -> Result<BTreeMap<String, WarningCounts>, DbError> {
    let stored: Vec<(String, colours::Row)> = ticket_warnings::table
        .filter(ticket_warnings::category.eq(category.unwrap_or(ALL_CATEGORIES).to_owned()))
        .filter(ticket_warnings::county_code.between(range.first.clone(), range.last.clone()))
        .select((ticket_warnings::county_code, colours::ALL))
        .load(conn)?;
    let mut by_county: BTreeMap<String, WarningCounts> = stored
        .into_iter()
        .map(|(county, row)| (county, colours::from_row(row)))
        .collect();
    for ticket in counts_expired_within(conn, range, category, now)? {
        let entry = by_county.entry(ticket.county_code.to_string()).or_default();
        *entry = *entry + ticket.warning_change(now);
    }
    Ok(by_county)
}

/// Open tickets by colour per category inside `range`, as of `now`, as [`warnings_by_county`]
/// counts them: the stored counts summed per category (the all-categories rows left out), plus
/// the change of the tickets whose count expired.
pub fn warnings_by_category(
    conn: &mut DbConnection,
    range: &CodeRange,
    now: NaiveDateTime,
) -> Result<BTreeMap<String, WarningCounts>, DbError> {
    let stored: Vec<(String, colours::Sums)> = ticket_warnings::table
        .filter(ticket_warnings::category.ne(ALL_CATEGORIES))
        .filter(ticket_warnings::county_code.between(range.first.clone(), range.last.clone()))
        .group_by(ticket_warnings::category)
        .select((ticket_warnings::category, colours::sums()))
        .load(conn)?;
    let mut by_category: BTreeMap<String, WarningCounts> = stored
        .into_iter()
        .map(|(category, sums)| (category, colours::from_sums(sums)))
        .collect();
    for ticket in counts_expired_within(conn, range, None, now)? {
        let entry = by_category.entry(ticket.category.clone()).or_default();
        *entry = *entry + ticket.warning_change(now);
    }
    Ok(by_category)
}

/// The tickets inside `range` (of one category, or all) whose warning count has expired by
/// `now`: what a report adds to the stored counts.
fn counts_expired_within(
    conn: &mut DbConnection,
    range: &CodeRange,
    category: Option<&str>,
    now: NaiveDateTime,
) -> Result<Vec<CountedTicket>, DbError> {
    let mut query = tickets::table
        .filter(tickets::counted_until.le(now))
        .filter(tickets::county_code.between(range.first.clone(), range.last.clone()))
        .select(CountedTicket::as_select())
        .into_boxed();
    if let Some(category) = category {
        query = query.filter(tickets::category.eq(category.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// Every stored colour count by category and county.
pub fn stored_warnings(
    conn: &mut DbConnection,
) -> Result<BTreeMap<(String, String), WarningCounts>, DbError> {
    let rows: Vec<(String, String, colours::Row)> = ticket_warnings::table
        .select((
            ticket_warnings::category,
            ticket_warnings::county_code,
            colours::ALL,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(category, county, row)| ((category, county), colours::from_row(row)))
        .filter(|(_, w)| !w.is_zero())
        .collect())
}
