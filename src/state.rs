//! What every request handler and service can reach, built once at start-up, and the
//! in-memory copy of the working-day calendar it holds (which `services::calendar` keeps current).

use std::sync::{Arc, RwLock};

use chrono::TimeDelta;

use crate::auth::password::HashQueue;
use crate::auth::revocation::Revocations;
use crate::auth::token::TokenKeys;
use crate::clock::Clock;
use crate::config::LimitSettings;
use crate::db::Database;
use crate::domain::calendar::Calendar;
use crate::domain::sla::Thresholds;
use crate::domain::time::Tz;
use crate::domain::work_hours::WorkHours;
use crate::domain::working_time::WorkingTime;
use crate::error::Error;

pub struct AppState {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub tokens: TokenKeys,
    /// Access tokens revoked before their expiry, as this instance knows them.
    pub revocations: Revocations,
    pub refresh_ttl: TimeDelta,
    /// How long a login session (refresh-token family) lasts, however often it is refreshed.
    pub session_lifetime: TimeDelta,
    /// Requests waiting to hash or verify a password or client secret.
    pub hashing: HashQueue,
    /// When open tickets turn yellow, orange and red.
    pub thresholds: Thresholds,
    /// How long a resolved ticket waits for confirmation before it closes itself.
    pub confirmation_window: TimeDelta,
    /// Filing quotas and request-body timeout, among the other abuse limits.
    pub limits: LimitSettings,
    /// Programme time (`TIMEZONE`): statistics months, calendar days and "today" are cut in it.
    pub timezone: Tz,
    /// The working-day calendar, kept in memory and following the stored one.
    pub calendar: CalendarCache,
    /// Working hours of a working day (`WORK_HOURS`).
    pub work_hours: WorkHours,
}

impl AppState {
    /// What working time is reckoned with now: 503 until the calendar has been read once.
    pub fn reckoning(&self) -> Result<Reckoning, Error> {
        Ok(Reckoning {
            calendar: self.calendar.loaded()?,
            work_hours: self.work_hours.clone(),
            timezone: self.timezone,
        })
    }
}

/// This instance's copy of the calendar, the working hours and programme time: what deadlines
/// are reckoned with, without a read of the stored calendar.
#[derive(Clone)]
pub struct Reckoning {
    calendar: Arc<Calendar>,
    work_hours: WorkHours,
    timezone: Tz,
}

impl Reckoning {
    pub fn working_time(&self) -> WorkingTime<'_> {
        WorkingTime::new(&self.calendar, &self.work_hours, self.timezone)
    }
}

/// This instance's copy of the calendar; readers take a cheap handle to the current one.
pub struct CalendarCache(RwLock<Arc<Calendar>>);

impl CalendarCache {
    pub fn new(calendar: Calendar) -> CalendarCache {
        CalendarCache(RwLock::new(Arc::new(calendar)))
    }

    pub fn current(&self) -> Arc<Calendar> {
        self.0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The calendar to reckon with: 503 until it has been read from the database once (while
    /// PostgreSQL is unreachable at start), rather than answers from weekends only.
    pub fn loaded(&self) -> Result<Arc<Calendar>, Error> {
        let current = self.current();
        if current.version() < 0 {
            return Err(Error::Unavailable(
                "the calendar has not been read from the database yet".into(),
            ));
        }
        Ok(current)
    }

    /// Installs `calendar` unless the one installed is as recent (two loads may finish out of
    /// order), or whatever its version when `always`; answers the one installed afterwards.
    pub fn install(&self, calendar: Calendar, always: bool) -> Arc<Calendar> {
        let mut current = self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if always || calendar.version() > current.version() {
            *current = Arc::new(calendar);
        }
        current.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{Year, bundled_years};

    #[test]
    fn nothing_is_answered_from_weekends_only_before_the_first_read() {
        let cache = CalendarCache::new(Calendar::weekends_only());
        assert!(matches!(cache.loaded(), Err(Error::Unavailable(_))));
        cache.install(Calendar::new(0, Vec::new()), false);
        assert_eq!(cache.loaded().unwrap().version(), 0);
    }

    #[test]
    fn an_older_load_finishing_late_does_not_replace_a_newer_one() {
        let cache = CalendarCache::new(Calendar::new(5, bundled_years()));
        let installed = cache.install(Calendar::new(4, Vec::new()), false);
        assert_eq!(installed.version(), 5);
        assert!(installed.year(Year::new(2026).unwrap()).is_some());
        assert_eq!(
            cache.install(Calendar::new(6, Vec::new()), false).version(),
            6
        );
        // A database restored to an earlier version is followed all the same.
        assert_eq!(
            cache.install(Calendar::new(2, Vec::new()), true).version(),
            2
        );
    }
}
