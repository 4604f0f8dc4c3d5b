//! A user as the API shows it.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::users::User as UserRow;
use crate::domain::region::RegionCode;
use crate::domain::role::Role;

/// A user as the API shows it: never a hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    #[schema(example = "cadre.li")]
    pub username: String,
    pub role: Role,
    /// A supervisor's or cadre's region.
    #[schema(value_type = Option<String>, example = "411602")]
    pub region_code: Option<RegionCode>,
    /// An enterprise user's enterprise.
    pub enterprise_id: Option<i64>,
    /// A cadre's department.
    pub department: Option<String>,
    pub display_name: Option<String>,
    pub active: bool,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            username: row.username,
            role: row.role,
            region_code: row.region_code,
            enterprise_id: row.enterprise_id,
            department: row.department,
            display_name: row.display_name,
            active: row.active,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}
