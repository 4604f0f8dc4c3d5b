//! `demo`: fills a database with a realistic programme for a region, for exploring the service
//! and for benchmarks. The places come from the region list, the rest from [`generate`] and a
//! seed; everything is written through the import's own checks (the departments through the
//! roster's storage) in one transaction, so running it again with the same seed changes nothing.

mod departments;
pub mod generate;
mod names;
mod rng;
mod ticket_life;
mod tickets;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;

use crate::auth::password;
use crate::auth::policy::ImportScope;
use crate::db::pairings::Changes;
use crate::db::regions::{self, Region};
use crate::db::{Database, DbConnection, DbError, write_transaction};
use crate::domain::calendar::Calendar;
use crate::domain::ids::{EnterpriseId, UserId};
use crate::domain::region::{RegionCode, RegionLevel};
use crate::domain::role::Role;
use crate::domain::time::Tz;
use crate::domain::work_hours::WorkHours;
use crate::domain::working_time::WorkingTime;
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::imports::{Lined, enterprises, pairings, people};
use generate::{County, Geography, Place};

/// The password of every demo account, printed by the command and documented in the README.
pub const DEMO_PASSWORD: &str = "demo-password-2024";

/// What the demo wrote.
#[derive(Debug)]
pub struct DemoSummary {
    pub region: Place,
    pub counties: usize,
    /// The promotion centres' departments.
    pub departments: Changes,
    pub people: Changes,
    pub enterprises: Changes,
    pub pairings: Changes,
    /// The enterprises' staff accounts.
    pub staff: Changes,
    /// The administrator's and the supervisors' usernames.
    pub accounts: Vec<String>,
    /// A staff account to try, `ent.<county>.001`.
    pub staff_example: Option<String>,
}

pub async fn run(
    db: &Database,
    region: RegionCode,
    enterprises_wanted: usize,
    cadres_wanted: usize,
    seed: u64,
    now: NaiveDateTime,
) -> Result<DemoSummary, Error> {
    let code = region.clone();
    let (place, geo) = db
        .run(move |conn| geography(conn, &code))
        .await
        .or_not_found(format!("no region has code {region}"))?;
    let programme = generate::programme(&geo, enterprises_wanted, cadres_wanted, seed, now)
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    // One hash for every account: they share the published demo password, and hashing
    // thousands of times (argon2id on purpose takes ~30 ms each) would only slow the demo.
    let hash = password::hash_off_thread(DEMO_PASSWORD.to_owned()).await;
    let accounts = programme
        .people
        .iter()
        .filter(|p| matches!(p.role, Role::Admin | Role::Supervisor))
        .map(|p| p.username.clone())
        .collect();
    let staff_example = programme.staff.first().map(|s| s.person.username.clone());
    let staff = programme.staff;
    let people_rows = lined(
        programme
            .people
            .into_iter()
            .map(|p| people::PersonRow {
                password_hash: Some(hash.clone()),
                ..p
            })
            .collect(),
    );
    let enterprise_rows = lined(programme.enterprises);
    let pairing_rows = lined(programme.pairings);
    let roster = programme.departments;
    let all = ImportScope::All;
    let (departments, people, enterprises, pairings, staff) = db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let none = FieldErrors::default;
                let (departments, ids) = departments::write(c, &roster, now)?;
                let people = people::apply(c, &all, &people_rows, none(), now)?.changes;
                let people_only = people_rows.iter().map(|l| &l.row);
                departments::place_cadres(c, people_only, &ids, now)?;
                let enterprises = enterprises::apply(c, &all, &enterprise_rows, none(), now)?;
                let pairings = pairings::apply(c, &all, &pairing_rows, none(), now)?.changes;
                let staff_rows = lined(staff_of(c, staff, &hash)?);
                let staff = people::apply(c, &all, &staff_rows, none(), now)?.changes;
                Ok::<_, Error>((departments, people, enterprises.changes, pairings, staff))
            })
        })
        .await?;
    Ok(DemoSummary {
        region: place,
        counties: geo.counties.len(),
        departments,
        people,
        enterprises,
        pairings,
        staff,
        accounts,
        staff_example,
    })
}

/// The staff accounts of the enterprises just written, each given its enterprise's id.
fn staff_of(
    conn: &mut DbConnection,
    staff: Vec<generate::Staff>,
    hash: &str,
) -> Result<Vec<people::PersonRow>, DbError> {
    let usccs: Vec<String> = staff.iter().map(|s| s.uscc.clone()).collect();
    let ids: HashMap<String, EnterpriseId> = crate::db::enterprises::find_by_usccs(conn, &usccs)?
        .into_iter()
        .map(|e| (e.uscc, e.id))
        .collect();
    Ok(staff
        .into_iter()
        .map(|s| people::PersonRow {
            enterprise_id: ids.get(&s.uscc).copied(),
            password_hash: Some(hash.to_owned()),
            ..s.person
        })
        .collect())
}

/// Adds `count` tickets spread over the past year to the region's enterprises, in every state
/// of the lifecycle, filed on their behalf by the demo administrator; nothing when the region
/// already has tickets (so a rerun changes nothing), counted in the months of programme time
/// `tz`, with deadlines in the working hours `work_hours`. Returns how many were written.
pub async fn fill_tickets(
    db: &Database,
    region: RegionCode,
    count: usize,
    seed: u64,
    now: NaiveDateTime,
    tz: Tz,
    work_hours: WorkHours,
) -> Result<usize, Error> {
    db.run(move |conn| {
        write_transaction(conn, |c| {
            use diesel::prelude::*;
            let filer: UserId = crate::db::schema::users::table
                .filter(crate::db::schema::users::username.eq(generate::ADMIN_USERNAME))
                .select(crate::db::schema::users::id)
                .first(c)
                .map_err(DbError::from)?;
            // Deadlines are reckoned as the service reckons them, on the stored calendar.
            let (version, years) = crate::db::calendar::load(c)?;
            let calendar = Calendar::new(version, years);
            let reckoner = WorkingTime::new(&calendar, &work_hours, tz);
            Ok::<_, Error>(tickets::fill(
                c, &region, count, filer, seed, now, &reckoner,
            )?)
        })
    })
    .await
}

/// Rows numbered as if they were a file's.
fn lined<T>(rows: Vec<T>) -> Vec<Lined<T>> {
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| Lined {
            line: i as u64 + 1,
            row,
        })
        .collect()
}

/// The region, and the places of its programme: its county-level units, the cities above them
/// and the province (even when those lie above the region: their agencies assist it too).
fn geography(conn: &mut DbConnection, code: &RegionCode) -> Result<(Place, Geography), DbError> {
    let (region, ancestors) = regions::get_with_ancestors(conn, code)?;
    let subtree = regions::in_subtree(conn, &code.subtree())?;
    let place = |r: &Region| Place {
        code: r.code.clone(),
        name: r.name.clone(),
    };
    let known: BTreeMap<&str, &Region> = subtree
        .iter()
        .chain(&ancestors)
        .map(|r| (r.code.as_str(), r))
        .collect();
    let province = ancestors.first().unwrap_or(&region);
    let mut cities: Vec<Place> = Vec::new();
    let mut counties = Vec::new();
    for holder in regions::holders_of_subtree(&subtree) {
        let city = holder
            .parent_code
            .as_ref()
            .and_then(|p| known.get(p.as_str()))
            .filter(|p| p.level == RegionLevel::City && !is_grouping(p))
            .map(|p| match cities.iter().position(|c| c.code == p.code) {
                Some(i) => i,
                None => {
                    cities.push(place(p));
                    cities.len() - 1
                }
            });
        counties.push(County {
            place: place(holder),
            city,
        });
    }
    let supervised = ancestors
        .iter()
        .chain(std::iter::once(&region))
        .chain(
            subtree
                .iter()
                .filter(|r| r.code != region.code && r.level != RegionLevel::Province),
        )
        .filter(|r| !is_grouping(r))
        .map(place)
        .collect();
    let geography = Geography {
        province: place(province),
        cities,
        counties,
        supervised,
    };
    Ok((place(&region), geography))
}

/// A heading of the region list (省直辖县级行政区划, 市辖区): a grouping, not a city with
/// agencies or a supervisor.
fn is_grouping(region: &Region) -> bool {
    region.code.is_heading()
}
