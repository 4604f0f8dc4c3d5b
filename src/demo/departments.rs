//! The demo's departments, written into the roster's tables in multi-row inserts: those the
//! database lacks are created with their categories (those it has are left as they are, so a
//! rerun or an administrator's edits stay), and each cadre is placed in the department of their
//! region that their free-text `department` names.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::generate::Department;
use crate::db::departments::{self, NewDepartment};
use crate::db::pairings::Changes;
use crate::db::schema::{department_categories, departments as departments_table, users};
use crate::db::{DbConnection, DbError, ROWS_PER_STATEMENT, categories};
use crate::domain::ids::DepartmentId;
use crate::domain::region::RegionCode;
use crate::services::imports::people::PersonRow;

/// The roster's ids by region and department name.
pub type RosterIds = BTreeMap<(RegionCode, String), DepartmentId>;

/// Creates the departments the database lacks, with their categories; the ids of all, by
/// region and name.
pub fn write(
    conn: &mut DbConnection,
    roster: &[Department],
    now: NaiveDateTime,
) -> Result<(Changes, RosterIds), DbError> {
    let regions: Vec<RegionCode> = roster
        .iter()
        .map(|d| d.region.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let stored = departments::in_regions(conn, &regions)?;
    let missing: Vec<&Department> = roster
        .iter()
        .filter(|d| !stored.contains_key(&(d.region.clone(), d.name.clone())))
        .collect();
    let new: Vec<NewDepartment> = missing
        .iter()
        .map(|d| NewDepartment {
            region_code: d.region.clone(),
            name: d.name.clone(),
            active: true,
            created_at: now,
            updated_at: now,
        })
        .collect();
    for chunk in new.chunks(ROWS_PER_STATEMENT) {
        let statement = diesel::insert_into(departments_table::table).values(chunk);
        crate::on_backend!(conn, |c| statement.execute(c))?;
    }
    let ids: RosterIds = departments::in_regions(conn, &regions)?
        .into_iter()
        .map(|(key, d)| (key, d.id))
        .collect();
    // Only categories that exist: a deployment may have replaced the bundled ones.
    let known: BTreeSet<String> = categories::list(conn)?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let handled: Vec<_> = missing
        .iter()
        .flat_map(|d| {
            let id = ids[&(d.region.clone(), d.name.clone())];
            d.categories
                .iter()
                .filter(|c| known.contains(**c))
                .map(move |c| {
                    (
                        department_categories::department_id.eq(id),
                        department_categories::category.eq(*c),
                    )
                })
        })
        .collect();
    for chunk in handled.chunks(ROWS_PER_STATEMENT) {
        let statement = diesel::insert_into(department_categories::table).values(chunk);
        crate::on_backend!(conn, |c| statement.execute(c))?;
    }
    let changes = Changes {
        created: missing.len(),
        unchanged: roster.len() - missing.len(),
        ..Changes::default()
    };
    Ok((changes, ids))
}

/// Places each person with a region and a department name in that department, when the roster
/// has one of that name and they are not in it already.
pub fn place_cadres<'p>(
    conn: &mut DbConnection,
    people: impl Iterator<Item = &'p PersonRow>,
    ids: &RosterIds,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let mut members: BTreeMap<DepartmentId, Vec<&str>> = BTreeMap::new();
    for person in people {
        let (Some(region), Some(name)) = (&person.region, &person.department) else {
            continue;
        };
        if let Some(id) = ids.get(&(region.clone(), name.clone())) {
            members.entry(*id).or_default().push(&person.username);
        }
    }
    for (id, usernames) in members {
        for chunk in usernames.chunks(ROWS_PER_STATEMENT) {
            let statement = diesel::update(
                users::table.filter(users::username.eq_any(chunk)).filter(
                    users::department_id
                        .is_null()
                        .or(users::department_id.ne(id)),
                ),
            )
            .set((users::department_id.eq(id), users::updated_at.eq(now)));
            crate::on_backend!(conn, |c| statement.execute(c))?;
        }
    }
    Ok(())
}
