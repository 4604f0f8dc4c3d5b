//! The workload report (SPEC section 10): who carries how much, per cadre and per department.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::reports::RegionRef;
use crate::domain::region::RegionCode;
use crate::domain::workload::WorkloadFigures;

/// A cadre's workload.
#[derive(Debug, Serialize, ToSchema)]
pub struct CadreWorkload {
    pub user_id: i64,
    #[schema(example = "李明")]
    pub display_name: Option<String>,
    /// The cadre's department of the roster, if any.
    pub department_id: Option<i64>,
    /// That department's name, else the cadre's free-text department (a display name).
    #[schema(example = "周口市自然资源和规划局")]
    pub department: Option<String>,
    #[serde(flatten)]
    pub figures: WorkloadFigures,
}

/// A department's workload: the sums over its member cadres' rows (the means recomputed from
/// the sums, never averaged). The row with `department_id` null holds the cadres in no
/// department of the roster (then `name` and `region_code` are null too).
#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentWorkload {
    pub department_id: Option<i64>,
    #[schema(example = "周口市自然资源和规划局")]
    pub name: Option<String>,
    #[schema(value_type = Option<String>, example = "411600")]
    pub region_code: Option<RegionCode>,
    /// How many of the report's cadre rows belong to it.
    pub cadres: i64,
    #[serde(flatten)]
    pub figures: WorkloadFigures,
}

/// The workload of a region's cadres for a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkloadReport {
    pub region: RegionRef,
    #[schema(example = "2026-01")]
    pub from: String,
    #[schema(example = "2026-12")]
    pub to: String,
    /// The department asked for, if any.
    pub department: Option<i64>,
    /// One row per cadre whose region lies in the region's subtree (the active ones always, the
    /// inactive ones when a figure is not zero), in id order; with `department`, its members only.
    pub cadres: Vec<CadreWorkload>,
    /// One row per department of the subtree (the active ones always, the inactive ones when
    /// they have members among the cadre rows), by region code then id, then the row of the
    /// cadres in no department when there are any; with `department`, that department's row only.
    pub departments: Vec<DepartmentWorkload>,
}

/// Which rows the CSV holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadRows {
    #[default]
    Cadres,
    Departments,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkloadParams {
    /// The region (any level); default: a supervisor's own region, the country for admins.
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    pub region: Option<RegionCode>,
    /// First month of the resolutions, `YYYY-MM` (tickets count in the month they were filed,
    /// in programme time, `TIMEZONE`); default January of this year.
    #[param(example = "2026-01")]
    pub from: Option<String>,
    /// Last month, included; default this month.
    #[param(example = "2026-12")]
    pub to: Option<String>,
    /// Only the members of this department (of the region's subtree).
    pub department: Option<i64>,
    /// The rows of the CSV (`Accept: text/csv`): `cadres` (default) or `departments`. JSON
    /// holds both.
    #[param(inline)]
    pub rows: Option<WorkloadRows>,
}
