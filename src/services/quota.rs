//! Filing quotas: how many tickets one enterprise may file per rolling hour and per rolling
//! day (`FILING_QUOTA_PER_HOUR`, `FILING_QUOTA_PER_DAY`), counted from the tickets themselves so
//! every instance agrees. Checked among the filing's reads, before its writes (one statement or
//! one short transaction, see `db::tickets::file`), on either backend: filings of one
//! enterprise racing at the bound may all pass. So a window holds at most the quota plus one
//! less than the enterprise's filings in flight at once, which each hold a database connection
//! meanwhile: at most every instance's `DB_POOL_SIZE`, summed, less one. A brake on floods,
//! not an exact count.

use chrono::{NaiveDateTime, TimeDelta};

use crate::config::LimitSettings;
use crate::db::{DbConnection, tickets};
use crate::domain::ids::EnterpriseId;
use crate::error::Error;

/// Refuses a filing (429, with the wait until a filing leaves the window) when the enterprise
/// has used up either quota.
pub fn check_filing(
    conn: &mut DbConnection,
    limits: &LimitSettings,
    enterprise_id: EnterpriseId,
    now: NaiveDateTime,
) -> Result<(), Error> {
    let quotas = [
        (limits.filing_quota_per_hour, TimeDelta::hours(1), "hour"),
        (limits.filing_quota_per_day, TimeDelta::days(1), "day"),
    ];
    for (quota, window, name) in quotas {
        if quota == 0 {
            continue;
        }
        let (filed, first) = tickets::filed_since(conn, enterprise_id, now - window)?;
        if filed >= i64::from(quota) {
            let frees_at = first.unwrap_or(now) + window;
            let wait = (frees_at - now).num_seconds().max(1);
            return Err(Error::TooManyRequests {
                detail: format!("this enterprise may file {quota} tickets per {name}"),
                retry_after_secs: u64::try_from(wait).unwrap_or(1),
            });
        }
    }
    Ok(())
}
