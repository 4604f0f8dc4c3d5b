//! A region as the API shows it.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::regions::Region as RegionRow;
use crate::domain::region::RegionLevel;

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
