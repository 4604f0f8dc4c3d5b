//! `/calendar/{year}`: the working-day calendar, one year at a time.

use actix_web::{get, put, web};

use super::extract::Json;
use crate::api::calendar::{CalendarYear, ReplaceCalendar};
use crate::auth::Principal;
use crate::domain::calendar::{FIRST_YEAR, LAST_YEAR, Year};
use crate::error::{Error, Problem};
use crate::services::calendar;
use crate::state::AppState;

fn year_of(path: &str) -> Result<Year, Error> {
    Year::parse(path).ok_or_else(|| {
        Error::not_found(format!(
            "no calendar year {path}: the calendar holds the years {FIRST_YEAR} to {LAST_YEAR}"
        ))
    })
}

/// A year's calendar: the exceptions to the weekend rule (holidays, and the weekend days made
/// working days) and the working days they leave. A year not loaded has weekends only.
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("year" = i32, Path, description = "The year, 1900 to 2199", minimum = 1900, maximum = 2199, example = 2026)),
    responses(
        (status = 200, description = "The year's calendar", body = CalendarYear),
        (status = 404, description = "Not a year the calendar can hold", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The calendar has not been read from the database yet", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calendar/{year}")]
pub async fn get_calendar(
    state: web::Data<AppState>,
    _caller: Principal,
    year: web::Path<String>,
) -> Result<web::Json<CalendarYear>, Error> {
    Ok(web::Json(calendar::read(&state, year_of(&year)?)?))
}

/// Replace a year's exceptions (admins): the year is loaded with exactly these days. Every
/// instance computes deadlines with the new calendar within seconds.
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("year" = i32, Path, description = "The year, 1900 to 2199", minimum = 1900, maximum = 2199, example = 2027)),
    request_body = ReplaceCalendar,
    responses(
        (status = 200, description = "The year's new calendar", body = CalendarYear),
        (status = 403, description = "Only administrators change the calendar", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not a year the calendar can hold", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid days, each named (`days[3].date`); nothing was changed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/calendar/{year}")]
pub async fn put_calendar(
    state: web::Data<AppState>,
    caller: Principal,
    year: web::Path<String>,
    Json(input): Json<ReplaceCalendar>,
) -> Result<web::Json<CalendarYear>, Error> {
    let year = year_of(&year)?;
    Ok(web::Json(
        calendar::replace(&state, &caller, year, input).await?,
    ))
}
