//! Timestamps are stored as UTC without a zone and shown as RFC 3339 with `Z`; the dates a
//! client may name are bounded so that both databases can store them.

use chrono::{NaiveDate, NaiveDateTime, SecondsFormat};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

pub fn rfc3339(time: &NaiveDateTime) -> String {
    time.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// `#[serde(serialize_with = "crate::domain::time::utc")]`
pub fn utc<S: Serializer>(time: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(time))
}

/// The same for optional timestamps (null when absent).
pub fn utc_opt<S: Serializer>(time: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => s.serialize_str(&rfc3339(time)),
        None => s.serialize_none(),
    }
}

/// The first and last days a client may name: years 1 to 9999, what RFC 3339 can write. Both
/// databases store everything in between (PostgreSQL refuses timestamps past the year 294276,
/// SQLite would compare text of other lengths wrongly).
pub const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("a valid date");
pub const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");

/// Whether a moment from a client lies in the range the service accepts.
pub fn in_range(time: NaiveDateTime) -> bool {
    (FIRST_DAY..=LAST_DAY).contains(&time.date())
}

/// A calendar day from a request (`YYYY-MM-DD`), inside [`FIRST_DAY`]..=[`LAST_DAY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(NaiveDate);

impl Day {
    pub fn parse(text: &str) -> Option<Day> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|d| (FIRST_DAY..=LAST_DAY).contains(d))
            .map(Day)
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Day, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::parse(&text).ok_or_else(|| {
            D::Error::custom(format!("a date YYYY-MM-DD from {FIRST_DAY} to {LAST_DAY}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_outside_years_1_to_9999_are_refused() {
        assert_eq!(
            Day::parse("2026-02-13").map(Day::date),
            NaiveDate::from_ymd_opt(2026, 2, 13)
        );
        assert!(Day::parse("0001-01-01").is_some() && Day::parse("9999-12-31").is_some());
        for bad in [
            "-200000-01-01",
            "+275760-09-13",
            "0000-12-31",
            "10000-01-01",
            "2026-02-30",
            "2026-2-1x",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        let at = |d: &str| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        };
        assert!(in_range(at("2026-01-01")));
        assert!(!in_range(at("-200000-01-01")) && !in_range(at("+200000-01-01")));
    }
}
