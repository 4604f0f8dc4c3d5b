//! Frozen monthly reports (月报, SPEC section 9): after a month ends (programme time), the
//! periodic job freezes its report for every region; `/stats/monthly` answers the frozen text.
//!
//! Which regions get a stored report. There are about 3,500 regions; building each one's report
//! with its own queries would cost thousands of round trips a month. Instead a month is read
//! once (its counts by county, the warning snapshot by county, the region list: three queries)
//! and every report is summed in memory from those (the sums are exact, see
//! `domain::rollup`). Only the reports with something in them are stored: the country's, and
//! those of regions whose subtree holds a count or a colour that month. Any other region's
//! report of a frozen month is all zeros by construction (every figure and its children's
//! figures are sums over an empty set), so it is answered as the zero report, built by the same
//! code. A programme of one city stores about a dozen rows a month, not 3,500; a national one
//! stores up to one per region.

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use chrono::NaiveDateTime;

use super::reports::{StatsQuery, Within, country};
use crate::api::reports::{GroupBy, MonthlyReport, RegionRef, StatsReport};
use crate::auth::{Principal, policy};
use crate::db::monthly::{self, StoredReport};
use crate::db::regions::{self, Region};
use crate::db::{DbConnection, counters, read_snapshot, write_transaction};
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::rollup::{FORMULA_VERSION, Month};
use crate::domain::time::Tz;
use crate::error::Error;
use crate::state::AppState;

/// The code the country's report is stored under (as its reference shows it).
const COUNTRY: &str = "000000";

/// What the month's report of every region is asked as: that month alone, all categories.
fn month_query(month: Month, region: Option<RegionCode>) -> StatsQuery {
    StatsQuery {
        region,
        from: month,
        to: month,
        category: None,
        group_by: GroupBy::Region,
    }
}

/// Freezes every ended month (programme time `tz`) not frozen yet, from the month of the
/// earliest ticket (last month when there is none) to last month; how many this call froze.
/// Safe with many instances: each month is claimed by a unique insert in the transaction that
/// stores its reports, and an instance that finds it claimed stores nothing.
pub fn freeze_ended(conn: &mut DbConnection, now: NaiveDateTime, tz: Tz) -> Result<usize, Error> {
    let last = Month::of(now, tz).previous();
    let first = counters::earliest_month(conn)?.map_or(last, |earliest| earliest.min(last));
    let done: HashSet<String> = monthly::frozen_between(conn, first, last)?
        .into_iter()
        .collect();
    let mut frozen = 0;
    for month in first.through(last) {
        if done.contains(&month.to_string()) {
            continue;
        }
        let started = Instant::now();
        let reports = month_reports(conn, month, now)?;
        let stored = reports.len();
        let claimed = write_transaction(conn, |c| {
            if !monthly::claim(c, month, now, FORMULA_VERSION)? {
                return Ok::<_, Error>(false);
            }
            monthly::store(c, &reports)?;
            Ok(true)
        })?;
        if claimed {
            frozen += 1;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            tracing::info!(%month, reports = stored, elapsed_ms, "monthly report frozen");
        }
    }
    Ok(frozen)
}

/// Every report of `month` worth storing (see the module's note), as JSON text, read in one
/// snapshot as of `now` (the warning snapshot is that moment's, as `/stats` would answer).
fn month_reports(
    conn: &mut DbConnection,
    month: Month,
    now: NaiveDateTime,
) -> Result<Vec<StoredReport>, Error> {
    let all = CodeRange::all();
    let (counties, warnings, regions) = read_snapshot(conn, |conn| {
        let counties: BTreeMap<_, _> = counters::sums_by_county(conn, &all, (month, month), None)?
            .into_iter()
            .filter(|(_, c)| !c.is_zero())
            .collect();
        let warnings: BTreeMap<_, _> = counters::warnings_by_county(conn, &all, None, now)?
            .into_iter()
            .filter(|(_, w)| !w.is_zero())
            .collect();
        let regions = regions::in_subtree(conn, &all)?;
        Ok::<_, Error>((counties, warnings, regions))
    })?;
    let within = Within {
        counties: &counties,
        warnings: &warnings,
    };
    let mut children: BTreeMap<Option<RegionCode>, Vec<Region>> = BTreeMap::new();
    for region in &regions {
        children
            .entry(region.parent_code.clone())
            .or_default()
            .push(region.clone());
    }
    let mut children_of =
        |code: Option<&RegionCode>| children.remove(&code.cloned()).unwrap_or_default();
    let text =
        |report: &StatsReport| serde_json::to_string(report).map_err(|e| Error::Internal(e.into()));
    let stored = |region_code: String, report: String| StoredReport {
        month: month.to_string(),
        region_code,
        report,
    };
    let country_report = within.report(
        country(),
        &all,
        children_of(None),
        &month_query(month, None),
    );
    let mut reports = vec![stored(COUNTRY.to_owned(), text(&country_report)?)];
    for region in regions {
        let range = region.code.subtree();
        let span = range.first.clone()..=range.last.clone();
        let something =
            counties.range(span.clone()).next().is_some() || warnings.range(span).next().is_some();
        if !something {
            continue;
        }
        let code = region.code.clone();
        let query = month_query(month, Some(code.clone()));
        let report = within.report(region.into(), &range, children_of(Some(&code)), &query);
        reports.push(stored(code.to_string(), text(&report)?));
    }
    Ok(reports)
}

/// What a monthly report asks for.
pub struct MonthlyQuery {
    pub region: Option<RegionCode>,
    pub month: Month,
}

/// The frozen report of a region (the caller's default as `/stats` has it) for a month: the
/// same access as `/stats`, then 404 until the month is frozen.
pub async fn report(
    state: &AppState,
    caller: &Principal,
    query: MonthlyQuery,
) -> Result<MonthlyReport, Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            read_snapshot(conn, |conn| {
                let region = policy::read_stats(&caller, query.region.as_ref())?;
                let region_ref: RegionRef = match &region {
                    None => country(),
                    Some(code) => regions::get(conn, code)?
                        .ok_or_else(|| Error::not_found("no such region"))?
                        .into(),
                };
                let month = query.month;
                let frozen = monthly::frozen(conn, month)?.ok_or_else(|| {
                    Error::not_found(format!(
                        "the report of {month} is not frozen yet: a month is frozen after it \
                         ends (programme time)"
                    ))
                })?;
                let key = region.as_ref().map_or(COUNTRY, RegionCode::as_str);
                let report = match monthly::report(conn, month, key)? {
                    Some(text) => {
                        serde_json::from_str(&text).map_err(|e| Error::Internal(e.into()))?
                    }
                    None => zero_report(conn, region_ref, region, month)?,
                };
                Ok(MonthlyReport {
                    report,
                    frozen_at: frozen.frozen_at,
                    formula_version: frozen.formula_version,
                })
            })
        })
        .await
}

/// The report of a region that had nothing to report in a frozen month (none was stored).
fn zero_report(
    conn: &mut DbConnection,
    region_ref: RegionRef,
    region: Option<RegionCode>,
    month: Month,
) -> Result<StatsReport, Error> {
    let range = region
        .as_ref()
        .map_or_else(CodeRange::all, RegionCode::subtree);
    let children = regions::children(conn, region.as_ref())?;
    let nothing = Within {
        counties: &BTreeMap::new(),
        warnings: &BTreeMap::new(),
    };
    Ok(nothing.report(region_ref, &range, children, &month_query(month, region)))
}
