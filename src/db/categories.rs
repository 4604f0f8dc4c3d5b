//! Categories of demand and their service levels.

use diesel::prelude::*;

use super::schema::categories;
use super::{DbConnection, DbError};
use crate::domain::sla::{Clocks, Sla};
use crate::domain::working_time::Duration;

/// A category as stored: its clocks one column each, as `'<value> <unit>'`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories)]
pub struct Category {
    pub code: String,
    pub name: String,
    /// Inactive categories take no new tickets.
    pub active: bool,
    pub normal_accept: Duration,
    pub normal_feedback: Duration,
    pub normal_resolve: Duration,
    pub urgent_accept: Duration,
    pub urgent_feedback: Duration,
    pub urgent_resolve: Duration,
}

impl Category {
    pub fn new(code: String, name: String, sla: Sla) -> Category {
        Category {
            code,
            name,
            active: true,
            normal_accept: sla.normal.accept,
            normal_feedback: sla.normal.feedback,
            normal_resolve: sla.normal.resolve,
            urgent_accept: sla.urgent.accept,
            urgent_feedback: sla.urgent.feedback,
            urgent_resolve: sla.urgent.resolve,
        }
    }

    pub fn sla(&self) -> Sla {
        Sla {
            normal: Clocks {
                accept: self.normal_accept,
                feedback: self.normal_feedback,
                resolve: self.normal_resolve,
            },
            urgent: Clocks {
                accept: self.urgent_accept,
                feedback: self.urgent_feedback,
                resolve: self.urgent_resolve,
            },
        }
    }
}

/// A clock written as its stored text.
fn text(duration: Option<Duration>) -> Option<String> {
    duration.map(|d| d.to_string())
}

/// A change of a category; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct CategoryChanges {
    pub name: Option<String>,
    pub active: Option<bool>,
    pub normal_accept: Option<Duration>,
    pub normal_feedback: Option<Duration>,
    pub normal_resolve: Option<Duration>,
    pub urgent_accept: Option<Duration>,
    pub urgent_feedback: Option<Duration>,
    pub urgent_resolve: Option<Duration>,
}

/// [`CategoryChanges`] as columns.
#[derive(AsChangeset)]
#[diesel(table_name = categories)]
struct ChangedColumns {
    name: Option<String>,
    active: Option<bool>,
    normal_accept: Option<String>,
    normal_feedback: Option<String>,
    normal_resolve: Option<String>,
    urgent_accept: Option<String>,
    urgent_feedback: Option<String>,
    urgent_resolve: Option<String>,
}

impl CategoryChanges {
    fn columns(&self) -> ChangedColumns {
        ChangedColumns {
            name: self.name.clone(),
            active: self.active,
            normal_accept: text(self.normal_accept),
            normal_feedback: text(self.normal_feedback),
            normal_resolve: text(self.normal_resolve),
            urgent_accept: text(self.urgent_accept),
            urgent_feedback: text(self.urgent_feedback),
            urgent_resolve: text(self.urgent_resolve),
        }
    }

    fn is_empty(&self) -> bool {
        let c = self.columns();
        c.name.is_none()
            && c.active.is_none()
            && c.normal_accept.is_none()
            && c.normal_feedback.is_none()
            && c.normal_resolve.is_none()
            && c.urgent_accept.is_none()
            && c.urgent_feedback.is_none()
            && c.urgent_resolve.is_none()
    }
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
    let c = category;
    let d = |d: Duration| d.to_string();
    diesel::insert_into(categories::table)
        .values((
            categories::code.eq(&c.code),
            categories::name.eq(&c.name),
            categories::active.eq(c.active),
            categories::normal_accept.eq(d(c.normal_accept)),
            categories::normal_feedback.eq(d(c.normal_feedback)),
            categories::normal_resolve.eq(d(c.normal_resolve)),
            categories::urgent_accept.eq(d(c.urgent_accept)),
            categories::urgent_feedback.eq(d(c.urgent_feedback)),
            categories::urgent_resolve.eq(d(c.urgent_resolve)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn update(
    conn: &mut DbConnection,
    code: &str,
    changes: &CategoryChanges,
) -> Result<Category, DbError> {
    // An empty change is no statement at all (diesel refuses an empty SET).
    if !changes.is_empty() {
        diesel::update(categories::table.find(code))
            .set(changes.columns())
            .execute(conn)?;
    }
    find(conn, code)?.ok_or(DbError::NotFound)
}
