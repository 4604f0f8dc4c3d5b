//! The workload report (SPEC section 10): a region's cadres with their open tickets, colours,
//! resolutions of a period and assisting tasks, and their departments' sums. The counts come
//! from one grouped query per group of figures (`db::workload`); `verify-stats` recounts them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;

use crate::api::workload::{CadreWorkload, DepartmentWorkload, WorkloadReport};
use crate::auth::{Principal, policy};
use crate::db::departments::Department;
use crate::db::workload::{self, Cadre};
use crate::db::{DbConnection, counters, read_snapshot};
use crate::domain::ids::{DepartmentId, UserId};
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::rollup::Month;
use crate::domain::time::Tz;
use crate::domain::workload::WorkloadCounts;
use crate::error::Error;
use crate::services::reports::{Difference, check_period, differing, region_scope};
use crate::state::AppState;

/// What a workload report asks for.
pub struct WorkloadQuery {
    pub region: Option<RegionCode>,
    pub from: Month,
    pub to: Month,
    pub department: Option<DepartmentId>,
}

/// A department's row as counts: the department (`None`: the cadres in none), how many cadre
/// rows it holds, and their sums.
pub(super) struct DepartmentTally {
    pub department: Option<Department>,
    pub cadres: i64,
    pub counts: WorkloadCounts,
}

/// A region's workload as counts, before it becomes figures.
pub(super) struct Tally {
    pub cadres: Vec<(Cadre, WorkloadCounts)>,
    pub departments: Vec<DepartmentTally>,
}

/// Puts the rows together: every cadre of `cadres` that is active or has a count (of
/// `counts`), members of `only` when given; then each department of `departments` that is
/// active or has members among those rows, with their sums, and the cadres in no department.
pub(super) fn tally(
    cadres: Vec<Cadre>,
    departments: Vec<Department>,
    only: Option<DepartmentId>,
    counts: impl Fn(UserId) -> WorkloadCounts,
) -> Tally {
    let cadres: Vec<(Cadre, WorkloadCounts)> = cadres
        .into_iter()
        .filter(|c| only.is_none() || c.department_id == only)
        .map(|c| {
            let counted = counts(c.id);
            (c, counted)
        })
        .filter(|(c, counted)| c.active || !counted.is_zero())
        .collect();
    let mut members: BTreeMap<Option<DepartmentId>, (i64, WorkloadCounts)> = BTreeMap::new();
    for (cadre, counted) in &cadres {
        let entry = members.entry(cadre.department_id).or_default();
        *entry = (entry.0 + 1, entry.1 + *counted);
    }
    let mut rows: Vec<DepartmentTally> = departments
        .into_iter()
        .filter(|d| only.is_none_or(|id| d.id == id))
        .filter_map(|d| {
            let (cadres, counts) = members.remove(&Some(d.id)).unwrap_or_default();
            (d.active || cadres > 0).then_some(DepartmentTally {
                department: Some(d),
                cadres,
                counts,
            })
        })
        .collect();
    if let Some((cadres, counts)) = members.remove(&None) {
        rows.push(DepartmentTally {
            department: None,
            cadres,
            counts,
        });
    }
    Tally {
        cadres,
        departments: rows,
    }
}

impl From<(Cadre, WorkloadCounts)> for CadreWorkload {
    fn from((cadre, counts): (Cadre, WorkloadCounts)) -> CadreWorkload {
        CadreWorkload {
            user_id: cadre.id.get(),
            display_name: cadre.display_name,
            department_id: cadre.department_id.map(DepartmentId::get),
            department: cadre.department_name.or(cadre.department_text),
            figures: counts.into(),
        }
    }
}

impl From<DepartmentTally> for DepartmentWorkload {
    fn from(row: DepartmentTally) -> DepartmentWorkload {
        let department = row.department;
        DepartmentWorkload {
            department_id: department.as_ref().map(|d| d.id.get()),
            region_code: department.as_ref().map(|d| d.region_code.clone()),
            name: department.map(|d| d.name),
            cadres: row.cadres,
            figures: row.counts.into(),
        }
    }
}

pub async fn report(
    state: &AppState,
    caller: &Principal,
    query: WorkloadQuery,
) -> Result<WorkloadReport, Error> {
    check_period(query.from, query.to)?;
    let caller = caller.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            read_snapshot(conn, |conn| {
                let region = policy::read_workload(&caller, query.region.as_ref())?;
                let (range, region_ref) = region_scope(conn, region.as_ref())?;
                let departments = workload::departments(conn, &range)?;
                if let Some(asked) = query.department
                    && !departments.iter().any(|d| d.id == asked)
                {
                    return Err(Error::BadRequest(format!(
                        "invalid query parameter `department`: no department {asked} in the \
                         region {}",
                        region_ref.code
                    )));
                }
                let cadres = workload::cadres(conn, &range)?;
                let counts = workload::counts(conn, &range, (query.from, query.to), now)?;
                let tally = tally(cadres, departments, query.department, |user| {
                    counts.get(&user).copied().unwrap_or_default()
                });
                Ok(WorkloadReport {
                    region: region_ref,
                    from: query.from.to_string(),
                    to: query.to.to_string(),
                    department: query.department.map(DepartmentId::get),
                    cadres: tally.cadres.into_iter().map(Into::into).collect(),
                    departments: tally.departments.into_iter().map(Into::into).collect(),
                })
            })
        })
        .await
}

/// The rows of a tally by what they are about, for comparison.
fn rows_of(tally: Tally) -> BTreeMap<String, WorkloadCounts> {
    let cadres = tally
        .cadres
        .into_iter()
        .map(|(cadre, counts)| (format!("cadre {}", cadre.id), counts));
    let departments = tally.departments.into_iter().map(|row| {
        let name = row.department.map_or_else(
            || "no department".to_owned(),
            |d| format!("department {}", d.id),
        );
        (name, row.counts)
    });
    cadres.chain(departments).collect()
}

/// Recounts every cadre's workload ticket by ticket in Rust (`db::workload::recount`, apart
/// from the grouped queries that serve it) and compares each row of the report of every region
/// with cadres, for the months from the first filing to this one and for this month alone, with
/// the same rows made of the recount.
pub(super) fn verify(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    tz: Tz,
) -> Result<Vec<Difference>, Error> {
    let recounted = workload::recount(conn, now, tz)?;
    let this_month = Month::of(now, tz);
    let first = counters::earliest_month(conn)?.map_or(this_month, |m| m.min(this_month));
    let regions: BTreeSet<RegionCode> = workload::cadres(conn, &CodeRange::all())?
        .into_iter()
        .map(|c| c.region_code)
        .collect();
    let mut differences = Vec::new();
    for region in regions {
        let range = region.subtree();
        let cadres = workload::cadres(conn, &range)?;
        let departments = workload::departments(conn, &range)?;
        for (from, to) in [(first, this_month), (this_month, this_month)] {
            let counts = workload::counts(conn, &range, (from, to), now)?;
            let served = tally(cadres.clone(), departments.clone(), None, |user| {
                counts.get(&user).copied().unwrap_or_default()
            });
            let recount = tally(cadres.clone(), departments.clone(), None, |user| {
                recounted.of(user, from, to)
            });
            let period = format!("{from}..{to}");
            differences.extend(
                differing(&rows_of(served), &rows_of(recount))
                    .into_iter()
                    .map(|(row, served, recounted)| Difference::Workload {
                        region: region.to_string(),
                        period: period.clone(),
                        row,
                        served,
                        recounted,
                    }),
            );
        }
    }
    Ok(differences)
}
