//! Working hours of a working day (`WORK_HOURS`, programme time): periods such as
//! `09:00-12:00,13:30-17:30`, in order, not overlapping, inside one day.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveTime, Timelike};

/// Microseconds, the unit of every instant the service stores.
const MICROS_PER_MINUTE: i64 = 60_000_000;
/// More periods than this is a typo, not a working day.
const MAX_PERIODS: usize = 8;
pub const DEFAULT_WORK_HOURS: &str = "09:00-12:00,13:30-17:30";

/// A period of working time, in microseconds since midnight, `start < end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Period {
    start: i64,
    end: i64,
}

/// The working periods of a day, and their total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkHours {
    periods: Vec<Period>,
    daily: i64,
}

impl Default for WorkHours {
    fn default() -> Self {
        DEFAULT_WORK_HOURS.parse().expect("the default is valid")
    }
}

/// `HH:MM`, from 00:00 to 23:59, in microseconds since midnight.
fn minute_of_day(text: &str) -> Result<i64, String> {
    let bad = || format!("{text:?} is not a time of day as HH:MM");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return Err(bad());
    }
    let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok((h * 60 + m) * MICROS_PER_MINUTE)
}

impl FromStr for WorkHours {
    type Err = String;

    fn from_str(text: &str) -> Result<WorkHours, String> {
        let mut periods: Vec<Period> = Vec::new();
        for part in text.split(',') {
            let (start, end) = part
                .split_once('-')
                .ok_or_else(|| format!("{:?} is not a period as HH:MM-HH:MM", part.trim()))?;
            let period = Period {
                start: minute_of_day(start)?,
                end: minute_of_day(end)?,
            };
            if period.start >= period.end {
                return Err(format!("{:?} ends before it starts", part.trim()));
            }
            if periods.last().is_some_and(|last| period.start < last.end) {
                return Err(format!(
                    "{:?} starts before the period ahead of it ends: periods are in order \
                     and do not overlap",
                    part.trim()
                ));
            }
            periods.push(period);
        }
        if periods.len() > MAX_PERIODS {
            return Err(format!("at most {MAX_PERIODS} periods"));
        }
        let daily = periods.iter().map(|p| p.end - p.start).sum();
        Ok(WorkHours { periods, daily })
    }
}

impl fmt::Display for WorkHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hhmm = |micros: i64| {
            let minutes = micros / MICROS_PER_MINUTE;
            format!("{:02}:{:02}", minutes / 60, minutes % 60)
        };
        let periods: Vec<String> = self
            .periods
            .iter()
            .map(|p| format!("{}-{}", hhmm(p.start), hhmm(p.end)))
            .collect();
        f.write_str(&periods.join(","))
    }
}

/// Microseconds since midnight of a time of day.
pub(crate) fn micros_of_day(time: NaiveTime) -> i64 {
    i64::from(time.num_seconds_from_midnight()) * 1_000_000 + i64::from(time.nanosecond() / 1000)
}

/// The time of day `micros` after midnight (less than a day).
pub(crate) fn time_of_day(micros: i64) -> NaiveTime {
    let seconds = u32::try_from(micros / 1_000_000).expect("less than a day");
    let nanos = u32::try_from(micros % 1_000_000 * 1000).expect("less than a second");
    NaiveTime::from_num_seconds_from_midnight_opt(seconds, nanos).expect("less than a day")
}

impl WorkHours {
    /// Working microseconds of one working day.
    pub fn daily_micros(&self) -> i64 {
        self.daily
    }

    /// When the last period ends: the close of a working day.
    pub fn closing(&self) -> NaiveTime {
        time_of_day(self.periods.last().expect("at least one period").end)
    }

    /// Working microseconds of a working day before `micros` after midnight.
    pub(crate) fn worked_before(&self, micros: i64) -> i64 {
        self.periods
            .iter()
            .map(|p| (micros.min(p.end) - p.start).max(0))
            .sum()
    }

    /// The earliest moment of a working day (microseconds after midnight) with `worked`
    /// working microseconds before it, for `0 < worked <= daily`: inside a period or at its
    /// end, never at the start of the next.
    pub(crate) fn moment_after(&self, worked: i64) -> i64 {
        let mut left = worked;
        for p in &self.periods {
            let length = p.end - p.start;
            if left <= length {
                return p.start + left;
            }
            left -= length;
        }
        self.periods.last().expect("at least one period").end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        micros_of_day(NaiveTime::parse_from_str(text, "%H:%M").unwrap())
    }

    #[test]
    fn the_default_is_seven_hours_closing_at_half_past_five() {
        let hours = WorkHours::default();
        assert_eq!(hours.daily_micros(), 7 * 3_600_000_000);
        assert_eq!(hours.closing(), NaiveTime::from_hms_opt(17, 30, 0).unwrap());
        assert_eq!(hours.to_string(), DEFAULT_WORK_HOURS);
    }

    #[test]
    fn periods_must_be_ordered_apart_and_inside_a_day() {
        for bad in [
            "",
            "09:00",
            "9:00-12:00",
            "09:00-12:00,11:00-14:00",
            "13:30-17:30,09:00-12:00",
            "12:00-09:00",
            "09:00-09:00",
            "09:00-24:00",
            "09:00-12:60",
            "09:00-12:00;13:00-14:00",
            "00:00-00:01,00:02-00:03,00:04-00:05,00:06-00:07,00:08-00:09,00:10-00:11,\
             00:12-00:13,00:14-00:15,00:16-00:17",
        ] {
            assert!(bad.parse::<WorkHours>().is_err(), "{bad:?} accepted");
        }
        let touching: WorkHours = "08:00-12:00, 12:00-16:00".parse().unwrap();
        assert_eq!(touching.daily_micros(), 8 * 3_600_000_000);
        assert!("00:00-23:59".parse::<WorkHours>().is_ok());
    }

    #[test]
    fn worked_time_counts_only_inside_periods() {
        let hours = WorkHours::default();
        let hour = 3_600_000_000;
        assert_eq!(hours.worked_before(at("08:00")), 0);
        assert_eq!(hours.worked_before(at("10:00")), hour);
        assert_eq!(hours.worked_before(at("12:45")), 3 * hour);
        assert_eq!(hours.worked_before(at("14:30")), 4 * hour);
        assert_eq!(hours.worked_before(at("23:00")), 7 * hour);
        assert_eq!(hours.moment_after(hour), at("10:00"));
        assert_eq!(
            hours.moment_after(3 * hour),
            at("12:00"),
            "the end, not 13:30"
        );
        assert_eq!(hours.moment_after(3 * hour + 1), at("13:30") + 1);
        assert_eq!(hours.moment_after(7 * hour), at("17:30"));
    }
}
