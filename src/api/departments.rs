//! Departments of the promotion centres' rosters as the API takes and shows them.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::departments::Department as DepartmentRow;
use crate::domain::region::RegionCode;

/// A department of a region's promotion centre and the categories of demand it handles.
#[derive(Debug, Serialize, ToSchema)]
pub struct Department {
    pub id: i64,
    #[schema(value_type = String, example = "411600")]
    pub region_code: RegionCode,
    #[schema(example = "周口市自然资源和规划局")]
    pub name: String,
    /// Category codes, in code order; dispatch candidates of a ticket of one of them come first.
    #[schema(example = json!(["land"]))]
    pub categories: Vec<String>,
    pub active: bool,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

impl Department {
    pub fn new(row: DepartmentRow, categories: Vec<String>) -> Department {
        Department {
            id: row.id.get(),
            region_code: row.region_code,
            name: row.name,
            categories,
            active: row.active,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDepartment {
    /// The region whose promotion centre it belongs to (any level; not a heading).
    #[schema(example = "411600")]
    pub region_code: String,
    /// Unique within the region, at most 100 characters.
    #[schema(example = "周口市自然资源和规划局")]
    pub name: String,
    /// Category codes it handles (each an existing category; none is allowed).
    #[serde(default)]
    #[schema(example = json!(["land"]))]
    pub categories: Vec<String>,
    /// Default `true`.
    pub active: Option<bool>,
}

/// A change to a department; absent fields stay as they are. `categories` replaces the set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDepartment {
    pub name: Option<String>,
    pub categories: Option<Vec<String>>,
    /// `false` deactivates: no cadre joins it any more, and it no longer puts its cadres first
    /// among dispatch candidates.
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListDepartments {
    /// Departments of regions in this region's subtree (the region itself included).
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    pub region: Option<RegionCode>,
    /// Only departments handling this category.
    #[param(example = "land")]
    pub category: Option<String>,
    pub active: Option<bool>,
    /// Departments whose name contains this (Latin letters in any case).
    #[param(example = "自然资源")]
    pub q: Option<String>,
    /// Page size, 1 to 200 (larger values are lowered to 200).
    #[param(minimum = 1, default = 50)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
