//! What every request handler and service can reach, built once at start-up.

use std::sync::Arc;

use chrono::TimeDelta;

use crate::auth::password::HashQueue;
use crate::auth::revocation::Revocations;
use crate::auth::token::TokenKeys;
use crate::clock::Clock;
use crate::config::LimitSettings;
use crate::db::Database;
use crate::domain::sla::Thresholds;
use crate::domain::time::Tz;
use crate::domain::work_hours::WorkHours;
use crate::services::calendar::CalendarCache;

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
