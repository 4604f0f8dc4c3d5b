//! Pairing files: `uscc,username,primary`. Each enterprise the file names ends up with exactly
//! the cadres the file lists for it, exactly one of them primary; enterprises the file does not
//! name keep theirs. `primary` is `true` or `false` (also `yes`/`no`, `1`/`0`, any case).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::table::{self, Columns, at};
use super::{Applied, Lined, enterprises_by_uscc, people_by_username};
use crate::auth::policy::ImportScope;
use crate::db::DbConnection;
use crate::db::pairings::{self as pairing_rows, Pairing};
use crate::domain::account::normalize_username;
use crate::domain::ids::EnterpriseId;
use crate::domain::pairing::{assist_rule, check_primaries};
use crate::domain::uscc;
use crate::error::{Error, FieldErrors};
use crate::services::pairings::can_assist;

pub const COLUMNS: Columns = Columns {
    required: &["uscc", "username", "primary"],
    optional: &[],
};

/// One pairing, by the enterprise's code and the cadre's name.
#[derive(Debug, Clone)]
pub struct PairingRow {
    pub uscc: String,
    pub username: String,
    pub primary: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PairingRecord {
    uscc: String,
    username: String,
    primary: String,
}

pub fn parse(text: &str, errors: &mut FieldErrors) -> Vec<Lined<PairingRow>> {
    let mut first_line: HashMap<(String, String), u64> = HashMap::new();
    let mut rows = Vec::new();
    for Lined { line, row } in table::read::<PairingRecord>(text, &COLUMNS, errors) {
        let mut e = FieldErrors::default();
        e.check("uscc", uscc::validate(&row.uscc));
        let username = e.check("username", normalize_username(&row.username));
        let primary = e.check("primary", table::flag(&row.primary));
        let valid = e.is_empty();
        errors.absorb(&format!("line {line}: "), e);
        let (Some(username), Some(primary), true) = (username, primary, valid) else {
            continue;
        };
        let key = (row.uscc.clone(), username.clone());
        if let Some(first) = first_line.get(&key) {
            errors.add(&at(line, "username"), format!("repeats line {first}"));
            continue;
        }
        first_line.insert(key, line);
        rows.push(Lined {
            line,
            row: PairingRow {
                uscc: row.uscc,
                username,
                primary,
            },
        });
    }
    rows
}

/// Sets the pairings of every enterprise the rows name, all of them inside `scope`.
pub fn apply(
    conn: &mut DbConnection,
    scope: &ImportScope,
    rows: &[Lined<PairingRow>],
    mut errors: FieldErrors,
    now: NaiveDateTime,
) -> Result<Applied, Error> {
    let found = enterprises_by_uscc(conn, rows.iter().map(|r| r.row.uscc.clone()))?;
    let cadres = people_by_username(conn, rows.iter().map(|r| r.row.username.clone()))?;

    // Per enterprise: the line it first appears on, and its wanted pairings.
    let mut wanted: BTreeMap<EnterpriseId, (u64, Vec<Pairing>)> = BTreeMap::new();
    for Lined { line, row } in rows {
        let Some(enterprise) = found
            .get(&row.uscc)
            .filter(|e| scope.allows(&e.county_code))
        else {
            errors.add(
                &at(*line, "uscc"),
                "no enterprise with this code in your scope",
            );
            continue;
        };
        let county = enterprise.county_code.clone();
        let Some((cadre, _)) = cadres
            .get(&row.username)
            .filter(|(u, _)| can_assist(u, &county))
        else {
            errors.add(&at(*line, "username"), assist_rule(&county));
            continue;
        };
        let entry = wanted.entry(enterprise.id).or_insert((*line, Vec::new()));
        entry.1.push(Pairing {
            enterprise_id: enterprise.id,
            user_id: cadre.id,
            primary: row.primary,
        });
    }
    for (first_line, pairings) in wanted.values() {
        let primaries = pairings.iter().filter(|p| p.primary).count();
        if let Err(message) = check_primaries(pairings.len(), primaries) {
            errors.add(&at(*first_line, "primary"), message);
        }
    }
    errors.into_result()?;
    let enterprise_ids: Vec<EnterpriseId> = wanted.keys().copied().collect();
    let all: Vec<Pairing> = wanted.into_values().flat_map(|(_, p)| p).collect();
    let changes = pairing_rows::replace(conn, &enterprise_ids, &all, now)?;
    Ok(Applied {
        changes,
        ended: Vec::new(),
        revoked: Vec::new(),
    })
}
