//! `/stats`: completion rates rolled up county → city → province, as JSON or CSV; month by
//! month; and the frozen monthly reports.

use actix_web::http::header::{ACCEPT, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::extract::Query;
use crate::api::reports::{
    Figures, MonthlyParams, MonthlyReport, RegionRef, StatsParams, StatsReport, TrendReport,
};
use crate::auth::Principal;
use crate::domain::rollup::{Month, PeriodFigures};
use crate::error::{Error, Problem};
use crate::services::monthly::{self, MonthlyQuery};
use crate::services::reports::{self, StatsQuery};
use crate::state::AppState;

/// A month parameter as `YYYY-MM`; anything else is a 400 naming the parameter.
fn month_param(name: &str, text: &str) -> Result<Month, Error> {
    Month::parse(text).ok_or_else(|| {
        Error::BadRequest(format!(
            "invalid query parameter `{name}`: a month as YYYY-MM"
        ))
    })
}

fn parse(state: &AppState, params: StatsParams) -> Result<StatsQuery, Error> {
    let this_month = Month::of(state.clock.now(), state.timezone);
    let month = |name: &str, text: Option<String>, default: Month| match text {
        None => Ok(default),
        Some(text) => month_param(name, &text),
    };
    Ok(StatsQuery {
        region: params.region,
        from: month(
            "from",
            params.from,
            Month {
                month: 1,
                ..this_month
            },
        )?,
        to: month("to", params.to, this_month)?,
        category: params.category,
    })
}

fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"))
}

/// The columns of the figures of section 5, in both CSV exports.
const FIGURE_COLUMNS: [&str; 13] = [
    "filed",
    "withdrawn",
    "open",
    "resolved",
    "closed",
    "completion_rate",
    "on_time_rate",
    "avg_resolution_hours",
    "satisfaction_avg",
    "accepted_on_time_rate",
    "feedback_breaches",
    "extended",
    "on_time_rate_original",
];

/// The warning snapshot's columns (the stats CSV only: the snapshot is not a month's).
const WARNING_COLUMNS: [&str; 3] = ["warnings_yellow", "warnings_orange", "warnings_red"];

fn figure_fields(f: &PeriodFigures) -> impl Iterator<Item = String> {
    let rate = |r: Option<f64>| r.map(|r| format!("{r:.4}")).unwrap_or_default();
    [
        f.filed.to_string(),
        f.withdrawn.to_string(),
        f.open.to_string(),
        f.resolved.to_string(),
        f.closed.to_string(),
        rate(f.completion_rate),
        rate(f.on_time_rate),
        rate(f.avg_resolution_hours),
        rate(f.satisfaction_avg),
        rate(f.accepted_on_time_rate),
        f.feedback_breaches.to_string(),
        f.extended.to_string(),
        rate(f.on_time_rate_original),
    ]
    .into_iter()
}

/// A region's line of the stats CSV: where, its figures, its warnings.
fn region_record(region: &RegionRef, figures: &Figures) -> Vec<String> {
    let w = &figures.warnings;
    [
        region.code.clone(),
        region.name.clone(),
        region.level.clone(),
    ]
    .into_iter()
    .chain(figure_fields(&figures.period))
    .chain([w.yellow, w.orange, w.red].map(|n| n.to_string()))
    .collect()
}

/// The stats CSV: the region's own totals first, then one line per child region.
fn stats_csv(figures: &StatsReport) -> Result<HttpResponse, Error> {
    let header = ["code", "name", "level"]
        .into_iter()
        .chain(FIGURE_COLUMNS)
        .chain(WARNING_COLUMNS);
    let totals = region_record(&figures.region, &figures.totals);
    let children = figures
        .children
        .iter()
        .map(|c| region_record(&c.region, &c.figures));
    csv_response(header, std::iter::once(totals).chain(children))
}

/// The trend CSV: one line per month, `month` then its figures.
fn trend_csv(by_month: &TrendReport) -> Result<HttpResponse, Error> {
    let header = std::iter::once("month").chain(FIGURE_COLUMNS);
    let rows = by_month.months.iter().map(|m| {
        std::iter::once(m.month.clone())
            .chain(figure_fields(&m.figures))
            .collect::<Vec<_>>()
    });
    csv_response(header, rows)
}

/// UTF-8 with a byte-order mark, so spreadsheets read the Chinese names right.
fn csv_response<'a>(
    header: impl Iterator<Item = &'a str>,
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<HttpResponse, Error> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |e: csv::Error| Error::Internal(e.into());
    writer.write_record(header).map_err(internal)?;
    for row in rows {
        writer.write_record(row).map_err(internal)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .body(body))
}

/// A region's figures and one row per child region.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(StatsParams),
    responses(
        (status = 200, description = "The figures; with `Accept: text/csv`, CSV (UTF-8 with a byte-order mark): a header row (`code,name,level`, the figures, `warnings_yellow,warnings_orange,warnings_red`), the region's own totals, then one row per child region",
            content((StatsReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only supervisors and admins read statistics", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such region in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats")]
pub async fn report(
    state: web::Data<AppState>,
    caller: Principal,
    req: HttpRequest,
    Query(params): Query<StatsParams>,
) -> Result<HttpResponse, Error> {
    let query = parse(&state, params)?;
    let report = reports::report(&state, &caller, query).await?;
    if wants_csv(&req) {
        return stats_csv(&report);
    }
    Ok(HttpResponse::Ok().json(report))
}

/// The same figures month by month, for charts.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(StatsParams),
    responses(
        (status = 200, description = "Month by month; with `Accept: text/csv`, CSV (UTF-8 with a byte-order mark): a header row (`month`, then the figures `filed` to `satisfaction_avg`) and one row per month, without the warning snapshot",
            content((TrendReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only supervisors and admins read statistics", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such region in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats/trend")]
pub async fn trend(
    state: web::Data<AppState>,
    caller: Principal,
    req: HttpRequest,
    Query(params): Query<StatsParams>,
) -> Result<HttpResponse, Error> {
    let query = parse(&state, params)?;
    let trend = reports::trend(&state, &caller, query).await?;
    if wants_csv(&req) {
        return trend_csv(&trend);
    }
    Ok(HttpResponse::Ok().json(trend))
}

/// The report of a month, frozen after the month ended: `/stats` for that month as it stood then.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(MonthlyParams),
    responses(
        (status = 200, description = "The month's report as frozen (the figures of `/stats?from=M&to=M`, all categories, with the warning snapshot of the moment it was frozen), with `frozen_at` and `formula_version`; later changes to tickets never alter it. With `Accept: text/csv`, the CSV of `/stats`",
            content((MonthlyReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only supervisors and admins read statistics", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such region in the caller's scope, or the month is not frozen yet (it is frozen after it ends, by the periodic job)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats/monthly")]
pub async fn monthly_report(
    state: web::Data<AppState>,
    caller: Principal,
    req: HttpRequest,
    Query(params): Query<MonthlyParams>,
) -> Result<HttpResponse, Error> {
    let query = MonthlyQuery {
        region: params.region,
        month: month_param("month", &params.month)?,
    };
    let frozen = monthly::report(&state, &caller, query).await?;
    if wants_csv(&req) {
        return stats_csv(&frozen.report);
    }
    Ok(HttpResponse::Ok().json(frozen))
}
