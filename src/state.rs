//! What every request handler and service can reach, built once at start-up.

use std::sync::Arc;

use chrono::TimeDelta;

use crate::auth::token::TokenKeys;
use crate::clock::Clock;
use crate::config::LimitSettings;
use crate::db::Database;
use crate::domain::sla::Thresholds;
use crate::domain::work_hours::WorkHours;
use crate::services::calendar::CalendarCache;

pub struct AppState {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub tokens: TokenKeys,
    pub refresh_ttl: TimeDelta,
    /// When open tickets turn yellow, orange and red.
    pub thresholds: Thresholds,
    /// How long a resolved ticket waits for confirmation before it closes itself.
    pub confirmation_window: TimeDelta,
    /// Filing quotas and request-body timeout, among the other abuse limits.
    pub limits: LimitSettings,
    /// The working-day calendar, kept in memory and following the stored one.
    pub calendar: CalendarCache,
    /// Working hours of a working day (`WORK_HOURS`).
    pub work_hours: WorkHours,
}
