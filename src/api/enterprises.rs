//! An enterprise as the API shows it.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use chrono::NaiveDateTime;

use crate::db::enterprises::Enterprise as EnterpriseRow;
use crate::domain::region::RegionCode;

#[derive(Debug, Serialize, ToSchema)]
pub struct Enterprise {
    pub id: i64,
    #[schema(example = "周口市恒达食品有限公司")]
    pub name: String,
    /// Unified social credit code (GB 32100-2015).
    #[schema(example = "91411602MA00000011")]
    pub uscc: String,
    #[schema(value_type = String, example = "411602")]
    pub county_code: RegionCode,
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub active: bool,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

impl From<EnterpriseRow> for Enterprise {
    fn from(row: EnterpriseRow) -> Enterprise {
        Enterprise {
            id: row.id.get(),
            name: row.name,
            uscc: row.uscc,
            county_code: row.county_code,
            industry: row.industry,
            contact_name: row.contact_name,
            contact_phone: row.contact_phone,
            active: row.active,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEnterprise {
    #[schema(example = "周口市恒达食品有限公司")]
    pub name: String,
    /// Unified social credit code: 18 characters with a valid check character.
    #[schema(example = "91350100M000100Y43")]
    pub uscc: String,
    /// A county-level region (a county, or a city that has no counties).
    #[schema(example = "411602")]
    pub county_code: String,
    #[schema(example = "food processing")]
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

/// A change to an enterprise; absent fields stay as they are, an empty optional field is cleared.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEnterprise {
    pub name: Option<String>,
    /// A corrected code; it must still be valid and unique.
    pub uscc: Option<String>,
    /// Moves the enterprise to another county-level region inside the caller's scope.
    pub county_code: Option<String>,
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    /// `false` deactivates the enterprise, `true` reactivates it.
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListEnterprises {
    /// Enterprises whose county lies in this region's subtree (any level).
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    pub region: Option<RegionCode>,
    /// Part of the name (Latin letters in any case).
    #[param(example = "食品")]
    pub q: Option<String>,
    /// Exactly this industry.
    pub industry: Option<String>,
    pub active: Option<bool>,
    /// Page size, 1 to 200 (larger values are lowered to 200).
    #[param(minimum = 1, default = 50)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
