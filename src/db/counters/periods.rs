//! The period counters (`ticket_stats`): what the tickets of a county, period and category add
//! up to, spread over slots on PostgreSQL, folded back, and summed for reports.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::columns::{narrow, periods};
use super::upsert::{self, Addition, CounterTable};
use crate::db::schema::ticket_stats;
use crate::db::{DbConnection, DbError};
use crate::domain::ids::TicketId;
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::rollup::{Counters, Month, Period};

/// The category under which every ticket is counted again, so reports over all categories read
/// one row per county and period.
pub const ALL_CATEGORIES: &str = "*";

/// Where counts live: a county, a period of filing (a month or a year, see [`Period`]), and a
/// category or [`ALL_CATEGORIES`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub county_code: String,
    pub period: String,
    pub category: String,
}

impl Key {
    /// The keys a ticket of `category` filed in `county_code` in (programme-time) `month`
    /// counts under, in the one order every writer takes their rows in: its category then all
    /// categories, for its month, then for its year.
    pub fn all_of(county_code: &RegionCode, category: &str, month: Month) -> [Key; 4] {
        let [month, year] = Period::of(month);
        let key = |period: Period, category: &str| Key {
            county_code: county_code.to_string(),
            period: period.to_string(),
            category: category.to_owned(),
        };
        [
            key(month, category),
            key(month, ALL_CATEGORIES),
            key(year, category),
            key(year, ALL_CATEGORIES),
        ]
    }
}

/// How many rows each key's counts are spread over on PostgreSQL, which lets concurrent
/// changes in one county and period proceed side by side when they write different rows.
/// Each row is held until its commit is flushed, so the slots bound one county's write rate;
/// with 8, filings all in one county ran at 0.64–0.79 of the rate spread over counties
/// (`bench/run.sh`), with 32 at par. SQLite takes one writer at a time anyway: one slot.
pub const POSTGRES_SLOTS: i64 = 32;

fn slots(conn: &DbConnection) -> i64 {
    match conn {
        DbConnection::Postgres(_) => POSTGRES_SLOTS,
        DbConnection::Sqlite(_) => 1,
    }
}

/// The period counters, for [`upsert::add`].
static STATS: CounterTable = CounterTable {
    name: periods::TABLE,
    text_keys: &["category", "period", "county_code"],
    number_keys: &["slot"],
    counts: periods::NAMES,
};

/// The counters' part of the filing statement, for PostgreSQL: adds what the new ticket `t`
/// counts under its four keys, in the order of [`Key::all_of`] and in the ticket's slot, as
/// [`record`] does. Its binds, in order: the number of slots, the counts (as
/// [`numbers`](periods::numbers) gives them), then each key's category and period.
pub fn filing_insert_sql() -> String {
    let counts = ["?"; periods::COUNT].join(", ");
    format!(
        "INSERT INTO {table} ({columns})
    SELECT k.category, k.period, t.county_code, t.id % ?, {counts}
    FROM t CROSS JOIN (VALUES (?, ?, 1), (?, ?, 2), (?, ?, 3), (?, ?, 4)) AS k (category, period, position)
    ORDER BY k.position
    {on_conflict}",
        table = STATS.name,
        columns = STATS.columns(),
        on_conflict = STATS.on_conflict_add(),
    )
}

/// One row of counters to add to its key's slot.
#[derive(Debug)]
pub struct CounterRow {
    key: Key,
    /// The slot, then the counts.
    numbers: Vec<i32>,
}

impl CounterRow {
    pub fn new(key: Key, slot: i32, counts: Counters) -> CounterRow {
        let numbers = std::iter::once(slot)
            .chain(periods::numbers(&counts))
            .collect();
        CounterRow { key, numbers }
    }

    fn addition(&self) -> Addition<'_> {
        let k = &self.key;
        Addition {
            texts: vec![&k.category, &k.period, &k.county_code],
            numbers: &self.numbers,
        }
    }
}

/// Adds the counts a change of ticket `ticket_id` made under its `keys` (see
/// [`Key::all_of`]); nothing when the change moves no count.
pub fn record(
    conn: &mut DbConnection,
    ticket_id: TicketId,
    keys: [Key; 4],
    change: Counters,
) -> Result<(), DbError> {
    if change.is_zero() {
        return Ok(());
    }
    // Always in the order of `Key::all_of`, in the ticket's one slot: no deadlocks.
    let slot = narrow(ticket_id.get() % slots(conn));
    let rows = keys.map(|key| CounterRow::new(key, slot, change));
    add(conn, rows.into())
}

/// Adds counts to their keys (in the order given), inserting the rows that do not exist yet,
/// in one statement.
pub fn add(conn: &mut DbConnection, rows: Vec<CounterRow>) -> Result<(), DbError> {
    let additions: Vec<Addition> = rows.iter().map(CounterRow::addition).collect();
    upsert::add(conn, &STATS, &additions)
}

/// Keys folded per round at most; the next round goes on.
const FOLD_BATCH: i64 = 2_000;

/// Folds every slot but 0 back into slot 0, one key per transaction, so that a report reads
/// about one row per key; returns how many keys it folded. A fold holds one key's rows at a
/// time and takes slot 0 last, so it cannot deadlock with the changes beside it; two
/// instances folding one key at once: the second finds the slots gone.
pub fn fold_slots(conn: &mut DbConnection) -> Result<usize, DbError> {
    let keys: Vec<(String, String, String)> = ticket_stats::table
        .filter(ticket_stats::slot.gt(0))
        .select((
            ticket_stats::category,
            ticket_stats::period,
            ticket_stats::county_code,
        ))
        .distinct()
        .limit(FOLD_BATCH)
        .load(conn)?;
    let folded = keys.len();
    for (category, period, county_code) in keys {
        crate::db::write_transaction(conn, |c| {
            let slotted = ticket_stats::table
                .filter(ticket_stats::category.eq(&category))
                .filter(ticket_stats::county_code.eq(&county_code))
                .filter(ticket_stats::period.eq(&period))
                .filter(ticket_stats::slot.gt(0));
            let statement = diesel::delete(slotted);
            let moved: Vec<periods::Row> =
                crate::on_backend!(c, |c| statement.returning(periods::ALL).get_results(c))?;
            let total: Counters = moved.into_iter().map(periods::from_row).sum();
            if total.is_zero() {
                return Ok(());
            }
            let key = Key {
                county_code: county_code.clone(),
                period: period.clone(),
                category: category.clone(),
            };
            add(c, vec![CounterRow::new(key, 0, total)])
        })?;
    }
    Ok(folded)
}

/// The counts of `periods` inside `range` of the categories `$categories` selects, grouped by
/// a text column.
macro_rules! grouped_sums {
    ($conn:expr, $group:expr, $range:expr, $periods:expr, $categories:expr) => {{
        let periods: Vec<String> = $periods.map(|p| p.to_string()).collect();
        let rows: Vec<(String, periods::Sums)> = ticket_stats::table
            .filter($categories)
            .filter(ticket_stats::period.eq_any(periods))
            .filter(ticket_stats::county_code.between($range.first.clone(), $range.last.clone()))
            .group_by($group)
            .select(($group, periods::sums()))
            .load($conn)?;
        Ok(rows
            .into_iter()
            .map(|(group, s)| (group, periods::from_sums(s)))
            .collect())
    }};
}

/// The counts of the months from `months.0` to `months.1` per county inside `range`,
/// optionally for one category: the whole years among them read from the yearly rows.
pub fn sums_by_county(
    conn: &mut DbConnection,
    range: &CodeRange,
    months: (Month, Month),
    category: Option<&str>,
) -> Result<Vec<(String, Counters)>, DbError> {
    let periods = Period::covering(months.0, months.1).into_iter();
    let categories = ticket_stats::category.eq(one_or_all(category));
    grouped_sums!(conn, ticket_stats::county_code, range, periods, categories)
}

/// The counts of the months from `months.0` to `months.1` inside `range` per category (the
/// rows of all categories left out): each ticket counts under its own category once, so the
/// categories add up to the all-categories counts.
pub fn sums_by_category(
    conn: &mut DbConnection,
    range: &CodeRange,
    months: (Month, Month),
) -> Result<Vec<(String, Counters)>, DbError> {
    let periods = Period::covering(months.0, months.1).into_iter();
    let categories = ticket_stats::category.ne(ALL_CATEGORIES);
    grouped_sums!(conn, ticket_stats::category, range, periods, categories)
}

/// The counts of each month from `months.0` to `months.1` inside `range`, optionally for one
/// category.
pub fn sums_by_month(
    conn: &mut DbConnection,
    range: &CodeRange,
    months: (Month, Month),
    category: Option<&str>,
) -> Result<Vec<(String, Counters)>, DbError> {
    let periods = months.0.through(months.1);
    let categories = ticket_stats::category.eq(one_or_all(category));
    grouped_sums!(conn, ticket_stats::period, range, periods, categories)
}

/// The key of one category's counts, or of all categories'.
fn one_or_all(category: Option<&str>) -> String {
    category.unwrap_or(ALL_CATEGORIES).to_owned()
}

/// The earliest month any ticket was filed in (programme time), from the monthly rows of all
/// categories (`YYYY-MM`; yearly rows are `YYYY`): every ticket counts in its month, and this
/// table is far smaller than the tickets.
pub fn earliest_month(conn: &mut DbConnection) -> Result<Option<Month>, DbError> {
    let earliest: Option<String> = ticket_stats::table
        .filter(ticket_stats::category.eq(ALL_CATEGORIES))
        .filter(ticket_stats::period.like("____-__"))
        .select(diesel::dsl::min(ticket_stats::period))
        .first(conn)?;
    Ok(earliest.as_deref().and_then(Month::parse))
}

/// Every stored key with its counts.
pub fn stored(conn: &mut DbConnection) -> Result<BTreeMap<Key, Counters>, DbError> {
    let rows: Vec<(String, String, String, periods::Sums)> = ticket_stats::table
        .group_by((
            ticket_stats::county_code,
            ticket_stats::period,
            ticket_stats::category,
        ))
        .select((
            ticket_stats::county_code,
            ticket_stats::period,
            ticket_stats::category,
            periods::sums(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(county_code, period, category, s)| {
            let key = Key {
                county_code,
                period,
                category,
            };
            (key, periods::from_sums(s))
        })
        .filter(|(_, c)| !c.is_zero())
        .collect())
}
