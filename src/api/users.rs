//! A user as the API shows it.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use chrono::NaiveDateTime;

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
    /// A cadre's department, as a display name.
    pub department: Option<String>,
    /// A cadre's department of the roster (`/departments`), of their own region.
    pub department_id: Option<i64>,
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
            id: row.id.get(),
            username: row.username,
            role: row.role,
            region_code: row.region_code,
            enterprise_id: row.enterprise_id.map(i64::from),
            department: row.department,
            department_id: row.department_id.map(i64::from),
            display_name: row.display_name,
            active: row.active,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[schema(example = "cadre.li")]
    pub username: String,
    #[schema(example = "correct horse battery staple")]
    pub password: String,
    pub role: Role,
    /// Required for supervisors and cadres: where their agency works.
    #[schema(example = "411602")]
    pub region_code: Option<String>,
    /// Required for enterprise users.
    pub enterprise_id: Option<i64>,
    #[schema(example = "川汇区发展和改革委员会")]
    pub department: Option<String>,
    /// Cadres only: a department of the roster at the cadre's region (`/departments`).
    pub department_id: Option<i64>,
    #[schema(example = "李明")]
    pub display_name: Option<String>,
}

/// A change to a user; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    pub password: Option<String>,
    /// Admins only.
    pub role: Option<Role>,
    pub region_code: Option<String>,
    pub department: Option<String>,
    /// Cadres only: a department of the roster at the cadre's region; `null` leaves it. A
    /// cadre moved to another region leaves a department of the old one.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<i64>, nullable)]
    pub department_id: Option<Option<i64>>,
    pub display_name: Option<String>,
    /// `false` deactivates: no more logins or refreshes.
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsers {
    pub role: Option<Role>,
    /// Users at home in this region's subtree (their region, or their enterprise's county).
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    pub region: Option<RegionCode>,
    pub enterprise_id: Option<i64>,
    pub active: Option<bool>,
    /// Users whose department's name contains this (Latin letters in any case).
    #[param(example = "发展和改革")]
    pub department: Option<String>,
    /// Members of this department of the roster.
    pub department_id: Option<i64>,
    /// Users whose username or display name contains this (Latin letters in any case).
    #[param(example = "李")]
    pub q: Option<String>,
    /// Page size, 1 to 200 (larger values are lowered to 200).
    #[param(minimum = 1, default = 50)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
