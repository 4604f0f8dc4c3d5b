//! A category as the API shows it.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::categories::Category as CategoryRow;
use crate::domain::sla::Sla;

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
