//! Statistics as sums: every figure is derived from counts that add up across tickets,
//! counties and months, so a parent's figures come from its children's counts (never from
//! averaging their rates) and always equal a recount of the tickets. The counts of a ticket
//! ([`Counters`], [`WarningCounts`]), the figures made of them ([`PeriodFigures`]), and the
//! months and periods they are kept by ([`Month`], [`Period`]).

use std::ops::{Add, Sub};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::sla::Warning;
use super::ticket::Status;
use super::time::Tz;

/// The counts one ticket contributes, or many tickets' sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub filed: i64,
    pub withdrawn: i64,
    pub open: i64,
    pub resolved: i64,
    pub closed: i64,
    /// Tickets that were ever resolved.
    pub reached_resolved: i64,
    /// Of those, the ones first resolved by their due time.
    pub resolved_on_time: i64,
    /// Sum over those of minutes from filing to the first resolution.
    pub resolution_minutes: i64,
    /// Closed tickets with a rating, and the sum of their ratings.
    pub rated: i64,
    pub rating_sum: i64,
    /// Tickets accepted, and of those the ones accepted by `response_due_at`.
    pub accepted: i64,
    pub accepted_on_time: i64,
    /// Progress feedback periods missed, summed.
    pub feedback_breaches: i64,
    /// Tickets with an approved extension.
    pub extended: i64,
    /// Tickets first resolved by the due time set at filing (before extensions).
    pub resolved_on_time_original: i64,
    /// Tickets given at least one supervision order (督办).
    pub supervised: i64,
    /// Tickets sent back to dispatch at least once by their assignee.
    pub returned: i64,
}

/// What of a ticket the statistics look at.
#[derive(Debug, Clone, Copy)]
pub struct CountedFacts {
    pub status: Status,
    pub created_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub first_resolved_at: Option<NaiveDateTime>,
    pub rating: Option<i32>,
    pub response_due_at: NaiveDateTime,
    pub first_response_at: Option<NaiveDateTime>,
    pub feedback_breaches: i32,
    /// The due time as filed; it differs from `due_at` once an extension was approved.
    pub original_due_at: NaiveDateTime,
    /// Supervision orders issued on it.
    pub supervision_count: i32,
    /// Times its assignee sent it back to dispatch.
    pub return_count: i32,
}

impl Counters {
    /// One ticket's contribution in its current state.
    pub fn of(t: &CountedFacts) -> Counters {
        let one = |yes: bool| i64::from(yes);
        let resolved_once = t.first_resolved_at;
        let rated = t.status == Status::Closed && t.rating.is_some();
        Counters {
            filed: 1,
            withdrawn: one(t.status == Status::Withdrawn),
            open: one(t.status.is_open()),
            resolved: one(t.status == Status::Resolved),
            closed: one(t.status == Status::Closed),
            reached_resolved: one(resolved_once.is_some()),
            resolved_on_time: one(resolved_once.is_some_and(|at| at <= t.due_at)),
            resolution_minutes: resolved_once.map_or(0, |at| (at - t.created_at).num_minutes()),
            rated: one(rated),
            rating_sum: if rated {
                i64::from(t.rating.unwrap_or(0))
            } else {
                0
            },
            accepted: one(t.first_response_at.is_some()),
            accepted_on_time: one(t
                .first_response_at
                .is_some_and(|at| at <= t.response_due_at)),
            feedback_breaches: i64::from(t.feedback_breaches),
            extended: one(t.due_at != t.original_due_at),
            resolved_on_time_original: one(resolved_once.is_some_and(|at| at <= t.original_due_at)),
            supervised: one(t.supervision_count > 0),
            returned: one(t.return_count > 0),
        }
    }

    /// What a change from `before` to `after` adds to the sums (`before` is `None` at filing).
    pub fn change(before: Option<&CountedFacts>, after: &CountedFacts) -> Counters {
        Counters::of(after) - before.map(Counters::of).unwrap_or_default()
    }

    pub fn is_zero(&self) -> bool {
        *self == Counters::default()
    }
}

macro_rules! fieldwise {
    ($trait:ident, $method:ident, $op:tt) => {
        impl $trait for Counters {
            type Output = Counters;
            fn $method(self, o: Counters) -> Counters {
                Counters {
                    filed: self.filed $op o.filed,
                    withdrawn: self.withdrawn $op o.withdrawn,
                    open: self.open $op o.open,
                    resolved: self.resolved $op o.resolved,
                    closed: self.closed $op o.closed,
                    reached_resolved: self.reached_resolved $op o.reached_resolved,
                    resolved_on_time: self.resolved_on_time $op o.resolved_on_time,
                    resolution_minutes: self.resolution_minutes $op o.resolution_minutes,
                    rated: self.rated $op o.rated,
                    rating_sum: self.rating_sum $op o.rating_sum,
                    accepted: self.accepted $op o.accepted,
                    accepted_on_time: self.accepted_on_time $op o.accepted_on_time,
                    feedback_breaches: self.feedback_breaches $op o.feedback_breaches,
                    extended: self.extended $op o.extended,
                    resolved_on_time_original: self.resolved_on_time_original $op o.resolved_on_time_original,
                    supervised: self.supervised $op o.supervised,
                    returned: self.returned $op o.returned,
                }
            }
        }
    };
}
fieldwise!(Add, add, +);
fieldwise!(Sub, sub, -);

impl std::iter::Sum for Counters {
    fn sum<I: Iterator<Item = Counters>>(iter: I) -> Counters {
        iter.fold(Counters::default(), Add::add)
    }
}

/// Open tickets by colour, now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WarningCounts {
    pub yellow: i64,
    pub orange: i64,
    pub red: i64,
}

impl WarningCounts {
    /// One ticket of `colour` (nothing for none).
    pub fn of(colour: Option<Warning>) -> WarningCounts {
        let one = |c: Warning| i64::from(colour == Some(c));
        WarningCounts {
            yellow: one(Warning::Yellow),
            orange: one(Warning::Orange),
            red: one(Warning::Red),
        }
    }

    /// What a ticket's change of colour adds to the counts.
    pub fn change(before: Option<Warning>, after: Option<Warning>) -> WarningCounts {
        WarningCounts::of(after) - WarningCounts::of(before)
    }

    pub fn is_zero(&self) -> bool {
        *self == WarningCounts::default()
    }
}

impl Add for WarningCounts {
    type Output = WarningCounts;
    fn add(self, o: WarningCounts) -> WarningCounts {
        WarningCounts {
            yellow: self.yellow + o.yellow,
            orange: self.orange + o.orange,
            red: self.red + o.red,
        }
    }
}

impl Sub for WarningCounts {
    type Output = WarningCounts;
    fn sub(self, o: WarningCounts) -> WarningCounts {
        WarningCounts {
            yellow: self.yellow - o.yellow,
            orange: self.orange - o.orange,
            red: self.red - o.red,
        }
    }
}

impl std::iter::Sum for WarningCounts {
    fn sum<I: Iterator<Item = WarningCounts>>(iter: I) -> WarningCounts {
        iter.fold(WarningCounts::default(), Add::add)
    }
}

/// The version of the figures' definitions ([`PeriodFigures`] from [`Counters`]) that frozen
/// monthly reports carry as `formula_version`. Bump it whenever a figure's definition changes
/// (a rate's numerator or denominator, a new figure): a frozen report keeps the version it was
/// computed with, so readers can tell reports made under different definitions apart.
/// Version 2 added `supervised` and `returned` (SPEC section 10).
pub const FORMULA_VERSION: i32 = 2;

/// The figures of section 5 for one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PeriodFigures {
    pub filed: i64,
    pub withdrawn: i64,
    /// Not settled yet (submitted, assigned, in progress, awaiting the enterprise).
    pub open: i64,
    /// Awaiting the enterprise's confirmation.
    pub resolved: i64,
    pub closed: i64,
    /// closed / (filed − withdrawn); null when that is 0.
    pub completion_rate: Option<f64>,
    /// Of the tickets that reached `resolved`, the share first resolved by `due_at`.
    pub on_time_rate: Option<f64>,
    /// Mean hours from filing to the first resolution.
    pub avg_resolution_hours: Option<f64>,
    /// Mean rating of rated closed tickets.
    pub satisfaction_avg: Option<f64>,
    /// Of the accepted tickets, the share accepted by `response_due_at`.
    pub accepted_on_time_rate: Option<f64>,
    /// Progress feedback periods missed (SPEC section 9).
    pub feedback_breaches: i64,
    /// Tickets with an approved extension.
    pub extended: i64,
    /// As `on_time_rate`, against the due time set at filing: extensions do not count (a wait
    /// for the enterprise still does). `on_time_rate` counts against the extended due time.
    pub on_time_rate_original: Option<f64>,
    /// Tickets given at least one supervision order (督办).
    pub supervised: i64,
    /// Tickets their assignee sent back to dispatch at least once.
    pub returned: i64,
}

fn ratio(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator != 0).then(|| numerator as f64 / denominator as f64)
}

impl From<Counters> for PeriodFigures {
    fn from(c: Counters) -> PeriodFigures {
        PeriodFigures {
            filed: c.filed,
            withdrawn: c.withdrawn,
            open: c.open,
            resolved: c.resolved,
            closed: c.closed,
            completion_rate: ratio(c.closed, c.filed - c.withdrawn),
            on_time_rate: ratio(c.resolved_on_time, c.reached_resolved),
            avg_resolution_hours: ratio(c.resolution_minutes, c.reached_resolved).map(|m| m / 60.0),
            satisfaction_avg: ratio(c.rating_sum, c.rated),
            accepted_on_time_rate: ratio(c.accepted_on_time, c.accepted),
            feedback_breaches: c.feedback_breaches,
            extended: c.extended,
            on_time_rate_original: ratio(c.resolved_on_time_original, c.reached_resolved),
            supervised: c.supervised,
            returned: c.returned,
        }
    }
}

/// A month as `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let month = Month {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
        };
        NaiveDate::from_ymd_opt(month.year, month.month, 1).map(|_| month)
    }

    /// The programme-time month holding the UTC moment `utc` (a ticket filed at
    /// 2026-01-31T17:00Z counts in February in China Standard Time).
    pub fn of(utc: NaiveDateTime, tz: Tz) -> Month {
        let local = super::time::local(tz, utc);
        Month {
            year: local.year(),
            month: local.month(),
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                month: self.month - 1,
                ..self
            }
        }
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self), move |m| Some(m.next()).filter(|n| *n <= last))
            .take_while(move |m| *m <= last)
    }
}

/// Read from a text column (`tickets.filed_month`).
impl TryFrom<String> for Month {
    type Error = String;
    fn try_from(text: String) -> Result<Month, String> {
        Month::parse(&text).ok_or_else(|| format!("not a month as YYYY-MM: {text:?}"))
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What a row of counters sums over: a calendar month, or a whole year. Every ticket counts in
/// both, so a report of whole years reads one row per county and year instead of twelve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    Month(Month),
    Year(i32),
}

impl Period {
    /// The periods a ticket filed in `month` counts in: its month, then its year.
    pub fn of(month: Month) -> [Period; 2] {
        [Period::Month(month), Period::Year(month.year)]
    }

    /// The fewest periods that together hold every month from `first` to `last` once: the
    /// whole years among them as years, the months before and after as months.
    pub fn covering(first: Month, last: Month) -> Vec<Period> {
        let mut periods = Vec::new();
        let mut at = first;
        while at <= last {
            let december = Month { month: 12, ..at };
            if at.month == 1 && december <= last {
                periods.push(Period::Year(at.year));
                at = december.next();
            } else {
                periods.push(Period::Month(at));
                at = at.next();
            }
        }
        periods
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Month(month) => month.fmt(f),
            Period::Year(year) => write!(f, "{year:04}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn at(hours: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 1, 31)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            + TimeDelta::hours(hours)
    }

    fn ticket(status: Status, resolved_after: Option<i64>, rating: Option<i32>) -> CountedFacts {
        CountedFacts {
            status,
            created_at: at(0),
            due_at: at(72),
            first_resolved_at: resolved_after.map(at),
            rating,
            response_due_at: at(24),
            first_response_at: resolved_after.map(|_| at(2)),
            feedback_breaches: 0,
            original_due_at: at(72),
            supervision_count: 0,
            return_count: 0,
        }
    }

    #[test]
    fn a_ticket_counts_once_however_often_it_was_supervised_or_returned() {
        let pressed = CountedFacts {
            supervision_count: 3,
            return_count: 2,
            ..ticket(Status::InProgress, None, None)
        };
        let counts = Counters::of(&pressed) + Counters::of(&ticket(Status::Closed, Some(10), None));
        assert_eq!((counts.supervised, counts.returned), (1, 1));
        let first = CountedFacts {
            supervision_count: 1,
            ..ticket(Status::InProgress, None, None)
        };
        let second = CountedFacts {
            supervision_count: 2,
            ..first
        };
        assert!(Counters::change(Some(&first), &second).is_zero());
        let figures = PeriodFigures::from(counts);
        assert_eq!((figures.supervised, figures.returned), (1, 1));
    }

    #[test]
    fn the_programme_figures_count_acceptance_feedback_and_extensions() {
        let late = CountedFacts {
            first_response_at: Some(at(30)),
            feedback_breaches: 2,
            // Extended from 48 h to 72 h, and resolved between the two.
            original_due_at: at(48),
            ..ticket(Status::Resolved, Some(60), None)
        };
        let counts = Counters::of(&late) + Counters::of(&ticket(Status::Closed, Some(10), None));
        assert_eq!((counts.accepted, counts.accepted_on_time), (2, 1));
        assert_eq!((counts.feedback_breaches, counts.extended), (2, 1));
        let figures = PeriodFigures::from(counts);
        assert_eq!(figures.accepted_on_time_rate, Some(0.5));
        assert_eq!(
            figures.on_time_rate,
            Some(1.0),
            "against the extended due time"
        );
        assert_eq!(
            figures.on_time_rate_original,
            Some(0.5),
            "against the one set at filing"
        );
        let unaccepted = PeriodFigures::from(Counters::of(&ticket(Status::Submitted, None, None)));
        assert_eq!(unaccepted.accepted_on_time_rate, None);
    }

    #[test]
    fn a_ticket_contributes_by_its_state() {
        let closed = Counters::of(&ticket(Status::Closed, Some(80), Some(4)));
        assert_eq!((closed.filed, closed.closed, closed.open), (1, 1, 0));
        assert_eq!(
            (closed.reached_resolved, closed.resolved_on_time),
            (1, 0),
            "resolved after due"
        );
        assert_eq!(
            (closed.resolution_minutes, closed.rated, closed.rating_sum),
            (80 * 60, 1, 4)
        );
        let open = Counters::of(&ticket(Status::Assigned, None, None));
        assert_eq!((open.open, open.reached_resolved), (1, 0));
    }

    #[test]
    fn changes_move_a_ticket_between_buckets() {
        let before = ticket(Status::InProgress, None, None);
        let after = ticket(Status::Resolved, Some(10), None);
        let change = Counters::change(Some(&before), &after);
        assert_eq!(
            (
                change.filed,
                change.open,
                change.resolved,
                change.resolved_on_time
            ),
            (0, -1, 1, 1)
        );
        assert!(Counters::change(Some(&before), &before).is_zero());
        assert_eq!(Counters::change(None, &before).filed, 1);
    }

    #[test]
    fn whole_years_are_read_as_years() {
        let m = |text: &str| Month::parse(text).unwrap();
        let names = |first, last| -> Vec<String> {
            Period::covering(m(first), m(last))
                .iter()
                .map(Period::to_string)
                .collect()
        };
        assert_eq!(names("2026-01", "2026-12"), ["2026"]);
        assert_eq!(names("2026-03", "2026-03"), ["2026-03"]);
        assert_eq!(names("2026-01", "2026-11").len(), 11);
        let long = names("2024-11", "2027-02");
        assert_eq!(
            long,
            ["2024-11", "2024-12", "2025", "2026", "2027-01", "2027-02"]
        );
        assert!(names("2026-05", "2026-04").is_empty());
        assert_eq!(
            Period::of(m("2026-03")).map(|p| p.to_string()),
            ["2026-03", "2026"]
        );
    }

    #[test]
    fn a_change_of_colour_moves_one_count() {
        let y_to_o = WarningCounts::change(Some(Warning::Yellow), Some(Warning::Orange));
        assert_eq!((y_to_o.yellow, y_to_o.orange, y_to_o.red), (-1, 1, 0));
        let closed_red = WarningCounts::change(Some(Warning::Red), None);
        assert_eq!(
            (closed_red.yellow, closed_red.orange, closed_red.red),
            (0, 0, -1)
        );
        assert!(WarningCounts::change(None, None).is_zero());
        assert!(WarningCounts::change(Some(Warning::Red), Some(Warning::Red)).is_zero());
        let sum: WarningCounts = [y_to_o, closed_red, WarningCounts::of(Some(Warning::Red))]
            .into_iter()
            .sum();
        assert_eq!((sum.yellow, sum.orange, sum.red), (-1, 1, 0));
    }

    #[test]
    fn parents_sum_counts_and_rates_are_null_without_a_denominator() {
        // 1 of 1 closed in one county, 0 of 3 in another: 25 %, not the 50 % mean of rates.
        let a = Counters {
            filed: 1,
            closed: 1,
            ..Counters::default()
        };
        let b = Counters {
            filed: 3,
            open: 3,
            ..Counters::default()
        };
        let parent = PeriodFigures::from(a + b);
        assert_eq!(parent.completion_rate, Some(0.25));
        let empty = PeriodFigures::from(Counters::default());
        assert_eq!(
            (
                empty.completion_rate,
                empty.on_time_rate,
                empty.satisfaction_avg
            ),
            (None, None, None)
        );
        let withdrawn = Counters {
            filed: 2,
            withdrawn: 2,
            ..Counters::default()
        };
        assert_eq!(PeriodFigures::from(withdrawn).completion_rate, None);
    }

    #[test]
    fn months_parse_and_iterate() {
        let from = Month::parse("2023-11").unwrap();
        let to = Month::parse("2024-02").unwrap();
        let all: Vec<String> = from.through(to).map(|m| m.to_string()).collect();
        assert_eq!(all, ["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert_eq!(to.through(from).count(), 0);
        assert_eq!(Month::parse("2024-01").unwrap().previous(), from.next());
        assert_eq!(to.previous().next(), to);
        for bad in ["2024-13", "2024-1", "24-01", "2024/01", ""] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_month_is_cut_in_programme_time() {
        let shanghai = crate::domain::time::DEFAULT_TIMEZONE;
        let utc = |text| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        let month = |text, tz| Month::of(utc(text), tz).to_string();
        assert_eq!(month("2026-01-31 17:00", shanghai), "2026-02");
        assert_eq!(month("2026-01-31 15:59", shanghai), "2026-01");
        assert_eq!(month("2026-12-31 16:00", shanghai), "2027-01");
        assert_eq!(month("2026-01-31 17:00", Tz::UTC), "2026-01");
        assert_eq!(Month::of(at(24), Tz::UTC).to_string(), "2024-02");
        assert_eq!(
            Month::try_from("2026-02".to_owned()),
            Ok(Month::parse("2026-02").unwrap())
        );
        assert!(Month::try_from("2026-2".to_owned()).is_err());
    }
}
