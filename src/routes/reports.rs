//! `/stats`: completion rates rolled up county → city → province (or split by category), as
//! JSON or CSV; month by month; the frozen monthly reports; and the workload of the cadres.

use actix_web::http::header::{ACCEPT, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::extract::Query;
use crate::api::reports::{
    ChildOf, Figures, GroupBy, GroupedStatsParams, MonthlyParams, MonthlyReport, StatsParams,
    StatsReport, TrendReport,
};
use crate::api::workload::{WorkloadParams, WorkloadReport, WorkloadRows};
use crate::auth::Principal;
use crate::domain::ids::DepartmentId;
use crate::domain::rollup::{Month, PeriodFigures};
use crate::domain::workload::WorkloadFigures;
use crate::error::{Error, Problem};
use crate::services::monthly::{self, MonthlyQuery};
use crate::services::reports::{self, StatsQuery};
use crate::services::workload::{self, WorkloadQuery};
use crate::state::AppState;

/// A month parameter as `YYYY-MM`; anything else is a 400 naming the parameter.
fn month_param(name: &str, text: &str) -> Result<Month, Error> {
    Month::parse(text).ok_or_else(|| {
        Error::BadRequest(format!(
            "invalid query parameter `{name}`: a month as YYYY-MM"
        ))
    })
}

/// The period of `from` to `to`; by default from January of this year to this month
/// (programme time).
fn period(
    state: &AppState,
    from: Option<String>,
    to: Option<String>,
) -> Result<(Month, Month), Error> {
    let this_month = Month::of(state.clock.now(), state.timezone);
    let month = |name: &str, text: Option<String>, default: Month| match text {
        None => Ok(default),
        Some(text) => month_param(name, &text),
    };
    let january = Month {
        month: 1,
        ..this_month
    };
    Ok((month("from", from, january)?, month("to", to, this_month)?))
}

fn parse(state: &AppState, params: StatsParams, group_by: GroupBy) -> Result<StatsQuery, Error> {
    let (from, to) = period(state, params.from, params.to)?;
    Ok(StatsQuery {
        region: params.region,
        from,
        to,
        category: params.category,
        group_by,
    })
}

fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"))
}

/// The columns of the figures of section 5, in both CSV exports.
const FIGURE_COLUMNS: [&str; 15] = [
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
    "supervised",
    "returned",
];

/// The warning snapshot's columns (the stats CSV only: the snapshot is not a month's).
const WARNING_COLUMNS: [&str; 3] = ["warnings_yellow", "warnings_orange", "warnings_red"];

/// A rate or mean with four decimals; empty when there is none.
fn rate(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.4}")).unwrap_or_default()
}

fn figure_fields(f: &PeriodFigures) -> impl Iterator<Item = String> {
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
        f.supervised.to_string(),
        f.returned.to_string(),
    ]
    .into_iter()
}

/// A line of the stats CSV: what it is about (`key`), its figures, its warnings.
fn stats_record(key: &[&str], figures: &Figures) -> Vec<String> {
    let w = &figures.warnings;
    key.iter()
        .map(|k| (*k).to_owned())
        .chain(figure_fields(&figures.period))
        .chain([w.yellow, w.orange, w.red].map(|n| n.to_string()))
        .collect()
}

/// The code and name the totals line of the stats CSV by category shows: all categories (or
/// the one asked for, whose figures the totals then are).
const ALL_CATEGORIES: [&str; 2] = ["*", "全部"];

/// The stats CSV: the report's own totals first, then one line per child row. By region the
/// lines start `code,name,level` of the region; by category `code,name` of the category, the
/// totals as [`ALL_CATEGORIES`].
fn stats_csv(stats: &StatsReport, group_by: GroupBy) -> Result<HttpResponse, Error> {
    let r = &stats.region;
    let (header, totals): (&[&str], _) = match group_by {
        GroupBy::Region => (
            &["code", "name", "level"],
            stats_record(&[&r.code, &r.name, &r.level], &stats.totals),
        ),
        GroupBy::Category => (
            &["code", "name"],
            stats_record(&ALL_CATEGORIES, &stats.totals),
        ),
    };
    let children = stats.children.iter().map(|c| match &c.of {
        ChildOf::Region { region } => {
            stats_record(&[&region.code, &region.name, &region.level], &c.figures)
        }
        ChildOf::Category { category } => {
            stats_record(&[&category.code, &category.name], &c.figures)
        }
    });
    let header = header
        .iter()
        .copied()
        .chain(FIGURE_COLUMNS)
        .chain(WARNING_COLUMNS);
    csv_response(header, std::iter::once(totals).chain(children))
}

/// The figures' columns of the workload CSV.
const WORKLOAD_COLUMNS: [&str; 7] = [
    "open",
    "orange",
    "red",
    "resolved",
    "avg_resolution_hours",
    "satisfaction_avg",
    "assisting",
];

/// A line of the workload CSV: what it is about (`key`), then its figures.
fn workload_record(key: [String; 4], f: &WorkloadFigures) -> Vec<String> {
    key.into_iter()
        .chain([
            f.open.to_string(),
            f.orange.to_string(),
            f.red.to_string(),
            f.resolved.to_string(),
            rate(f.avg_resolution_hours),
            rate(f.satisfaction_avg),
            f.assisting.to_string(),
        ])
        .collect()
}

/// The workload CSV: one line per cadre, or per department.
fn workload_csv(carried: &WorkloadReport, rows: WorkloadRows) -> Result<HttpResponse, Error> {
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    match rows {
        WorkloadRows::Cadres => {
            let header = ["user_id", "display_name", "department_id", "department"];
            let lines = carried.cadres.iter().map(|c| {
                let key = [
                    c.user_id.to_string(),
                    text(&c.display_name),
                    number(c.department_id),
                    text(&c.department),
                ];
                workload_record(key, &c.figures)
            });
            csv_response(header.into_iter().chain(WORKLOAD_COLUMNS), lines)
        }
        WorkloadRows::Departments => {
            let header = ["department_id", "name", "region_code", "cadres"];
            let lines = carried.departments.iter().map(|d| {
                let key = [
                    number(d.department_id),
                    text(&d.name),
                    d.region_code
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    d.cadres.to_string(),
                ];
                workload_record(key, &d.figures)
            });
            csv_response(header.into_iter().chain(WORKLOAD_COLUMNS), lines)
        }
    }
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

/// A region's figures and one row per child region (or per category).
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(GroupedStatsParams),
    responses(
        (status = 200, description = "The figures; with `Accept: text/csv`, CSV (UTF-8 with a byte-order mark): a header row (`code,name,level`, the figures, `warnings_yellow,warnings_orange,warnings_red`), the region's own totals, then one row per child region. With `group_by=category` the rows start `code,name` of the category instead, the totals row `*,全部`",
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
    Query(params): Query<GroupedStatsParams>,
) -> Result<HttpResponse, Error> {
    let group_by = params.grouping.group_by.unwrap_or_default();
    let query = parse(&state, params.stats, group_by)?;
    let report = reports::report(&state, &caller, query).await?;
    if wants_csv(&req) {
        return stats_csv(&report, group_by);
    }
    Ok(HttpResponse::Ok().json(report))
}

/// The same figures month by month, for charts.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(StatsParams),
    responses(
        (status = 200, description = "Month by month; with `Accept: text/csv`, CSV (UTF-8 with a byte-order mark): a header row (`month`, then the figures `filed` to `returned`) and one row per month, without the warning snapshot",
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
    let query = parse(&state, params, GroupBy::Region)?;
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
        return stats_csv(&frozen.report, GroupBy::Region);
    }
    Ok(HttpResponse::Ok().json(frozen))
}

/// Who carries how much: one row per cadre of the region's subtree and per department, with
/// their open tickets and colours now, the resolutions of the tickets of the period assigned
/// to them, and their open assisting tasks.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(WorkloadParams),
    responses(
        (status = 200, description = "The workload. Per cadre: `open` = tickets assigned to the cadre now and not settled (submitted, assigned, in progress, awaiting the enterprise), `orange` and `red` = of those the ones of that colour now (snapshots, not bound to the period); `resolved` = tickets filed in the period (programme-time months, as for `/stats`) assigned to the cadre now that were ever resolved, `avg_resolution_hours` = their mean time from filing to the first resolution (whole minutes summed, as for `/stats`), `satisfaction_avg` = the mean rating of the rated closed ones among them; `assisting` = the cadre's open assisting tasks (协办, a snapshot). Department rows are sums over their member cadres' rows, the means recomputed from the sums. With `Accept: text/csv`, CSV (UTF-8 with a byte-order mark): `user_id,display_name,department_id,department` and the figures `open,orange,red,resolved,avg_resolution_hours,satisfaction_avg,assisting`, one row per cadre; with `rows=departments`, `department_id,name,region_code,cadres` and the figures, one row per department",
            content((WorkloadReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A bad query parameter, or a department not of the region", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only supervisors and admins read workloads", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such region in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats/workload")]
pub async fn workload_report(
    state: web::Data<AppState>,
    caller: Principal,
    req: HttpRequest,
    Query(params): Query<WorkloadParams>,
) -> Result<HttpResponse, Error> {
    let (from, to) = period(&state, params.from, params.to)?;
    let query = WorkloadQuery {
        region: params.region,
        from,
        to,
        department: params.department.map(DepartmentId),
    };
    let carried = workload::report(&state, &caller, query).await?;
    if wants_csv(&req) {
        return workload_csv(&carried, params.rows.unwrap_or_default());
    }
    Ok(HttpResponse::Ok().json(carried))
}
