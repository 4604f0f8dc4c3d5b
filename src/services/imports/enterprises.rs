//! Enterprise files: `uscc,name,county_code` and optionally `industry,contact_name,
//! contact_phone`. A row whose USCC is registered updates that enterprise; a blank optional
//! column leaves the stored value as it is.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::table::{self, Columns, at};
use super::{Applied, Lined, NOT_AVAILABLE, Plan, distinct, enterprises_by_uscc};
use crate::api::enterprises::CreateEnterprise;
use crate::auth::policy::ImportScope;
use crate::db::enterprises::{Enterprise, EnterpriseChanges, NewEnterprise};
use crate::db::{DbConnection, enterprises, regions};
use crate::domain::ids::EnterpriseId;
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::enterprises::USCC_TAKEN;
use crate::services::enterprises::checked_new;

pub const COLUMNS: Columns = Columns {
    required: &["uscc", "name", "county_code"],
    optional: &["industry", "contact_name", "contact_phone"],
};

/// The file's rows, each checked as `POST /enterprises` checks its body.
pub fn parse(
    text: &str,
    now: NaiveDateTime,
    errors: &mut FieldErrors,
) -> Vec<Lined<NewEnterprise>> {
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::new();
    for Lined { line, row } in table::read::<CreateEnterprise>(text, &COLUMNS, errors) {
        let mut row_errors = FieldErrors::default();
        let new = checked_new(&mut row_errors, row, now);
        errors.absorb(&format!("line {line}: "), row_errors);
        let Some(new) = new else { continue };
        if let Some(first) = first_line.get(&new.uscc) {
            errors.add(&at(line, "uscc"), format!("repeats line {first}"));
            continue;
        }
        first_line.insert(new.uscc.clone(), line);
        rows.push(Lined { line, row: new });
    }
    rows
}

/// Creates the new enterprises and updates the changed ones, all rows inside `scope`; an
/// enterprise moved to another county loses the pairings its cadres may no longer hold.
pub fn apply(
    conn: &mut DbConnection,
    scope: &ImportScope,
    rows: &[Lined<NewEnterprise>],
    mut errors: FieldErrors,
    now: NaiveDateTime,
) -> Result<Applied, Error> {
    let counties = distinct(rows.iter().map(|r| r.row.county_code.to_string()));
    let holders = regions::holders_among(conn, &counties)?;
    let stored = enterprises_by_uscc(conn, rows.iter().map(|r| r.row.uscc.clone()))?;

    let mut plan = Plan::new();
    for Lined { line, row } in rows {
        if !holders.contains(row.county_code.as_str()) {
            errors.add(&at(*line, "county_code"), "not a county-level region");
        } else if !scope.allows(&row.county_code) {
            errors.add(&at(*line, "county_code"), "outside your region");
        }
        match stored.get(&row.uscc) {
            None => plan.new.push(row.clone()),
            Some(old) if !scope.allows(&old.county_code) => {
                errors.add(&at(*line, "uscc"), NOT_AVAILABLE)
            }
            Some(old) => plan.compare(old.id, difference(old, row, now)),
        }
    }
    errors.into_result()?;
    let moved: Vec<EnterpriseId> = plan
        .changed
        .iter()
        .filter(|(_, change)| change.county_code.is_some())
        .map(|(id, _)| *id)
        .collect();
    let changes = plan
        .write(conn, enterprises::insert_many, enterprises::update)
        .on_duplicate(USCC_TAKEN)?;
    Ok(Applied::with_moves(conn, changes, &[], &moved, now)?)
}

/// The change that makes `old` say what `row` says, if any; blank optional columns keep
/// what is stored.
fn difference(
    old: &Enterprise,
    row: &NewEnterprise,
    now: NaiveDateTime,
) -> Option<EnterpriseChanges> {
    let differs = |new: &Option<String>, old: &Option<String>| {
        new.as_ref()
            .filter(|n| Some(*n) != old.as_ref())
            .map(|n| Some(n.clone()))
    };
    let changes = EnterpriseChanges {
        name: (row.name != old.name).then(|| row.name.clone()),
        county_code: (row.county_code != old.county_code).then(|| row.county_code.clone()),
        industry: differs(&row.industry, &old.industry),
        contact_name: differs(&row.contact_name, &old.contact_name),
        contact_phone: differs(&row.contact_phone, &old.contact_phone),
        ..EnterpriseChanges::default()
    };
    (changes != EnterpriseChanges::default()).then_some(EnterpriseChanges {
        updated_at: Some(now),
        ..changes
    })
}
