//! A category as the API shows it, and the requests that create and change one.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::categories::Category as CategoryRow;
use crate::domain::sla::Sla;
// Named apart: the OpenAPI derive takes any type spelt `Duration` for a string.
use crate::domain::working_time::Duration as ClockDuration;

#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    #[schema(example = "land")]
    pub code: String,
    #[schema(example = "用地保障")]
    pub name: String,
    /// The accept, feedback and resolve clocks per priority.
    pub sla: Sla,
    /// Part 1's reading of `sla.normal.accept` in hours: a working day counts 24, a working
    /// hour 1 (so the defaults read 24 / 360 / 4 / 72 as before).
    pub normal_response_hours: i32,
    /// Part 1's reading of `sla.normal.resolve` in hours.
    pub normal_resolution_hours: i32,
    /// Part 1's reading of `sla.urgent.accept` in hours.
    pub urgent_response_hours: i32,
    /// Part 1's reading of `sla.urgent.resolve` in hours.
    pub urgent_resolution_hours: i32,
    /// Inactive categories take no new tickets.
    pub active: bool,
}

impl From<CategoryRow> for Category {
    fn from(row: CategoryRow) -> Category {
        let sla = row.sla();
        Category {
            code: row.code,
            name: row.name,
            normal_response_hours: sla.normal.accept.nominal_hours(),
            normal_resolution_hours: sla.normal.resolve.nominal_hours(),
            urgent_response_hours: sla.urgent.accept.nominal_hours(),
            urgent_resolution_hours: sla.urgent.resolve.nominal_hours(),
            sla,
            active: row.active,
        }
    }
}

/// Some of one priority's clocks; absent ones stay (or take the default, for a new category).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClocksInput {
    pub accept: Option<ClockDuration>,
    pub feedback: Option<ClockDuration>,
    pub resolve: Option<ClockDuration>,
}

/// Some of a category's clocks, per priority.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaInput {
    pub normal: Option<ClocksInput>,
    pub urgent: Option<ClocksInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    #[schema(example = "tax")]
    pub code: String,
    #[schema(example = "税费服务")]
    pub name: String,
    /// The clocks; those not given take the defaults (normal: accept 1, feedback 3, resolve 15
    /// working days; urgent: accept 4 working hours, feedback 1, resolve 3 working days).
    pub sla: Option<SlaInput>,
    /// Part 1's field: the normal accept clock in plain hours (as `sla.normal.accept`
    /// `{"value": N, "unit": "hours"}`).
    pub normal_response_hours: Option<i32>,
    /// Part 1's field: the normal resolve clock in plain hours.
    pub normal_resolution_hours: Option<i32>,
    /// Part 1's field: the urgent accept clock in plain hours.
    pub urgent_response_hours: Option<i32>,
    /// Part 1's field: the urgent resolve clock in plain hours.
    pub urgent_resolution_hours: Option<i32>,
}

/// A change to a category; absent fields stay. New service levels apply to tickets filed after.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    pub name: Option<String>,
    /// The clocks to change; those not given stay.
    pub sla: Option<SlaInput>,
    /// Part 1's field: the normal accept clock in plain hours.
    pub normal_response_hours: Option<i32>,
    /// Part 1's field: the normal resolve clock in plain hours.
    pub normal_resolution_hours: Option<i32>,
    /// Part 1's field: the urgent accept clock in plain hours.
    pub urgent_response_hours: Option<i32>,
    /// Part 1's field: the urgent resolve clock in plain hours.
    pub urgent_resolution_hours: Option<i32>,
    pub active: Option<bool>,
}
