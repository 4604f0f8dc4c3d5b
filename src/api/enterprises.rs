//! An enterprise as the API shows it.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

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
            id: row.id,
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
