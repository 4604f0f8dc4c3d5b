//! The count columns of the two counter tables, each listed once. The count columns are named
//! after the fields of the domain's counts, so one list gives both the SQL names (for the
//! hand-written statements) and the typed diesel selections (for the reads).

/// A count as its column holds it.
pub fn narrow(value: i64) -> i32 {
    i32::try_from(value).expect("counter changes fit a column")
}

/// Stands for `$ty` once per repetition of `$_column`.
macro_rules! per_column {
    ($_column:ident, $ty:ty) => {
        $ty
    };
}

/// A module `$module` of the count columns of `$table`, in the order given, and their
/// conversions from and to `$Counts` (whose fields they are named after); with `summed`, their
/// sums too.
macro_rules! counter_columns {
    ($(#[$doc:meta])* $module:ident: $table:ident, $Counts:ident { $($column:ident),+ $(,)? }) => {
        counter_columns!(@module $(#[$doc])* $module: $table, $Counts { $($column),+ } []);
    };
    ($(#[$doc:meta])* $module:ident: $table:ident, $Counts:ident { $($column:ident),+ $(,)? } summed) => {
        counter_columns!(@module $(#[$doc])* $module: $table, $Counts { $($column),+ } [
            /// Each count column summed, for reports over many rows.
            pub fn sums() -> ($(diesel::helper_types::sum<$table::$column>,)+) {
                ($(diesel::dsl::sum($table::$column),)+)
            }
            /// What [`sums`] reads (a sum over no rows is null).
            pub type Sums = ($(per_column!($column, Option<i64>),)+);

            pub fn from_sums(sums: Sums) -> $Counts {
                let ($($column,)+) = sums;
                $Counts { $($column: $column.unwrap_or(0)),+ }
            }
        ]);
    };
    (@module $(#[$doc:meta])* $module:ident: $table:ident, $Counts:ident { $($column:ident),+ } [$($more:tt)*]) => {
        $(#[$doc])*
        pub mod $module {
            use crate::db::schema::$table;
            use crate::domain::rollup::$Counts;

            pub const TABLE: &str = stringify!($table);
            /// The count columns' names, in their one order.
            pub const NAMES: &[&str] = &[$(stringify!($column)),+];
            pub const COUNT: usize = NAMES.len();

            /// The count columns, to select or return.
            pub const ALL: ($($table::$column,)+) = ($($table::$column,)+);
            /// What [`ALL`] reads from one row.
            pub type Row = ($(per_column!($column, i32),)+);

            pub fn from_row(row: Row) -> $Counts {
                let ($($column,)+) = row;
                $Counts { $($column: $column.into()),+ }
            }

            /// The counts as the columns hold them, in [`NAMES`]' order.
            pub fn numbers(counts: &$Counts) -> [i32; COUNT] {
                [$(super::narrow(counts.$column)),+]
            }

            $($more)*
        }
    };
}

counter_columns!(
    /// `ticket_stats`: what the tickets of a county, period and category add up to.
    periods: ticket_stats,
    Counters {
        filed,
        withdrawn,
        open,
        resolved,
        closed,
        reached_resolved,
        resolved_on_time,
        resolution_minutes,
        rated,
        rating_sum,
        accepted,
        accepted_on_time,
        feedback_breaches,
        extended,
        resolved_on_time_original,
        supervised,
        returned,
    } summed
);

counter_columns!(
    /// `ticket_warnings`: the open tickets of a county and category by colour.
    colours: ticket_warnings,
    WarningCounts { yellow, orange, red } summed
);
