//! Categories of demand and their service levels.

use diesel::prelude::*;

use super::schema::categories;
use super::{DbConnection, DbError};
use crate::domain::sla::SlaHours;
use crate::domain::ticket::Priority;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = categories)]
pub struct Category {
    pub code: String,
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

impl Category {
    pub fn sla(&self, priority: Priority) -> SlaHours {
        match priority {
            Priority::Normal => SlaHours {
                response: self.normal_response_hours,
                resolution: self.normal_resolution_hours,
            },
            Priority::Urgent => SlaHours {
                response: self.urgent_response_hours,
                resolution: self.urgent_resolution_hours,
            },
        }
    }
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = categories)]
pub struct CategoryChanges {
    pub name: Option<String>,
    pub normal_response_hours: Option<i32>,
    pub normal_resolution_hours: Option<i32>,
    pub urgent_response_hours: Option<i32>,
    pub urgent_resolution_hours: Option<i32>,
    pub active: Option<bool>,
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<Category>, DbError> {
    Ok(categories::table
        .select(Category::as_select())
        .order(categories::code)
        .load(conn)?)
}

pub fn find(conn: &mut DbConnection, code: &str) -> Result<Option<Category>, DbError> {
    Ok(categories::table
        .find(code)
        .select(Category::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, category: &Category) -> Result<(), DbError> {
    diesel::insert_into(categories::table)
        .values(category.clone())
        .execute(conn)?;
    Ok(())
}

impl CategoryChanges {
    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.normal_response_hours.is_none()
            && self.normal_resolution_hours.is_none()
            && self.urgent_response_hours.is_none()
            && self.urgent_resolution_hours.is_none()
            && self.active.is_none()
    }
}

pub fn update(
    conn: &mut DbConnection,
    code: &str,
    changes: &CategoryChanges,
) -> Result<Category, DbError> {
    // An empty change is no statement at all (diesel refuses an empty SET).
    if !changes.is_empty() {
        diesel::update(categories::table.find(code))
            .set(changes)
            .execute(conn)?;
    }
    find(conn, code)?.ok_or(DbError::NotFound)
}
