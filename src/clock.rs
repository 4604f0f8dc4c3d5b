//! The one source of "now", so tests can move time instead of sleeping.

use std::sync::Mutex;

use chrono::{DateTime, Duration, DurationRound, NaiveDateTime, TimeDelta, Utc};

pub trait Clock: Send + Sync {
    /// Now, in UTC, to the microsecond (what both databases store exactly).
    fn now(&self) -> NaiveDateTime;
}

/// The system's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        truncate(Utc::now())
    }
}

/// A clock that moves only when told to.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new(start))
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().expect("clock lock") += by;
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> NaiveDateTime {
        truncate(*self.0.lock().expect("clock lock"))
    }
}

fn truncate(time: DateTime<Utc>) -> NaiveDateTime {
    time.duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(time)
        .naive_utc()
}
