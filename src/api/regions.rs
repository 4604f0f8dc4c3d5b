//! A region as the API shows it, and the region list's query.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::regions::Region as RegionRow;
use crate::domain::region::{RegionCode, RegionLevel};

/// A region as stored and as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Region {
    /// GB/T 2260 code.
    #[schema(example = "411600")]
    pub code: String,
    #[schema(example = "周口市")]
    pub name: String,
    pub level: RegionLevel,
    /// Null for a province.
    #[schema(example = "410000")]
    pub parent_code: Option<String>,
}

impl From<RegionRow> for Region {
    fn from(row: RegionRow) -> Region {
        Region {
            code: row.code.to_string(),
            name: row.name,
            level: row.level,
            parent_code: row.parent_code.map(|c| c.to_string()),
        }
    }
}

/// A region with its ancestors, the province first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionDetail {
    #[schema(example = "411600")]
    pub code: String,
    #[schema(example = "周口市")]
    pub name: String,
    pub level: RegionLevel,
    #[schema(example = "410000")]
    pub parent_code: Option<String>,
    /// From the province down to the direct parent; empty for a province.
    pub ancestors: Vec<Region>,
}

impl From<(RegionRow, Vec<RegionRow>)> for RegionDetail {
    fn from((region, ancestors): (RegionRow, Vec<RegionRow>)) -> RegionDetail {
        RegionDetail {
            code: region.code.to_string(),
            name: region.name,
            level: region.level,
            parent_code: region.parent_code.map(|c| c.to_string()),
            ancestors: ancestors.into_iter().map(Region::from).collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListRegions {
    /// Only the direct children of this region (a six-digit code).
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    pub parent: Option<RegionCode>,
    /// Only regions of this level.
    pub level: Option<RegionLevel>,
    /// Page size, 1 to 200 (larger values are lowered to 200).
    #[param(minimum = 1, default = 50)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
