//! The promotion centres' rosters (SPEC section 10): departments at each level, with the
//! categories each handles. The government side reads them; administrators and the
//! supervisors whose region holds a department manage it.

use std::collections::BTreeSet;

use crate::api::departments::{CreateDepartment, Department as DepartmentView, UpdateDepartment};
use crate::auth::{Principal, policy};
use crate::db::departments::{Department, DepartmentChanges, DepartmentFilter, NewDepartment};
use crate::db::{DbConnection, DbError, categories, departments, write_transaction};
use crate::domain::ids::DepartmentId;
use crate::domain::page::{Page, PageRequest};
use crate::domain::text;
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::users::region_field;
use crate::state::AppState;

const NAME_MAX: usize = 100;
/// Categories one department may list: more than there are is a mistake.
const CATEGORIES_MAX: usize = 100;
pub(crate) const NAME_TAKEN: &str = "the region has a department of that name";
const NO_SUCH_DEPARTMENT: &str = "no such department";

/// A department's name: one line of at most 100 characters.
pub(crate) fn name_field(errors: &mut FieldErrors, name: &str) -> Option<String> {
    errors.check("name", text::single_line(name, NAME_MAX))
}

/// The codes of the categories there are.
pub(crate) fn known_categories(conn: &mut DbConnection) -> Result<BTreeSet<String>, DbError> {
    Ok(categories::list(conn)?
        .into_iter()
        .map(|c| c.code)
        .collect())
}

/// Checks a set of category codes (each one of `known`; duplicates dropped), in code order.
pub(crate) fn checked_categories(
    known: &BTreeSet<String>,
    errors: &mut FieldErrors,
    codes: &[String],
) -> Vec<String> {
    if codes.len() > CATEGORIES_MAX {
        errors.add("categories", format!("at most {CATEGORIES_MAX} categories"));
        return Vec::new();
    }
    let wanted: BTreeSet<String> = codes.iter().cloned().collect();
    for code in &wanted {
        if !known.contains(code) {
            errors.add("categories", format!("no category {code:?}"));
        }
    }
    wanted.into_iter().collect()
}

fn categories_field(
    conn: &mut DbConnection,
    errors: &mut FieldErrors,
    codes: &[String],
) -> Result<Vec<String>, Error> {
    Ok(checked_categories(&known_categories(conn)?, errors, codes))
}

/// A department as the API shows it, its categories read.
fn view(conn: &mut DbConnection, row: Department) -> Result<DepartmentView, Error> {
    let categories = departments::categories_of(conn, &[row.id])?
        .remove(&row.id)
        .unwrap_or_default();
    Ok(DepartmentView::new(row, categories))
}

pub async fn create(
    state: &AppState,
    caller: &Principal,
    input: CreateDepartment,
) -> Result<DepartmentView, Error> {
    policy::manage_departments(caller)?;
    let now = state.clock.now();
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let mut errors = FieldErrors::default();
                let region = region_field(c, &mut errors, Some(&input.region_code))?;
                let name = name_field(&mut errors, &input.name);
                let categories = categories_field(c, &mut errors, &input.categories)?;
                let (region, name) = errors.finish(region.zip(name))?;
                policy::manage_department(&caller, &region)?;
                let new = NewDepartment {
                    region_code: region,
                    name,
                    active: input.active.unwrap_or(true),
                    created_at: now,
                    updated_at: now,
                };
                let row = departments::insert(c, &new).on_duplicate(NAME_TAKEN)?;
                departments::set_categories(c, row.id, &categories)?;
                tracing::info!(target: "audit", event = "department.created", actor_id = caller.user_id().get(), target_id = row.id.get(), outcome = "success", "department created");
                view(c, row)
            })
        })
        .await
}

pub async fn update(
    state: &AppState,
    caller: &Principal,
    id: DepartmentId,
    input: UpdateDepartment,
) -> Result<DepartmentView, Error> {
    let now = state.clock.now();
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                policy::manage_departments(&caller)?;
                let current = departments::find(c, id).or_not_found(NO_SUCH_DEPARTMENT)?;
                policy::manage_department(&caller, &current.region_code)?;
                let mut errors = FieldErrors::default();
                let name = input.name.as_deref().map(|n| name_field(&mut errors, n));
                let categories = match &input.categories {
                    Some(codes) => Some(categories_field(c, &mut errors, codes)?),
                    None => None,
                };
                errors.into_result()?;
                let changes = DepartmentChanges {
                    name: name.flatten(),
                    active: input.active,
                    updated_at: Some(now),
                };
                let row = departments::update(c, id, &changes).on_duplicate(NAME_TAKEN)?;
                if let Some(categories) = categories {
                    departments::set_categories(c, id, &categories)?;
                }
                tracing::info!(target: "audit", event = "department.changed", actor_id = caller.user_id().get(), target_id = id.get(), outcome = "success", "department changed");
                view(c, row)
            })
        })
        .await
}

pub async fn get(
    state: &AppState,
    caller: &Principal,
    id: DepartmentId,
) -> Result<DepartmentView, Error> {
    policy::read_departments(caller)?;
    state
        .db
        .run(move |conn| {
            let row = departments::find(conn, id).or_not_found(NO_SUCH_DEPARTMENT)?;
            view(conn, row)
        })
        .await
}

pub async fn list(
    state: &AppState,
    caller: &Principal,
    filter: DepartmentFilter,
    page: PageRequest<i64>,
) -> Result<Page<DepartmentView>, Error> {
    policy::read_departments(caller)?;
    let request = page.clone();
    let (rows, mut categories) = state
        .db
        .run(move |conn| {
            let rows = departments::list(conn, &filter, &request)?;
            let ids: Vec<DepartmentId> = rows.iter().map(|d| d.id).collect();
            let categories = departments::categories_of(conn, &ids)?;
            Ok::<_, Error>((rows, categories))
        })
        .await?;
    let page = Page::from_rows(rows, &page, |d| d.id.get());
    Ok(page.map(|row| {
        let of = categories.remove(&row.id).unwrap_or_default();
        DepartmentView::new(row, of)
    }))
}
