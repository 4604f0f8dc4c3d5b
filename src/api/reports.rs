//! Statistics: the query and the reports (figures of a region and its children, trends, frozen
//! monthly reports).

use chrono::NaiveDateTime;

use crate::domain::region::RegionCode;
use crate::domain::rollup::{PeriodFigures, WarningCounts};

use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

/// The region a report is about.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegionRef {
    /// `000000` for the whole country.
    #[schema(example = "411600")]
    pub code: String,
    #[schema(example = "周口市")]
    pub name: String,
    /// `province`, `city`, `county`, or `country`.
    #[schema(example = "city")]
    pub level: String,
}

/// The figures of a period, with the warning snapshot of now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Figures {
    #[serde(flatten)]
    pub period: PeriodFigures,
    /// Open tickets now yellow, orange and red (a snapshot, not bound to the period).
    pub warnings: WarningCounts,
}

/// A category a child row is about.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CategoryRef {
    #[schema(example = "land")]
    pub code: String,
    #[schema(example = "用地")]
    pub name: String,
}

/// What a child row is about: a child region (`group_by=region`, the default), or a category
/// (`group_by=category`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ChildOf {
    Region { region: RegionRef },
    Category { category: CategoryRef },
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChildRow {
    #[serde(flatten)]
    pub of: ChildOf,
    #[serde(flatten)]
    pub figures: Figures,
}

/// A region's figures for a period (a frozen monthly report is stored as this, JSON).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StatsReport {
    pub region: RegionRef,
    #[schema(example = "2024-01")]
    pub from: String,
    #[schema(example = "2024-12")]
    pub to: String,
    pub category: Option<String>,
    pub totals: Figures,
    /// By region: city → its counties, province → its cities, country → its provinces. By
    /// category: every category in code order (or the one of `category`), which add up to the
    /// totals.
    pub children: Vec<ChildRow>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthRow {
    #[schema(example = "2024-03")]
    pub month: String,
    #[serde(flatten)]
    pub figures: PeriodFigures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrendReport {
    pub region: RegionRef,
    pub from: String,
    pub to: String,
    pub category: Option<String>,
    /// Every month of the period, empty ones included.
    pub months: Vec<MonthRow>,
    /// Open tickets now yellow, orange and red.
    pub warnings: WarningCounts,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// The region (any level); default: a supervisor's own region, the country for admins.
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    pub region: Option<RegionCode>,
    /// First month, `YYYY-MM` (tickets count in the month they were filed, in programme time, `TIMEZONE`); default January of this year.
    #[param(example = "2024-01")]
    pub from: Option<String>,
    /// Last month, included; default this month.
    #[param(example = "2024-12")]
    pub to: Option<String>,
    /// Only this category.
    #[param(example = "land")]
    pub category: Option<String>,
}

/// What the child rows of `/stats` are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// One row per child region.
    #[default]
    Region,
    /// One row per category.
    Category,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Grouping {
    /// The child rows: `region` (default), one per child region, or `category`, one per
    /// category (every category in code order, or only the one of `category`), with
    /// `"category":{"code","name"}` in place of `region`. The totals are the same either way.
    #[param(inline)]
    pub group_by: Option<GroupBy>,
}

/// The parameters of `/stats`: those of the trend, and the grouping of the child rows.
#[derive(Debug, Deserialize)]
pub struct GroupedStatsParams {
    #[serde(flatten)]
    pub stats: StatsParams,
    #[serde(flatten)]
    pub grouping: Grouping,
}

impl IntoParams for GroupedStatsParams {
    fn into_params(parameter_in: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = StatsParams::into_params(&parameter_in);
        params.extend(Grouping::into_params(parameter_in));
        params
    }
}

/// A month's report as frozen after the month ended: what `/stats` answered for that month
/// (`from` = `to` = the month, all categories, the warning snapshot of the moment of freezing),
/// never recomputed.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthlyReport {
    #[serde(flatten)]
    pub report: StatsReport,
    /// When the report was frozen.
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub frozen_at: NaiveDateTime,
    /// The version of the figures' definitions the report was computed with; it goes up when a
    /// figure's definition changes.
    #[schema(example = 1)]
    pub formula_version: i32,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthlyParams {
    /// The region (any level); default: a supervisor's own region, the country for admins.
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    pub region: Option<RegionCode>,
    /// The month, `YYYY-MM`, in programme time (`TIMEZONE`); frozen after it ends.
    #[param(example = "2024-03")]
    pub month: String,
}
