//! Department files: `region_code,name` and optionally `categories` (codes separated by `;` or
//! `|`) and `active` (`true`/`false`). A row naming a department its region has updates that
//! department's categories and state; a blank optional column leaves the stored value, so a
//! file of names alone changes no department that exists.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::table::{self, Columns, at};
use super::{Applied, Lined, Plan};
use crate::auth::policy::ImportScope;
use crate::db::departments::{self as rows, Department, NewDepartment, RosterChange};
use crate::db::{DbConnection, regions};
use crate::domain::ids::DepartmentId;
use crate::domain::region::RegionCode;
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::departments::{NAME_TAKEN, checked_categories, known_categories, name_field};
use crate::services::users::HEADING;

pub const COLUMNS: Columns = Columns {
    required: &["region_code", "name"],
    optional: &["categories", "active"],
};

/// A department of the file; `None` keeps what is stored (a new department: none, active).
#[derive(Debug, Clone)]
pub struct DepartmentRow {
    region: RegionCode,
    name: String,
    categories: Option<Vec<String>>,
    active: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentRecord {
    region_code: String,
    name: String,
    categories: Option<String>,
    active: Option<String>,
}

/// The codes of a `categories` cell; `None` when it names none.
fn category_list(cell: Option<&str>) -> Option<Vec<String>> {
    let codes: Vec<String> = cell?
        .split([';', '|'])
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .collect();
    (!codes.is_empty()).then_some(codes)
}

pub fn parse(text: &str, errors: &mut FieldErrors) -> Vec<Lined<DepartmentRow>> {
    let mut first_line: HashMap<(RegionCode, String), u64> = HashMap::new();
    let mut rows = Vec::new();
    for Lined { line, row } in table::read::<DepartmentRecord>(text, &COLUMNS, errors) {
        let mut e = FieldErrors::default();
        let region = e.check("region_code", RegionCode::parse(&row.region_code));
        let name = name_field(&mut e, &row.name);
        let active = row
            .active
            .as_deref()
            .and_then(|flag| e.check("active", table::flag(flag)));
        errors.absorb(&format!("line {line}: "), e);
        let (Some(region), Some(name)) = (region, name) else {
            continue;
        };
        let key = (region.clone(), name.clone());
        if let Some(first) = first_line.get(&key) {
            errors.add(&at(line, "name"), format!("repeats line {first}"));
            continue;
        }
        first_line.insert(key, line);
        let categories = category_list(row.categories.as_deref());
        rows.push(Lined {
            line,
            row: DepartmentRow {
                region,
                name,
                categories,
                active,
            },
        });
    }
    rows
}

/// Creates the new departments and updates the changed ones, all rows inside `scope`.
pub fn apply(
    conn: &mut DbConnection,
    scope: &ImportScope,
    lines: &[Lined<DepartmentRow>],
    mut errors: FieldErrors,
    now: NaiveDateTime,
) -> Result<Applied, Error> {
    let regions: Vec<RegionCode> = lines
        .iter()
        .map(|r| r.row.region.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let codes: Vec<String> = regions.iter().map(|r| r.to_string()).collect();
    let known = regions::existing_among(conn, &codes)?;
    let stored = rows::in_regions(conn, &regions)?;
    let ids: Vec<DepartmentId> = stored.values().map(|d| d.id).collect();
    let mut stored_categories = rows::categories_of(conn, &ids)?;
    let categories = known_categories(conn)?;

    let mut plan = Plan::new();
    for Lined { line, row } in lines {
        if !known.contains(row.region.as_str()) {
            errors.add(&at(*line, "region_code"), "no region has this code");
        } else if row.region.is_heading() {
            errors.add(&at(*line, "region_code"), HEADING);
        } else if !scope.allows(&row.region) {
            errors.add(&at(*line, "region_code"), "outside your region");
        }
        let wanted = row.categories.as_ref().map(|codes| {
            let mut e = FieldErrors::default();
            let checked = checked_categories(&categories, &mut e, codes);
            errors.absorb(&format!("line {line}: "), e);
            checked
        });
        match stored.get(&(row.region.clone(), row.name.clone())) {
            None => plan.new.push((
                NewDepartment {
                    region_code: row.region.clone(),
                    name: row.name.clone(),
                    active: row.active.unwrap_or(true),
                    created_at: now,
                    updated_at: now,
                },
                wanted.unwrap_or_default(),
            )),
            Some(old) => {
                let had = stored_categories.remove(&old.id).unwrap_or_default();
                plan.compare(old.id, difference(old, &had, wanted, row.active, now));
            }
        }
    }
    errors.into_result()?;
    let changes = plan
        .write_all(conn, rows::insert_many, rows::change_many)
        .on_duplicate(NAME_TAKEN)?;
    Ok(Applied {
        changes,
        ended: Vec::new(),
        revoked: Vec::new(),
    })
}

/// The change that makes `old` (handling `had`) say what the row says, if any; `None` keeps
/// what is stored.
fn difference(
    old: &Department,
    had: &[String],
    categories: Option<Vec<String>>,
    active: Option<bool>,
    now: NaiveDateTime,
) -> Option<RosterChange> {
    let active = active.filter(|a| *a != old.active);
    let categories = categories.filter(|wanted| wanted.as_slice() != had);
    (active.is_some() || categories.is_some()).then_some(RosterChange {
        active,
        categories,
        updated_at: now,
    })
}
