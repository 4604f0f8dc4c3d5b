//! A category as the API shows it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::categories::Category as CategoryRow;

#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    #[schema(example = "land")]
    pub code: String,
    #[schema(example = "用地保障")]
    pub name: String,
    /// Hours to the first response, normal priority.
    pub normal_response_hours: i32,
    /// Hours to resolution, normal priority.
    pub normal_resolution_hours: i32,
    pub urgent_response_hours: i32,
    pub urgent_resolution_hours: i32,
    /// Inactive categories take no new tickets.
    pub active: bool,
}

impl From<CategoryRow> for Category {
    fn from(row: CategoryRow) -> Category {
        Category {
            code: row.code,
            name: row.name,
            normal_response_hours: row.normal_response_hours,
            normal_resolution_hours: row.normal_resolution_hours,
            urgent_response_hours: row.urgent_response_hours,
            urgent_resolution_hours: row.urgent_resolution_hours,
            active: row.active,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    #[schema(example = "tax")]
    pub code: String,
    #[schema(example = "税费服务")]
    pub name: String,
    /// Defaults: 24 / 360 / 4 / 72 hours.
    pub normal_response_hours: Option<i32>,
    pub normal_resolution_hours: Option<i32>,
    pub urgent_response_hours: Option<i32>,
    pub urgent_resolution_hours: Option<i32>,
}

/// A change to a category; absent fields stay. New service levels apply to tickets filed after.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    pub name: Option<String>,
    pub normal_response_hours: Option<i32>,
    pub normal_resolution_hours: Option<i32>,
    pub urgent_response_hours: Option<i32>,
    pub urgent_resolution_hours: Option<i32>,
    pub active: Option<bool>,
}
