//! The working-day calendar: Monday to Friday are working days unless the calendar makes one a
//! `holiday`; a Saturday or Sunday it marks `workday` (调休, a make-up day) is a working day.
//! Each year is loaded whole (the State Council publishes one arrangement a year); a year never
//! loaded has weekends only.

mod records;
mod table;

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::text;

pub use records::{
    CalendarRecord, RECORD_OPTIONAL, RECORD_REQUIRED, bundled_years, years_from_records,
};
pub use table::Calendar;

/// The years a calendar may hold.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;
/// Longest name of a holiday.
pub const NAME_CHARS: usize = 100;

/// A calendar year that may be loaded ([`FIRST_YEAR`] to [`LAST_YEAR`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(i32);

impl Year {
    pub fn new(year: i32) -> Option<Year> {
        (FIRST_YEAR..=LAST_YEAR)
            .contains(&year)
            .then_some(Year(year))
    }

    /// Four digits, in range.
    pub fn parse(text: &str) -> Option<Year> {
        let digits = text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit());
        digits
            .then(|| text.parse().ok().and_then(Year::new))
            .flatten()
    }

    pub fn get(self) -> i32 {
        self.0
    }

    fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 1, 1).expect("years in range have a 1 January")
    }

    /// 1 January of the year after.
    fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 1, 1).expect("the year after is in chrono's range")
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What the calendar makes of a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DayKind {
    /// A rest day; on a Saturday or Sunday it only names the holiday stretch it belongs to.
    Holiday,
    /// A Saturday or Sunday that is a working day (调休).
    Workday,
}

impl DayKind {
    pub fn parse(text: &str) -> Option<DayKind> {
        match text {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
}

impl TryFrom<String> for DayKind {
    type Error = String;
    fn try_from(text: String) -> Result<DayKind, String> {
        DayKind::parse(&text).ok_or_else(|| format!("unknown day kind {text:?}"))
    }
}

/// One exception of a year's calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct CalendarDay {
    #[schema(value_type = String, format = Date, example = "2026-02-14")]
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday it belongs to.
    #[schema(example = "春节")]
    pub name: Option<String>,
}

/// What is wrong with one of the days given: `index` is its place in the input, `field` the
/// part at fault (`date`, `kind`, `name`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayError {
    pub index: usize,
    pub field: &'static str,
    pub message: String,
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// One year's exceptions, valid: every date inside the year, each once, a `workday` only on a
/// Saturday or Sunday (one on a weekday would change nothing, so it is a mistake). A `holiday`
/// on a weekend is kept: the official arrangement lists the whole stretch, weekend included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearCalendar {
    year: Year,
    /// In date order.
    days: Vec<CalendarDay>,
}

impl YearCalendar {
    /// Checks `days` (names trimmed; blank is none), reporting every bad one.
    pub fn new(year: Year, days: Vec<CalendarDay>) -> Result<YearCalendar, Vec<DayError>> {
        let mut errors = Vec::new();
        let mut error = |index, field, message: String| {
            errors.push(DayError {
                index,
                field,
                message,
            })
        };
        let mut checked: Vec<CalendarDay> = Vec::with_capacity(days.len());
        for (index, mut day) in days.into_iter().enumerate() {
            if day.date.year() != year.get() {
                error(index, "date", format!("{} is not in {year}", day.date));
            } else if checked.iter().any(|d| d.date == day.date) {
                error(index, "date", format!("{} is listed twice", day.date));
            } else if day.kind == DayKind::Workday && !is_weekend(day.date) {
                let message = format!(
                    "{} is a weekday ({}): only a Saturday or Sunday can be made a workday",
                    day.date,
                    day.date.weekday()
                );
                error(index, "date", message);
            }
            match text::optional_line(day.name.as_deref(), NAME_CHARS) {
                Ok(name) => day.name = name,
                Err(message) => error(index, "name", message),
            }
            checked.push(day);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        checked.sort_by_key(|d| d.date);
        Ok(YearCalendar {
            year,
            days: checked,
        })
    }

    pub fn year(&self) -> Year {
        self.year
    }

    pub fn days(&self) -> &[CalendarDay] {
        &self.days
    }

    /// Working days the year has with these exceptions.
    pub fn working_days(&self) -> i64 {
        let weekdays = table::weekdays_between(self.year.first_day(), self.year.end());
        let turned = self.days.iter().map(|d| match d.kind {
            DayKind::Workday => 1,
            DayKind::Holiday if is_weekend(d.date) => 0,
            DayKind::Holiday => -1,
        });
        weekdays + turned.sum::<i64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str, kind: DayKind, name: Option<&str>) -> CalendarDay {
        CalendarDay {
            date: text.parse().unwrap(),
            kind,
            name: name.map(str::to_owned),
        }
    }

    fn year(y: i32) -> Year {
        Year::new(y).unwrap()
    }

    #[test]
    fn a_year_refuses_what_is_not_its_own_or_is_twice_or_cannot_be() {
        let errors = YearCalendar::new(
            year(2026),
            vec![
                day("2027-01-01", DayKind::Holiday, None),
                day("2026-05-01", DayKind::Holiday, Some("劳动节")),
                day("2026-05-01", DayKind::Holiday, None),
                day("2026-05-06", DayKind::Workday, None),
                day("2026-05-09", DayKind::Workday, Some("bad\nname")),
            ],
        )
        .unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.index, e.field)).collect();
        assert_eq!(
            found,
            vec![(0, "date"), (2, "date"), (3, "date"), (4, "name")]
        );
        assert!(errors[2].message.contains("Wed"), "{}", errors[2].message);
    }

    #[test]
    fn a_year_keeps_weekend_holidays_and_sorts_its_days() {
        let y = YearCalendar::new(
            year(2026),
            vec![
                day("2026-10-03", DayKind::Holiday, Some("国庆节")),
                day("2026-01-03", DayKind::Holiday, Some("  元旦 ")),
                day("2026-01-04", DayKind::Workday, Some("")),
            ],
        )
        .unwrap();
        let dates: Vec<String> = y.days().iter().map(|d| d.date.to_string()).collect();
        assert_eq!(dates, ["2026-01-03", "2026-01-04", "2026-10-03"]);
        assert_eq!(y.days()[0].name.as_deref(), Some("元旦"));
        assert_eq!(y.days()[1].name, None);
    }

    #[test]
    fn years_parse_in_range_only() {
        assert_eq!(Year::parse("2026"), Some(year(2026)));
        for bad in ["1899", "2200", "+202", "20266", "abcd", ""] {
            assert_eq!(Year::parse(bad), None, "{bad}");
        }
    }
}
