//! Working-time arithmetic in programme time (SPEC section 9), for instants stored as UTC.
//!
//! Every instant has a position: the working microseconds from a fixed origin up to it,
//! counting only the working hours of working days (programme time). Outside working hours the
//! position stands still. "N working hours from t" is the earliest instant whose position is N
//! hours past t's (so it starts at t, or at the next start of working hours, and may end at the
//! close of a period but never at the next opening); the working time between two instants is
//! the difference of their positions. "Within N working days of t" ends at the close of working
//! hours of the N-th working day after t's programme-time date, that date itself not counting.
//! Every call is a few table reads and time-zone lookups, without allocating.

mod duration;
#[cfg(test)]
mod tests;

use chrono::{NaiveDateTime, TimeDelta};

use super::calendar::Calendar;
use super::time::{self, Tz};
use super::work_hours::{WorkHours, micros_of_day, time_of_day};

pub use duration::{Duration, DurationUnit};

/// The calendar, the working hours and the programme's time zone, for reckoning with.
#[derive(Clone, Copy)]
pub struct WorkingTime<'a> {
    calendar: &'a Calendar,
    hours: &'a WorkHours,
    tz: Tz,
}

impl<'a> WorkingTime<'a> {
    pub fn new(calendar: &'a Calendar, hours: &'a WorkHours, tz: Tz) -> WorkingTime<'a> {
        WorkingTime {
            calendar,
            hours,
            tz,
        }
    }

    /// Programme time.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// When `duration` from `from` ends.
    pub fn due(&self, from: NaiveDateTime, duration: Duration) -> NaiveDateTime {
        let value = duration.value();
        match duration.unit() {
            DurationUnit::WorkingDays => self.within_working_days(from, value),
            DurationUnit::WorkingHours => self.add_working(from, TimeDelta::hours(value.into())),
            DurationUnit::Hours => from
                .checked_add_signed(TimeDelta::hours(value.into()))
                .unwrap_or(NaiveDateTime::MAX),
        }
    }

    /// The close of working hours of the `days`-th working day after `from`'s date in programme
    /// time (`from` itself for 0 days).
    pub fn within_working_days(&self, from: NaiveDateTime, days: u32) -> NaiveDateTime {
        if days == 0 {
            return from;
        }
        let Some(next) = time::date(self.tz, from).succ_opt() else {
            return NaiveDateTime::MAX;
        };
        let index = self.calendar.working_days_before(next) + i64::from(days) - 1;
        match self.calendar.working_day(index) {
            Some(day) => time::utc_of(self.tz, day.and_time(self.hours.closing())),
            None => NaiveDateTime::MAX,
        }
    }

    /// The earliest instant `amount` of working time after `from` (`from` itself when
    /// `amount` is not positive, rather than snapping back to the last close).
    pub fn add_working(&self, from: NaiveDateTime, amount: TimeDelta) -> NaiveDateTime {
        let micros = amount.num_microseconds().unwrap_or(i64::MAX);
        if micros <= 0 {
            return from;
        }
        self.instant_at(self.position(from).saturating_add(micros))
    }

    /// The working time from `from` to `to` (negative when `to` is earlier).
    pub fn between(&self, from: NaiveDateTime, to: NaiveDateTime) -> TimeDelta {
        TimeDelta::microseconds(self.position(to).saturating_sub(self.position(from)))
    }

    /// The time from `from` to `to` as a clock of `unit` measures it: plain elapsed time for
    /// `hours`, working time for the working units.
    pub fn elapsed(&self, from: NaiveDateTime, to: NaiveDateTime, unit: DurationUnit) -> TimeDelta {
        match unit {
            DurationUnit::Hours => to.signed_duration_since(from),
            DurationUnit::WorkingDays | DurationUnit::WorkingHours => self.between(from, to),
        }
    }

    /// `amount` after `from` in `unit`: working time for the working units, plain time for
    /// `hours`.
    pub fn later(
        &self,
        from: NaiveDateTime,
        amount: TimeDelta,
        unit: DurationUnit,
    ) -> NaiveDateTime {
        if unit.is_working() {
            self.add_working(from, amount)
        } else {
            from.checked_add_signed(amount)
                .unwrap_or(NaiveDateTime::MAX)
        }
    }

    /// Working microseconds from the calendar's origin up to `at`.
    fn position(&self, at: NaiveDateTime) -> i64 {
        let local = time::local(self.tz, at);
        let date = local.date();
        let days = self.calendar.working_days_before(date);
        let today = if self.calendar.is_working_day(date) {
            self.hours.worked_before(micros_of_day(local.time()))
        } else {
            0
        };
        days.saturating_mul(self.hours.daily_micros())
            .saturating_add(today)
    }

    /// The earliest instant at `position`.
    fn instant_at(&self, position: i64) -> NaiveDateTime {
        let daily = self.hours.daily_micros();
        let (index, worked) = (position.div_euclid(daily), position.rem_euclid(daily));
        // A whole number of days ends at the close of the last of them, not at the next opening.
        let (index, worked) = if worked == 0 {
            (index - 1, daily)
        } else {
            (index, worked)
        };
        match self.calendar.working_day(index) {
            Some(day) => time::utc_of(
                self.tz,
                day.and_time(time_of_day(self.hours.moment_after(worked))),
            ),
            None => NaiveDateTime::MAX,
        }
    }
}
