//! Every counter recounted from the tickets themselves: the proof of the counters
//! (`verify-stats`), and what re-keying them in another programme time rebuilds them from.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::periods::{ALL_CATEGORIES, Key};
use crate::db::schema::tickets;
use crate::db::{DbConnection, DbError};
use crate::domain::ids::TicketId;
use crate::domain::region::RegionCode;
use crate::domain::rollup::{CountedFacts, Counters, Month, WarningCounts};
use crate::domain::sla::{self, Deadlines, Warning};
use crate::domain::ticket::Status;
use crate::domain::time::Tz;

/// What the counters look at of a ticket: its keys, the facts it counts by and its colours,
/// without its texts.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = tickets)]
pub struct CountedTicket {
    pub id: TicketId,
    pub county_code: RegionCode,
    pub category: String,
    status: Status,
    pub created_at: NaiveDateTime,
    response_due_at: NaiveDateTime,
    due_at: NaiveDateTime,
    yellow_at: NaiveDateTime,
    orange_at: NaiveDateTime,
    red_at: NaiveDateTime,
    first_resolved_at: Option<NaiveDateTime>,
    rating: Option<i32>,
    first_response_at: Option<NaiveDateTime>,
    feedback_breaches: i32,
    original_due_at: NaiveDateTime,
    supervision_count: i32,
    return_count: i32,
    counted_warning: Option<Warning>,
    /// The programme-time month it was filed in, which its counters are keyed by.
    pub filed_month: Month,
}

impl CountedTicket {
    fn facts(&self) -> CountedFacts {
        CountedFacts {
            status: self.status,
            created_at: self.created_at,
            due_at: self.due_at,
            first_resolved_at: self.first_resolved_at,
            rating: self.rating,
            response_due_at: self.response_due_at,
            first_response_at: self.first_response_at,
            feedback_breaches: self.feedback_breaches,
            original_due_at: self.original_due_at,
            supervision_count: self.supervision_count,
            return_count: self.return_count,
        }
    }

    /// Its colour as of `now`.
    fn warning(&self, now: NaiveDateTime) -> Option<Warning> {
        let deadlines = Deadlines {
            response_due_at: self.response_due_at,
            due_at: self.due_at,
            yellow_at: self.yellow_at,
            orange_at: self.orange_at,
            red_at: self.red_at,
        };
        sla::warning(self.status.clocks_run(), now, &deadlines)
    }

    /// What the warning counts lack for this ticket as of `now`: the change from the colour
    /// they hold for it to its colour now.
    pub fn warning_change(&self, now: NaiveDateTime) -> WarningCounts {
        WarningCounts::change(self.counted_warning, self.warning(now))
    }
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
        let entry = totals
            .warnings_now
            .entry(ticket.county_code.to_string())
            .or_default();
        *entry = *entry + WarningCounts::of(ticket.warning(now));
    })?;
    totals.counted_warnings.retain(|_, w| !w.is_zero());
    totals.warnings_now.retain(|_, w| !w.is_zero());
    Ok(totals)
}

/// Adds what `ticket` counts, as filed in `month`, to the sums by key.
pub fn add_counts(sums: &mut BTreeMap<Key, Counters>, ticket: &CountedTicket, month: Month) {
    let counts = Counters::of(&ticket.facts());
    for key in Key::all_of(&ticket.county_code, &ticket.category, month) {
        let entry = sums.entry(key).or_default();
        *entry = *entry + counts;
    }
}

/// Hands every ticket to `visit`, in id order, reading ten thousand at a time.
pub fn each_ticket(
    conn: &mut DbConnection,
    mut visit: impl FnMut(&CountedTicket),
) -> Result<(), DbError> {
    let mut after = TicketId(0);
    loop {
        let batch: Vec<CountedTicket> = tickets::table
            .filter(tickets::id.gt(after))
            .order(tickets::id)
            .limit(10_000)
            .select(CountedTicket::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else {
            return Ok(());
        };
        after = last.id;
        batch.iter().for_each(&mut visit);
    }
}
