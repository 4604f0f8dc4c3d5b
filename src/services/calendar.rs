//! The working-day calendar: anyone signed in reads a year, administrators replace one. Each
//! instance keeps the whole calendar in memory, since deadlines are computed from it on the
//! filing path: the instance that changes it installs the new one at once, and every instance
//! reads the stored version every few seconds and reloads when another one changed it.

use std::time::Duration;

use crate::api::calendar::{CalendarYear, ReplaceCalendar};
use crate::auth::{Principal, policy};
use crate::db::{self, Database, read_snapshot, write_transaction};
use crate::domain::calendar::{Calendar, CalendarDay, Year, YearCalendar};
use crate::error::{Error, FieldError};
use crate::state::{AppState, CalendarCache};

/// How often an instance looks whether another one changed the calendar.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);

pub fn view(calendar: &Calendar, year: Year) -> CalendarYear {
    let loaded = calendar.year(year);
    CalendarYear {
        year: year.get(),
        loaded: loaded.is_some(),
        working_days: calendar.working_days_in(year),
        days: loaded.map(|y| y.days().to_vec()).unwrap_or_default(),
    }
}

/// A year as this instance computes deadlines with it.
pub fn read(state: &AppState, year: Year) -> Result<CalendarYear, Error> {
    Ok(view(&*state.calendar.loaded()?, year))
}

/// Replaces a year's exceptions (administrators), installs the result here at once, and
/// records it in the audit log.
pub async fn replace(
    state: &AppState,
    caller: &Principal,
    year: Year,
    input: ReplaceCalendar,
) -> Result<CalendarYear, Error> {
    policy::manage_calendar(caller)?;
    let days = input
        .days
        .into_iter()
        .map(|d| CalendarDay {
            date: d.date,
            kind: d.kind,
            name: d.name,
        })
        .collect();
    let arrangement = YearCalendar::new(year, days).map_err(|errors| {
        Error::Validation(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: format!("days[{}].{}", e.index, e.field),
                    message: e.message,
                })
                .collect(),
        )
    })?;
    let count = arrangement.days().len();
    let (version, years) = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                db::calendar::replace_years(c, std::slice::from_ref(&arrangement))?;
                db::calendar::load(c)
            })
        })
        .await?;
    let installed = state.calendar.install(Calendar::new(version, years), false);
    let answer = view(&installed, year);
    crate::audit::calendar_replaced(
        Some(caller.user_id()),
        year.get(),
        count,
        answer.working_days,
    );
    Ok(answer)
}

/// The stored calendar, read in one snapshot.
pub async fn load(db: &Database) -> Result<Calendar, Error> {
    let (version, years) = db
        .run(|conn| read_snapshot(conn, db::calendar::load))
        .await?;
    Ok(Calendar::new(version, years))
}

/// The calendar to start with: the stored one, or weekends only while the database cannot
/// be read yet ([`follow_changes`] loads it as soon as it can).
pub async fn initial(db: &Database) -> Calendar {
    if !db.is_migrated() {
        return Calendar::weekends_only();
    }
    load(db).await.unwrap_or_else(|error| {
        tracing::warn!(%error, "cannot read the calendar yet; weekends only until it can be");
        Calendar::weekends_only()
    })
}

/// Reloads the calendar when the stored version has moved past the installed one; answers
/// whether it did.
pub async fn refresh(db: &Database, cache: &CalendarCache) -> Result<bool, Error> {
    let stored = db.run(db::calendar::version).await?;
    let installed = cache.current().version();
    if stored == installed {
        return Ok(false);
    }
    let calendar = load(db).await?;
    let version = calendar.version();
    // A stored version behind the installed one means the database was restored from a
    // backup: its calendar is the one to follow (the load is at least as recent as the look).
    cache.install(calendar, stored < installed);
    tracing::info!(version, "reloaded the working-day calendar");
    Ok(true)
}

/// Follows the stored calendar every [`POLL_INTERVAL`] until the task is dropped; a failed
/// look (the database away) is retried at the next one.
pub async fn follow_changes(state: actix_web::web::Data<AppState>) {
    let mut ticks = tokio::time::interval(POLL_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = refresh(&state.db, &state.calendar).await {
            tracing::debug!(%error, "could not look for calendar changes; retrying");
        }
    }
}
