//! `/stats`: completion rates rolled up county → city → province, as JSON or CSV.

use actix_web::http::header::{ACCEPT, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::Query;
use crate::auth::Principal;
use crate::domain::region::RegionCode;
use crate::domain::stats::{Month, PeriodFigures, WarningCounts};
use crate::error::{Error, Problem};
use crate::services::stats::{self, RegionRef, StatsQuery, StatsReport, TrendReport};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// The region (any level); default: a supervisor's own region, the country for admins.
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    region: Option<RegionCode>,
    /// First month, `YYYY-MM` (tickets count in the month they were filed, UTC); default January of this year.
    #[param(example = "2024-01")]
    from: Option<String>,
    /// Last month, included; default this month.
    #[param(example = "2024-12")]
    to: Option<String>,
    /// Only this category.
    #[param(example = "land")]
    category: Option<String>,
}

fn parse(state: &AppState, params: StatsParams) -> Result<StatsQuery, Error> {
    let this_month = Month::of(state.clock.now());
    let month = |name: &str, text: Option<String>, default: Month| match text {
        None => Ok(default),
        Some(text) => Month::parse(&text).ok_or_else(|| {
            Error::BadRequest(format!(
                "invalid query parameter `{name}`: a month as YYYY-MM"
            ))
        }),
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

/// One CSV line: where (a region or a month), then the figures.
struct CsvRow<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    figures: &'a PeriodFigures,
    warnings: Option<&'a WarningCounts>,
}

const CSV_HEADER: [&str; 15] = [
    "code",
    "name",
    "level",
    "filed",
    "withdrawn",
    "open",
    "resolved",
    "closed",
    "completion_rate",
    "on_time_rate",
    "avg_resolution_hours",
    "satisfaction_avg",
    "warnings_yellow",
    "warnings_orange",
    "warnings_red",
];

impl CsvRow<'_> {
    fn record(&self) -> Vec<String> {
        let f = self.figures;
        let rate = |r: Option<f64>| r.map(|r| format!("{r:.4}")).unwrap_or_default();
        let count = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        vec![
            self.code.to_owned(),
            self.name.to_owned(),
            self.level.to_owned(),
            f.filed.to_string(),
            f.withdrawn.to_string(),
            f.open.to_string(),
            f.resolved.to_string(),
            f.closed.to_string(),
            rate(f.completion_rate),
            rate(f.on_time_rate),
            rate(f.avg_resolution_hours),
            rate(f.satisfaction_avg),
            count(self.warnings.map(|w| w.yellow)),
            count(self.warnings.map(|w| w.orange)),
            count(self.warnings.map(|w| w.red)),
        ]
    }
}

/// UTF-8 with a byte-order mark, so spreadsheets read the Chinese names right.
fn csv_response<'a>(rows: impl Iterator<Item = CsvRow<'a>>) -> Result<HttpResponse, Error> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |e: csv::Error| Error::Internal(e.into());
    writer.write_record(CSV_HEADER).map_err(internal)?;
    for row in rows {
        writer.write_record(row.record()).map_err(internal)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .body(body))
}

fn region_row<'a>(
    region: &'a RegionRef,
    figures: &'a PeriodFigures,
    warnings: &'a WarningCounts,
) -> CsvRow<'a> {
    CsvRow {
        code: &region.code,
        name: &region.name,
        level: &region.level,
        figures,
        warnings: Some(warnings),
    }
}

/// A region's figures and one row per child region.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(StatsParams),
    responses(
        (status = 200, description = "The figures; with `Accept: text/csv`, the child rows as CSV (UTF-8 with a header row)",
            content((StatsReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
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
    let report = stats::report(&state, &caller, query).await?;
    if wants_csv(&req) {
        return csv_response(
            report
                .children
                .iter()
                .map(|c| region_row(&c.region, &c.figures.period, &c.figures.warnings)),
        );
    }
    Ok(HttpResponse::Ok().json(report))
}

/// The same figures month by month, for charts.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(StatsParams),
    responses(
        (status = 200, description = "Month by month; with `Accept: text/csv`, the month rows as CSV",
            content((TrendReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
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
    let trend = stats::trend(&state, &caller, query).await?;
    if wants_csv(&req) {
        return csv_response(trend.months.iter().map(|m| CsvRow {
            code: &trend.region.code,
            name: &m.month,
            level: "month",
            figures: &m.figures,
            warnings: None,
        }));
    }
    Ok(HttpResponse::Ok().json(trend))
}
