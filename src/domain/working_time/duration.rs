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

    pub fn parse(text: &str) -> Option<DurationUnit> {
        match text {
            "working_days" => Some(DurationUnit::WorkingDays),
            "working_hours" => Some(DurationUnit::WorkingHours),
            "hours" => Some(DurationUnit::Hours),
            _ => None,
        }
    }

    /// Whether the unit counts only working time.
    pub fn is_working(self) -> bool {
        self != DurationUnit::Hours
    }
}

impl TryFrom<String> for DurationUnit {
    type Error = String;
    fn try_from(text: String) -> Result<DurationUnit, String> {
        DurationUnit::parse(&text).ok_or_else(|| format!("unknown duration unit {text:?}"))
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

    /// The duration in whole hours as part 1's `*_hours` fields show it: a working hour counts
    /// one hour and a working day 24 (so the defaults read as part 1's 24 / 360 / 4 / 72).
    pub fn nominal_hours(self) -> i32 {
        let hours = match self.unit {
            DurationUnit::WorkingDays => self.value * 24,
            DurationUnit::WorkingHours | DurationUnit::Hours => self.value,
        };
        i32::try_from(hours).unwrap_or(i32::MAX)
    }
}

/// The stored form, `"3 working_days"` (as [`fmt::Display`] writes it).
impl TryFrom<String> for Duration {
    type Error = String;
    fn try_from(text: String) -> Result<Duration, String> {
        text.split_once(' ')
            .and_then(|(value, unit)| {
                let value = value.parse().ok()?;
                Duration::new(value, DurationUnit::parse(unit)?)
            })
            .ok_or_else(|| format!("{text:?} is not a duration"))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.unit.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_form_reads_back() {
        for unit in [
            DurationUnit::WorkingDays,
            DurationUnit::WorkingHours,
            DurationUnit::Hours,
        ] {
            for value in [1, 7, unit.max()] {
                let d = Duration::new(value, unit).unwrap();
                assert_eq!(Duration::try_from(d.to_string()), Ok(d));
            }
        }
        for bad in [
            "",
            "3",
            "3 days",
            "0 hours",
            "-1 hours",
            "366 working_days",
            "3  hours",
        ] {
            assert!(Duration::try_from(bad.to_owned()).is_err(), "{bad}");
        }
    }

    #[test]
    fn nominal_hours_read_as_part_one_did() {
        let d = |v, u| Duration::new(v, u).unwrap().nominal_hours();
        assert_eq!(d(1, DurationUnit::WorkingDays), 24);
        assert_eq!(d(15, DurationUnit::WorkingDays), 360);
        assert_eq!(d(4, DurationUnit::WorkingHours), 4);
        assert_eq!(d(72, DurationUnit::Hours), 72);
    }
}
