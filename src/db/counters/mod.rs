//! The statistics counters: kept with every ticket change, summed for reports, and recounted
//! from the tickets to prove them. Two tables: `ticket_stats` holds the period counts
//! ([`Counters`](crate::domain::rollup::Counters)) of a county, period and category;
//! `ticket_warnings` the colour counts ([`WarningCounts`](crate::domain::rollup::WarningCounts))
//! of a county and category. Their count columns are listed once, in [`columns`]: the filing
//! statement, the upserts, the recount and the reports all take them from there.
//!
//! Storage of counts only: nothing here reads a ticket through `db::tickets`, which writes its
//! counters through this module.

mod columns;
mod periods;
mod recount;
mod upsert;
mod warnings;

pub use columns::periods::{COUNT as PERIOD_COUNTS, numbers as period_numbers};
pub use periods::{
    ALL_CATEGORIES, CounterRow, Key, POSTGRES_SLOTS, add, earliest_month, filing_insert_sql,
    fold_slots, record, stored, sums_by_category, sums_by_county, sums_by_month,
};
pub use recount::{CountedTicket, Recount, add_counts, each_ticket, recount};
pub use warnings::{
    WarningRow, add_warnings, record_warning, stored_warnings, warnings_by_category,
    warnings_by_county,
};
