//! Durations of the SLA clocks: `{"value": N, "unit": "working_days" | "working_hours" | "hours"}`,
//! valid on arrival (a value from 1 to the unit's limit).

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    /// Ends at the close of working hours of the N-th working day after the start's date.
    WorkingDays,
    /// Counts only working hours of working days.
    WorkingHours,
    /// Plain elapsed hours.
    Hours,
}

impl DurationUnit {
    /// The largest value: a year of working days, of eight-hour days, of hours.
    pub fn max(self) -> u32 {
        match self {
            DurationUnit::WorkingDays => 365,
            DurationUnit::WorkingHours => 365 * 8,
            DurationUnit::Hours => 366 * 24,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DurationUnit::WorkingDays => "working_days",
            DurationUnit::WorkingHours => "working_hours",
            DurationUnit::Hours => "hours",
        }
    }
}

/// A length of time on an SLA clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "DurationFields")]
#[schema(example = json!({"value": 3, "unit": "working_days"}))]
pub struct Duration {
    /// 1 to 365 working days, 1 to 2,920 working hours, 1 to 8,784 hours.
    #[schema(minimum = 1, maximum = 8784)]
    value: u32,
    unit: DurationUnit,
}

/// The fields as sent, before their range is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DurationFields {
    value: i64,
    unit: DurationUnit,
}

impl TryFrom<DurationFields> for Duration {
    type Error = String;
    fn try_from(fields: DurationFields) -> Result<Duration, String> {
        u32::try_from(fields.value)
            .ok()
            .and_then(|value| Duration::new(value, fields.unit))
            .ok_or_else(|| {
                format!(
                    "a duration in {} is from 1 to {}",
                    fields.unit.as_str(),
                    fields.unit.max()
                )
            })
    }
}

impl Duration {
    pub fn new(value: u32, unit: DurationUnit) -> Option<Duration> {
        (1..=unit.max())
            .contains(&value)
            .then_some(Duration { value, unit })
    }

    pub fn value(self) -> u32 {
        self.value
    }

    pub fn unit(self) -> DurationUnit {
        self.unit
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.unit.as_str())
    }
}
