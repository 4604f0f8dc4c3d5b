//! Cadre files: `username,region_code` and optionally `department,display_name,password,
//! department_name`. A row whose username exists updates that cadre's region, department and
//! display name (a blank optional column leaves the stored value); passwords are only ever set
//! on creation. `department_name` names a department of the cadre's region's roster, which
//! the cadre joins; a cadre the file moves elsewhere without naming one leaves theirs, as
//! `PATCH /users/{id}` does.
//!
//! A new cadre without a password can be paired and assigned at once, but no password verifies
//! for them until an administrator or supervisor sets one (`PATCH /users/{id}`). That keeps a
//! 10,000-row roster fast to import; rows that do carry passwords are hashed (argon2id, about
//! 30 ms of a core each) once the whole file has passed its checks, before the transaction
//! opens.
//!
//! The demo writes its administrator and supervisors through [`apply`] as well, hence rows
//! with a role.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::table::{self, Columns, at};
use super::{Applied, Lined, NOT_AVAILABLE, Plan, distinct, people_by_username};
use crate::auth::password;
use crate::auth::policy::ImportScope;
use crate::db::users::{self, NewUser, User, UserChanges};
use crate::db::{Database, DbConnection, departments, regions};
use crate::domain::account::{check_password, normalize_username};
use crate::domain::ids::{DepartmentId, EnterpriseId, UserId};
use crate::domain::region::RegionCode;
use crate::domain::role::Role;
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::users::USERNAME_TAKEN;
use crate::services::users::{DEPARTMENT_DEACTIVATED, HEADING, leaves_department, optional_name};

pub const COLUMNS: Columns = Columns {
    required: &["username", "region_code"],
    optional: &["department", "display_name", "password", "department_name"],
};

/// A person to create or update.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub username: String,
    pub role: Role,
    pub region: Option<RegionCode>,
    pub department: Option<String>,
    pub display_name: Option<String>,
    /// A department of the roster of the person's region, to join (cadres only).
    pub department_name: Option<String>,
    /// An enterprise user's enterprise (the demo's staff accounts; files hold cadres only).
    pub enterprise_id: Option<EnterpriseId>,
    /// Used only when the account is new.
    pub password_hash: Option<String>,
}

/// A row of a cadre file, its password not yet hashed.
#[derive(Debug)]
pub struct CadreRow {
    person: PersonRow,
    password: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CadreRecord {
    username: String,
    region_code: String,
    department: Option<String>,
    display_name: Option<String>,
    password: Option<String>,
    department_name: Option<String>,
}

pub fn parse(text: &str, errors: &mut FieldErrors) -> Vec<Lined<CadreRow>> {
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::new();
    for Lined { line, row } in table::read::<CadreRecord>(text, &COLUMNS, errors) {
        let mut e = FieldErrors::default();
        let username = e.check("username", normalize_username(&row.username));
        let region = e.check("region_code", RegionCode::parse(&row.region_code));
        let department = optional_name(&mut e, "department", row.department.as_deref());
        let display_name = optional_name(&mut e, "display_name", row.display_name.as_deref());
        let department_name =
            optional_name(&mut e, "department_name", row.department_name.as_deref());
        let password = row.password.filter(|p| !p.is_empty());
        if let Some(password) = &password {
            e.check("password", check_password(password));
        }
        let valid = e.is_empty();
        errors.absorb(&format!("line {line}: "), e);
        let (Some(username), true) = (username, valid) else {
            continue;
        };
        if let Some(first) = first_line.get(&username) {
            errors.add(&at(line, "username"), format!("repeats line {first}"));
            continue;
        }
        first_line.insert(username.clone(), line);
        let person = PersonRow {
            username,
            role: Role::Cadre,
            region,
            department: department.flatten(),
            display_name: display_name.flatten(),
            department_name: department_name.flatten(),
            enterprise_id: None,
            password_hash: None,
        };
        rows.push(Lined {
            line,
            row: CadreRow { person, password },
        });
    }
    rows
}

/// Checks the rows against the database as [`apply`] will, and only when the file would be
/// accepted hashes the passwords of the rows that create accounts (others' are dropped unread):
/// a refused file costs no hashing, however many passwords it carries. The hashes queue for the
/// same permits as logins (`PASSWORD_HASH_CONCURRENCY`).
pub async fn check_then_hash(
    db: &Database,
    scope: &ImportScope,
    rows: Vec<Lined<CadreRow>>,
    errors: FieldErrors,
    now: NaiveDateTime,
) -> Result<Vec<Lined<PersonRow>>, Error> {
    let (people, passwords): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|Lined { line, row }| {
            (
                Lined {
                    line,
                    row: row.person,
                },
                row.password,
            )
        })
        .unzip();
    let scope = scope.clone();
    let (mut people, created) = db
        .run(move |conn| {
            let created: HashSet<String> = plan(conn, &scope, &people, errors, now)?
                .new
                .into_iter()
                .map(|u| u.username)
                .collect();
            Ok::<_, Error>((people, created))
        })
        .await?;
    // Accounts are never deleted, so a name taken now is still taken when the rows are
    // written: only the accounts the check would create need a hash.
    let (slots, secrets): (Vec<usize>, Vec<String>) = passwords
        .into_iter()
        .enumerate()
        .filter_map(|(slot, password)| {
            password
                .filter(|_| created.contains(&people[slot].row.username))
                .map(|p| (slot, p))
        })
        .unzip();
    for (slot, hash) in slots.into_iter().zip(password::hash_many(secrets).await) {
        people[slot].row.password_hash = Some(hash);
    }
    Ok(people)
}

/// Whether a person at home in `region` is inside `scope` (only the operator places people
/// without a region, i.e. administrators).
fn within(scope: &ImportScope, region: Option<&RegionCode>) -> bool {
    match region {
        Some(region) => scope.allows(region),
        None => matches!(scope, ImportScope::All),
    }
}

/// Creates the new accounts and updates the changed ones, all rows inside `scope`; a cadre
/// moved to another region loses the pairings it may no longer hold.
pub fn apply(
    conn: &mut DbConnection,
    scope: &ImportScope,
    rows: &[Lined<PersonRow>],
    errors: FieldErrors,
    now: NaiveDateTime,
) -> Result<Applied, Error> {
    let plan = plan(conn, scope, rows, errors, now)?;
    let moved: Vec<UserId> = plan
        .changed
        .iter()
        .filter(|(_, change)| change.region_code.is_some())
        .map(|(id, _)| *id)
        .collect();
    let changes = plan
        .write(conn, users::insert_many, users::update)
        .on_duplicate(USERNAME_TAKEN)?;
    Ok(Applied::with_moves(conn, changes, &moved, &[], now)?)
}

/// What [`apply`] will write, or every error of the file (those found reading it included).
fn plan(
    conn: &mut DbConnection,
    scope: &ImportScope,
    rows: &[Lined<PersonRow>],
    mut errors: FieldErrors,
    now: NaiveDateTime,
) -> Result<Plan<UserId, NewUser, UserChanges>, Error> {
    let codes = distinct(
        rows.iter()
            .filter_map(|r| r.row.region.clone().map(String::from)),
    );
    let known = regions::existing_among(conn, &codes)?;
    let stored = people_by_username(conn, rows.iter().map(|r| r.row.username.clone()))?;
    let joining: BTreeSet<RegionCode> = rows
        .iter()
        .filter(|r| r.row.department_name.is_some())
        .filter_map(|r| r.row.region.clone())
        .collect();
    let roster = departments::in_regions(conn, &joining.into_iter().collect::<Vec<_>>())?;

    let mut plan = Plan::new();
    for Lined { line, row } in rows {
        let region = row.region.as_ref();
        let mut placed = false;
        if region.is_some_and(|r| !known.contains(r.as_str())) {
            errors.add(&at(*line, "region_code"), "no region has this code");
        } else if region.is_some_and(RegionCode::is_heading) {
            errors.add(&at(*line, "region_code"), HEADING);
        } else if !within(scope, region) {
            errors.add(&at(*line, "region_code"), "outside your region");
        } else {
            placed = true;
        }
        // Only at a region that passed: a bad region's own error says what is wrong.
        let department = match (&row.department_name, region) {
            (Some(name), Some(region)) if placed => {
                match roster.get(&(region.clone(), name.clone())) {
                    None => {
                        let why = format!("no department of that name at {region}");
                        errors.add(&at(*line, "department_name"), why);
                        None
                    }
                    Some(d) if !d.active => {
                        errors.add(&at(*line, "department_name"), DEPARTMENT_DEACTIVATED);
                        None
                    }
                    Some(d) => Some(d.id),
                }
            }
            _ => None,
        };
        match stored.get(&row.username) {
            None => plan.new.push(new_user(row, department, now)),
            Some((_, facts)) if !scope.sees_person(facts) => {
                errors.add(&at(*line, "username"), NOT_AVAILABLE)
            }
            Some((old, _)) if old.role != row.role => errors.add(
                &at(*line, "username"),
                format!(
                    "already taken by an account that is not a {}",
                    row.role.as_str()
                ),
            ),
            Some((old, _)) => {
                let moves = region.is_some_and(|r| Some(r) != old.region_code.as_ref());
                let department_id = match department {
                    Some(id) => (old.department_id != Some(id)).then_some(Some(id)),
                    None if row.department_name.is_none()
                        && moves
                        && leaves_department(conn, old, row.role, region)? =>
                    {
                        Some(None)
                    }
                    None => None,
                };
                plan.compare(old.id, difference(old, row, department_id, now))
            }
        }
    }
    errors.into_result()?;
    Ok(plan)
}

/// A new account; a cadre joining a department without a free-text `department` shows its name.
fn new_user(row: &PersonRow, department_id: Option<DepartmentId>, now: NaiveDateTime) -> NewUser {
    NewUser {
        username: row.username.clone(),
        password_hash: row.password_hash.clone(),
        role: row.role,
        kind: users::KIND_PERSON.to_owned(),
        region_code: row.region.clone(),
        enterprise_id: row.enterprise_id,
        department: (row.department.clone()).or_else(|| row.department_name.clone()),
        display_name: row.display_name.clone(),
        active: true,
        created_at: now,
        updated_at: now,
        department_id,
    }
}

/// The change that makes `old` say what `row` says, if any, with `department_id` as the plan
/// found it; blank optional columns keep what is stored.
fn difference(
    old: &User,
    row: &PersonRow,
    department_id: Option<Option<DepartmentId>>,
    now: NaiveDateTime,
) -> Option<UserChanges> {
    let differs = |new: &Option<String>, old: &Option<String>| {
        new.clone().filter(|n| Some(n) != old.as_ref())
    };
    let changes = UserChanges {
        region_code: (row.region.as_ref())
            .filter(|n| Some(*n) != old.region_code.as_ref())
            .cloned(),
        department: differs(&row.department, &old.department),
        display_name: differs(&row.display_name, &old.display_name),
        department_id,
        ..UserChanges::default()
    };
    (changes != UserChanges::default()).then_some(UserChanges {
        updated_at: Some(now),
        ..changes
    })
}
