//! The calendar's answer and the admin's replacement of a year.

use chrono::NaiveDate;

use crate::domain::calendar::{CalendarDay, DayKind};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A year of the calendar: its exceptions only, and the working days they leave.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarYear {
    #[schema(example = 2026)]
    pub year: i32,
    /// Whether the year's arrangement is loaded; a year not loaded has weekends only.
    pub loaded: bool,
    /// Working days of the year.
    #[schema(example = 248)]
    pub working_days: i64,
    /// The exceptions, in date order.
    pub days: Vec<CalendarDay>,
}

/// A year's exceptions, replacing the stored ones whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceCalendar {
    /// Every date inside the year, each once. A `workday` must be a Saturday or Sunday; a
    /// `holiday` on a weekend is kept (it names the stretch) and changes no count.
    #[schema(max_items = 366)]
    pub days: Vec<CalendarDayInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDayInput {
    #[schema(value_type = String, format = Date, example = "2026-02-14")]
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday it belongs to, up to 100 characters.
    #[schema(example = "春节")]
    pub name: Option<String>,
}
