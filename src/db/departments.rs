//! Departments: the promotion centres' rosters at each level, and the categories each handles.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{department_categories, departments};
use super::search::{ESCAPE, contains_pattern, lower};
use super::{DbConnection, DbError, ROWS_PER_STATEMENT};
use crate::domain::ids::DepartmentId;
use crate::domain::page::PageRequest;
use crate::domain::region::{CodeRange, RegionCode};

/// A department as stored; its categories are rows of their own ([`categories_of`]).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = departments)]
pub struct Department {
    pub id: DepartmentId,
    /// The region whose promotion centre it belongs to (any level).
    pub region_code: RegionCode,
    pub name: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = departments)]
pub struct NewDepartment {
    pub region_code: RegionCode,
    pub name: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What may change; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = departments)]
pub struct DepartmentChanges {
    pub name: Option<String>,
    pub active: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
}

/// A change to one department among many (an import): `None` keeps a field, and a set of
/// categories replaces the department's.
#[derive(Debug, Clone)]
pub struct RosterChange {
    pub active: Option<bool>,
    pub categories: Option<Vec<String>>,
    pub updated_at: NaiveDateTime,
}

/// Inserts a department; [`DbError::Duplicate`] when its region has one of that name.
pub fn insert(conn: &mut DbConnection, new: &NewDepartment) -> Result<Department, DbError> {
    let statement = diesel::insert_into(departments::table).values(new);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Department::as_returning())
        .get_result(c))?)
}

pub fn find(conn: &mut DbConnection, id: DepartmentId) -> Result<Department, DbError> {
    Ok(departments::table
        .find(id)
        .select(Department::as_select())
        .first(conn)?)
}

pub fn update(
    conn: &mut DbConnection,
    id: DepartmentId,
    changes: &DepartmentChanges,
) -> Result<Department, DbError> {
    let statement = diesel::update(departments::table.find(id)).set(changes);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Department::as_returning())
        .get_result(c))?)
}

/// Inserts departments, each with its categories, a thousand rows per statement (an import of
/// a whole roster); [`DbError::Duplicate`] when a region has one of a name already.
pub fn insert_many(
    conn: &mut DbConnection,
    rows: &[(NewDepartment, Vec<String>)],
) -> Result<(), DbError> {
    // By key: the order of a multi-row insert's answer is not promised.
    let mut ids: BTreeMap<(RegionCode, String), DepartmentId> = BTreeMap::new();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let values: Vec<&NewDepartment> = chunk.iter().map(|(new, _)| new).collect();
        let statement = diesel::insert_into(departments::table).values(values);
        let inserted: Vec<(DepartmentId, RegionCode, String)> =
            crate::on_backend!(conn, |c| statement
                .returning((departments::id, departments::region_code, departments::name))
                .get_results(c))?;
        ids.extend(
            inserted
                .into_iter()
                .map(|(id, region, name)| ((region, name), id)),
        );
    }
    let links: Vec<(DepartmentId, &String)> = rows
        .iter()
        .flat_map(|(new, codes)| {
            let id = ids[&(new.region_code.clone(), new.name.clone())];
            codes.iter().map(move |code| (id, code))
        })
        .collect();
    add_categories(conn, &links)
}

/// Applies the changes a thousand departments per statement, rather than a few statements for
/// each department (a roster whose every category changes: 10,000 departments in tens of
/// statements).
pub fn change_many(
    conn: &mut DbConnection,
    changes: &[(DepartmentId, RosterChange)],
) -> Result<(), DbError> {
    let mut alike: BTreeMap<(Option<bool>, NaiveDateTime), Vec<DepartmentId>> = BTreeMap::new();
    for (id, change) in changes {
        let key = (change.active, change.updated_at);
        alike.entry(key).or_default().push(*id);
    }
    for ((active, updated_at), ids) in alike {
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            let changes = DepartmentChanges {
                name: None,
                active,
                updated_at: Some(updated_at),
            };
            diesel::update(departments::table.filter(departments::id.eq_any(chunk)))
                .set(&changes)
                .execute(conn)?;
        }
    }
    let recategorised: Vec<DepartmentId> = changes
        .iter()
        .filter(|(_, change)| change.categories.is_some())
        .map(|(id, _)| *id)
        .collect();
    for chunk in recategorised.chunks(ROWS_PER_STATEMENT) {
        diesel::delete(
            department_categories::table.filter(department_categories::department_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    let links: Vec<(DepartmentId, &String)> = changes
        .iter()
        .flat_map(|(id, change)| change.categories.iter().flatten().map(|code| (*id, code)))
        .collect();
    add_categories(conn, &links)
}

/// Makes `categories` the department's whole set.
pub fn set_categories(
    conn: &mut DbConnection,
    id: DepartmentId,
    categories: &[String],
) -> Result<(), DbError> {
    diesel::delete(
        department_categories::table.filter(department_categories::department_id.eq(id)),
    )
    .execute(conn)?;
    let links: Vec<(DepartmentId, &String)> = categories.iter().map(|code| (id, code)).collect();
    add_categories(conn, &links)
}

fn add_categories(
    conn: &mut DbConnection,
    links: &[(DepartmentId, &String)],
) -> Result<(), DbError> {
    let rows: Vec<_> = links
        .iter()
        .map(|(id, code)| {
            (
                department_categories::department_id.eq(*id),
                department_categories::category.eq(*code),
            )
        })
        .collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let statement = diesel::insert_into(department_categories::table).values(chunk);
        crate::on_backend!(conn, |c| statement.execute(c))?;
    }
    Ok(())
}

/// The categories of each of these departments, in code order.
pub fn categories_of(
    conn: &mut DbConnection,
    ids: &[DepartmentId],
) -> Result<BTreeMap<DepartmentId, Vec<String>>, DbError> {
    let mut found: BTreeMap<DepartmentId, Vec<String>> = BTreeMap::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<(DepartmentId, String)> = department_categories::table
            .filter(department_categories::department_id.eq_any(chunk))
            .order((
                department_categories::department_id,
                department_categories::category,
            ))
            .select((
                department_categories::department_id,
                department_categories::category,
            ))
            .load(conn)?;
        for (id, category) in rows {
            found.entry(id).or_default().push(category);
        }
    }
    Ok(found)
}

/// Filters of the department list.
#[derive(Debug, Default)]
pub struct DepartmentFilter {
    /// Departments of regions in this range (a region's subtree).
    pub region: Option<CodeRange>,
    /// Only those handling this category.
    pub category: Option<String>,
    pub active: Option<bool>,
    /// Part of the name, ignoring the case of Latin letters.
    pub q: Option<String>,
}

/// One page of departments, in id order.
pub fn list(
    conn: &mut DbConnection,
    filter: &DepartmentFilter,
    page: &PageRequest<i64>,
) -> Result<Vec<Department>, DbError> {
    let mut query = departments::table
        .select(Department::as_select())
        .order(departments::id)
        .limit(page.fetch_limit())
        .into_boxed();
    if let Some(range) = &filter.region {
        query =
            query.filter(departments::region_code.between(range.first.clone(), range.last.clone()));
    }
    if let Some(category) = &filter.category {
        let handling = department_categories::table
            .filter(department_categories::category.eq(category.clone()))
            .select(department_categories::department_id);
        query = query.filter(departments::id.eq_any(handling));
    }
    if let Some(active) = filter.active {
        query = query.filter(departments::active.eq(active));
    }
    if let Some(needle) = &filter.q {
        query = query.filter(
            lower(departments::name)
                .like(contains_pattern(needle))
                .escape(ESCAPE),
        );
    }
    if let Some(after) = page.after {
        query = query.filter(departments::id.gt(after));
    }
    Ok(query.load(conn)?)
}

/// The departments of these regions, by region and name (for imports).
pub fn in_regions(
    conn: &mut DbConnection,
    regions: &[RegionCode],
) -> Result<BTreeMap<(RegionCode, String), Department>, DbError> {
    let mut found = BTreeMap::new();
    for chunk in regions.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<Department> = departments::table
            .filter(departments::region_code.eq_any(chunk))
            .select(Department::as_select())
            .load(conn)?;
        for department in rows {
            found.insert(
                (department.region_code.clone(), department.name.clone()),
                department,
            );
        }
    }
    Ok(found)
}

/// The names of these departments.
pub fn names_of(
    conn: &mut DbConnection,
    ids: &[DepartmentId],
) -> Result<BTreeMap<DepartmentId, String>, DbError> {
    let mut found = BTreeMap::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<(DepartmentId, String)> = departments::table
            .filter(departments::id.eq_any(chunk))
            .select((departments::id, departments::name))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// The departments that handle `category` (active or not).
pub fn handling(conn: &mut DbConnection, category: &str) -> Result<Vec<DepartmentId>, DbError> {
    Ok(department_categories::table
        .filter(department_categories::category.eq(category))
        .select(department_categories::department_id)
        .load(conn)?)
}
