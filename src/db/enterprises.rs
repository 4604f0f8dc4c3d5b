//! Enterprises: who files tickets.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::schema::enterprises;
use super::{DbConnection, DbError};
use crate::auth::policy::EnterpriseFacts;
use crate::domain::region::RegionCode;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = enterprises)]
pub struct Enterprise {
    pub id: i64,
    #[schema(example = "周口市恒达食品有限公司")]
    pub name: String,
    /// Unified social credit code (GB 32100-2015).
    #[schema(example = "91411602MA0000001X")]
    pub uscc: String,
    #[schema(example = "411602")]
    pub county_code: String,
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

impl Enterprise {
    pub fn facts(&self) -> EnterpriseFacts {
        EnterpriseFacts {
            id: self.id,
            county: RegionCode::parse(&self.county_code).expect("stored county codes are valid"),
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = enterprises)]
pub struct NewEnterprise {
    pub name: String,
    pub uscc: String,
    pub county_code: String,
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewEnterprise) -> Result<Enterprise, DbError> {
    let statement = diesel::insert_into(enterprises::table).values(new);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Enterprise::as_returning())
        .get_result(c))?)
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Enterprise, DbError> {
    Ok(enterprises::table
        .find(id)
        .select(Enterprise::as_select())
        .first(conn)?)
}

/// An enterprise with its primary cadre, in one query (filing needs both).
pub fn find_with_primary_cadre(
    conn: &mut DbConnection,
    id: i64,
) -> Result<(Enterprise, Option<i64>), DbError> {
    use super::schema::enterprise_cadres;
    let primary = enterprise_cadres::table.on(enterprise_cadres::enterprise_id
        .eq(enterprises::id)
        .and(enterprise_cadres::is_primary.eq(true)));
    Ok(enterprises::table
        .left_join(primary)
        .filter(enterprises::id.eq(id))
        .select((
            Enterprise::as_select(),
            enterprise_cadres::user_id.nullable(),
        ))
        .first(conn)?)
}
