//! The statistics counters: kept with every ticket change, summed for reports, and recounted
//! from the tickets to prove them.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::dsl::sum;
use diesel::prelude::*;

use super::counts::{self, Addition, CounterTable};
use super::schema::{ticket_stats, ticket_warnings, tickets};
use super::tickets::Ticket;
use super::{DbConnection, DbError};
use crate::domain::region::CodeRange;
use crate::domain::sla;
use crate::domain::stats::{Counters, Month, Period, TicketFacts, WarningCounts};
use crate::domain::time::Tz;

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
    pub fn all_of(county_code: &str, category: &str, month: Month) -> [Key; 4] {
        let [month, year] = Period::of(month);
        let key = |period: Period, category: &str| Key {
            county_code: county_code.to_owned(),
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

impl Ticket {
    pub fn stats_facts(&self) -> TicketFacts {
        TicketFacts {
            status: self.status,
            created_at: self.created_at,
            due_at: self.due_at,
            first_resolved_at: self.first_resolved_at,
            rating: self.rating,
        }
    }

    /// The keys the ticket counts under (see [`Key::all_of`]).
    pub fn stats_keys(&self) -> [Key; 4] {
        Key::all_of(self.county_code.as_str(), &self.category, self.filed_month)
    }
}

fn narrow(value: i64) -> i32 {
    i32::try_from(value).expect("counter changes fit a column")
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

/// The period counters, for [`counts::add`].
static STATS: CounterTable = CounterTable {
    name: "ticket_stats",
    text_keys: &["category", "period", "county_code"],
    number_keys: &["slot"],
    counts: &[
        "filed",
        "withdrawn",
        "open",
        "resolved",
        "closed",
        "reached_resolved",
        "resolved_on_time",
        "resolution_minutes",
        "rated",
        "rating_sum",
    ],
};

/// The colour counts, for [`counts::add`].
static WARNINGS: CounterTable = CounterTable {
    name: "ticket_warnings",
    text_keys: &["category", "county_code"],
    number_keys: &[],
    counts: &["yellow", "orange", "red"],
};

/// One row of counters to add to its key's slot.
#[derive(Debug)]
pub struct CounterRow {
    county_code: String,
    period: String,
    category: String,
    slot: i32,
    filed: i32,
    withdrawn: i32,
    open: i32,
    resolved: i32,
    closed: i32,
    reached_resolved: i32,
    resolved_on_time: i32,
    resolution_minutes: i32,
    rated: i32,
    rating_sum: i32,
}

impl CounterRow {
    pub fn new(key: Key, slot: i32, c: Counters) -> CounterRow {
        CounterRow {
            county_code: key.county_code,
            period: key.period,
            category: key.category,
            slot,
            filed: narrow(c.filed),
            withdrawn: narrow(c.withdrawn),
            open: narrow(c.open),
            resolved: narrow(c.resolved),
            closed: narrow(c.closed),
            reached_resolved: narrow(c.reached_resolved),
            resolved_on_time: narrow(c.resolved_on_time),
            resolution_minutes: narrow(c.resolution_minutes),
            rated: narrow(c.rated),
            rating_sum: narrow(c.rating_sum),
        }
    }

    fn addition(&self) -> Addition<'_> {
        Addition {
            texts: vec![&self.category, &self.period, &self.county_code],
            numbers: vec![
                self.slot,
                self.filed,
                self.withdrawn,
                self.open,
                self.resolved,
                self.closed,
                self.reached_resolved,
                self.resolved_on_time,
                self.resolution_minutes,
                self.rated,
                self.rating_sum,
            ],
        }
    }
}

/// Adds the counts a change of `ticket` made; nothing when the change moves no count.
pub fn record(conn: &mut DbConnection, ticket: &Ticket, change: Counters) -> Result<(), DbError> {
    if change.is_zero() {
        return Ok(());
    }
    // Always in the order of `Key::all_of`, in the ticket's one slot: no deadlocks.
    let slot = narrow(ticket.id % slots(conn));
    let rows = ticket
        .stats_keys()
        .map(|key| CounterRow::new(key, slot, change));
    add(conn, rows.into())
}

/// The counts of one stored row.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = ticket_stats)]
struct StoredCounts {
    filed: i32,
    withdrawn: i32,
    open: i32,
    resolved: i32,
    closed: i32,
    reached_resolved: i32,
    resolved_on_time: i32,
    resolution_minutes: i32,
    rated: i32,
    rating_sum: i32,
}

impl From<StoredCounts> for Counters {
    fn from(s: StoredCounts) -> Counters {
        Counters {
            filed: s.filed.into(),
            withdrawn: s.withdrawn.into(),
            open: s.open.into(),
            resolved: s.resolved.into(),
            closed: s.closed.into(),
            reached_resolved: s.reached_resolved.into(),
            resolved_on_time: s.resolved_on_time.into(),
            resolution_minutes: s.resolution_minutes.into(),
            rated: s.rated.into(),
            rating_sum: s.rating_sum.into(),
        }
    }
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
        super::write_transaction(conn, |c| {
            let slotted = ticket_stats::table
                .filter(ticket_stats::category.eq(&category))
                .filter(ticket_stats::county_code.eq(&county_code))
                .filter(ticket_stats::period.eq(&period))
                .filter(ticket_stats::slot.gt(0));
            let statement = diesel::delete(slotted);
            let moved: Vec<StoredCounts> = crate::on_backend!(c, |c| statement
                .returning(StoredCounts::as_returning())
                .get_results(c))?;
            let total: Counters = moved.into_iter().map(Counters::from).sum();
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

/// Adds counts to their keys (in the order given), inserting the rows that do not exist yet,
/// in one statement.
pub fn add(conn: &mut DbConnection, rows: Vec<CounterRow>) -> Result<(), DbError> {
    let additions: Vec<Addition> = rows.iter().map(CounterRow::addition).collect();
    counts::add(conn, &STATS, &additions)
}

type Sums = (
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn counters(s: Sums) -> Counters {
    let v = |x: Option<i64>| x.unwrap_or(0);
    Counters {
        filed: v(s.0),
        withdrawn: v(s.1),
        open: v(s.2),
        resolved: v(s.3),
        closed: v(s.4),
        reached_resolved: v(s.5),
        resolved_on_time: v(s.6),
        resolution_minutes: v(s.7),
        rated: v(s.8),
        rating_sum: v(s.9),
    }
}

macro_rules! sums {
    () => {
        (
            sum(ticket_stats::filed),
            sum(ticket_stats::withdrawn),
            sum(ticket_stats::open),
            sum(ticket_stats::resolved),
            sum(ticket_stats::closed),
            sum(ticket_stats::reached_resolved),
            sum(ticket_stats::resolved_on_time),
            sum(ticket_stats::resolution_minutes),
            sum(ticket_stats::rated),
            sum(ticket_stats::rating_sum),
        )
    };
}

/// The counts of `periods` inside `range` of one category (or all), grouped by a text column.
macro_rules! grouped_sums {
    ($conn:expr, $group:expr, $range:expr, $periods:expr, $category:expr) => {{
        let category: Option<&str> = $category;
        let periods: Vec<String> = $periods.map(|p| p.to_string()).collect();
        let rows: Vec<(String, Sums)> = ticket_stats::table
            .filter(ticket_stats::category.eq(category.unwrap_or(ALL_CATEGORIES).to_owned()))
            .filter(ticket_stats::period.eq_any(periods))
            .filter(ticket_stats::county_code.between($range.first.clone(), $range.last.clone()))
            .group_by($group)
            .select(($group, sums!()))
            .load($conn)?;
        Ok(rows
            .into_iter()
            .map(|(group, s)| (group, counters(s)))
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
    grouped_sums!(conn, ticket_stats::county_code, range, periods, category)
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
    grouped_sums!(conn, ticket_stats::period, range, periods, category)
}

/// Adds a ticket's change of counted colour to its category's row and the all-categories row
/// (always in that order, as [`record`] does); nothing when the colour did not change.
pub fn record_warning(
    conn: &mut DbConnection,
    ticket: &Ticket,
    change: WarningCounts,
) -> Result<(), DbError> {
    if change.is_zero() {
        return Ok(());
    }
    let rows = [ticket.category.as_str(), ALL_CATEGORIES]
        .map(|category| WarningRow::new(category, ticket.county_code.as_str(), change));
    add_warnings(conn, rows.into())
}

/// One row of colour counts to add to its category and county.
#[derive(Debug)]
pub struct WarningRow {
    category: String,
    county_code: String,
    yellow: i32,
    orange: i32,
    red: i32,
}

impl WarningRow {
    pub fn new(category: &str, county_code: &str, w: WarningCounts) -> WarningRow {
        WarningRow {
            category: category.to_owned(),
            county_code: county_code.to_owned(),
            yellow: narrow(w.yellow),
            orange: narrow(w.orange),
            red: narrow(w.red),
        }
    }

    fn addition(&self) -> Addition<'_> {
        Addition {
            texts: vec![&self.category, &self.county_code],
            numbers: vec![self.yellow, self.orange, self.red],
        }
    }
}

/// Adds colour counts to their keys, as [`add`] does for the period counters.
pub fn add_warnings(conn: &mut DbConnection, rows: Vec<WarningRow>) -> Result<(), DbError> {
    let additions: Vec<Addition> = rows.iter().map(WarningRow::addition).collect();
    counts::add(conn, &WARNINGS, &additions)
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
    let stored: Vec<(String, i32, i32, i32)> = ticket_warnings::table
        .filter(ticket_warnings::category.eq(category.unwrap_or(ALL_CATEGORIES).to_owned()))
        .filter(ticket_warnings::county_code.between(range.first.clone(), range.last.clone()))
        .select((
            ticket_warnings::county_code,
            ticket_warnings::yellow,
            ticket_warnings::orange,
            ticket_warnings::red,
        ))
        .load(conn)?;
    let mut by_county: BTreeMap<String, WarningCounts> = stored
        .into_iter()
        .map(|(county, yellow, orange, red)| {
            let counts = WarningCounts {
                yellow: yellow.into(),
                orange: orange.into(),
                red: red.into(),
            };
            (county, counts)
        })
        .collect();
    for ticket in super::tickets::counts_expired_within(conn, range, category, now)? {
        let entry = by_county.entry(ticket.county_code.clone()).or_default();
        *entry = *entry + ticket.warning_change(now);
    }
    Ok(by_county)
}

/// Every stored colour count by category and county.
pub fn stored_warnings(
    conn: &mut DbConnection,
) -> Result<BTreeMap<(String, String), WarningCounts>, DbError> {
    let rows: Vec<(String, String, i32, i32, i32)> = ticket_warnings::table
        .select((
            ticket_warnings::category,
            ticket_warnings::county_code,
            ticket_warnings::yellow,
            ticket_warnings::orange,
            ticket_warnings::red,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(category, county, yellow, orange, red)| {
            let counts = WarningCounts {
                yellow: yellow.into(),
                orange: orange.into(),
                red: red.into(),
            };
            ((category, county), counts)
        })
        .filter(|(_, w)| !w.is_zero())
        .collect())
}

/// Every stored key with its counts.
pub fn stored(conn: &mut DbConnection) -> Result<BTreeMap<Key, Counters>, DbError> {
    let rows: Vec<(String, String, String, Sums)> = ticket_stats::table
        .group_by((
            ticket_stats::county_code,
            ticket_stats::period,
            ticket_stats::category,
        ))
        .select((
            ticket_stats::county_code,
            ticket_stats::period,
            ticket_stats::category,
            sums!(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(county_code, period, category, s)| {
            (
                Key {
                    county_code,
                    period,
                    category,
                },
                counters(s),
            )
        })
        .filter(|(_, c)| !c.is_zero())
        .collect())
}

/// Everything the counters hold, recounted from the tickets themselves.
#[derive(Debug, Default)]
pub struct Recount {
    pub counters: BTreeMap<Key, Counters>,
    /// The colours the warning counts hold, by category (and '*') and county.
    pub counted_warnings: BTreeMap<(String, String), WarningCounts>,
    /// The colours as of the recount's `now`, by county.
    pub warnings_now: BTreeMap<String, WarningCounts>,
}

/// Recounts every counter from the tickets, each ticket in the month of `tz` its filing falls
/// in (worked out again, not read from the ticket).
pub fn recount(conn: &mut DbConnection, now: NaiveDateTime, tz: Tz) -> Result<Recount, DbError> {
    let mut totals = Recount::default();
    each_ticket(conn, |ticket| {
        let month = Month::of(ticket.created_at, tz);
        add_counts(&mut totals.counters, ticket, month);
        let counted = WarningCounts::of(ticket.counted_warning);
        for category in [ticket.category.as_str(), ALL_CATEGORIES] {
            let key = (category.to_owned(), ticket.county_code.to_string());
            let entry = totals.counted_warnings.entry(key).or_default();
            *entry = *entry + counted;
        }
        let colour = sla::warning(ticket.status.is_open(), now, &ticket.deadlines());
        let entry = totals
            .warnings_now
            .entry(ticket.county_code.to_string())
            .or_default();
        *entry = *entry + WarningCounts::of(colour);
    })?;
    totals.counted_warnings.retain(|_, w| !w.is_zero());
    totals.warnings_now.retain(|_, w| !w.is_zero());
    Ok(totals)
}

/// Adds what `ticket` counts, as filed in `month`, to the sums by key.
pub fn add_counts(sums: &mut BTreeMap<Key, Counters>, ticket: &Ticket, month: Month) {
    let counts = Counters::of(&ticket.stats_facts());
    for key in Key::all_of(ticket.county_code.as_str(), &ticket.category, month) {
        let entry = sums.entry(key).or_default();
        *entry = *entry + counts;
    }
}

/// Hands every ticket to `visit`, in id order, reading ten thousand at a time.
pub fn each_ticket(conn: &mut DbConnection, mut visit: impl FnMut(&Ticket)) -> Result<(), DbError> {
    let mut after = 0i64;
    loop {
        let batch: Vec<Ticket> = tickets::table
            .filter(tickets::id.gt(after))
            .order(tickets::id)
            .limit(10_000)
            .select(Ticket::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else {
            return Ok(());
        };
        after = last.id;
        batch.iter().for_each(&mut visit);
    }
}
