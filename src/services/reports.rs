//! Supervisors' statistics: a region's figures and one row per child region, or month by month.
//! Every figure comes from the counters kept with each ticket change, so the work does not grow
//! with the number of tickets; [`verify`] proves the counters against a recount.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::api::reports::{
    CategoryRef, ChildOf, ChildRow, Figures, GroupBy, MonthRow, RegionRef, StatsReport, TrendReport,
};
use crate::auth::{Principal, policy};
use crate::db::regions::{self, Region};
use crate::db::{Database, DbConnection, categories, counters, read_snapshot};
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::rollup::{Counters, Month, WarningCounts};
use crate::domain::time::Tz;
use crate::domain::workload::WorkloadCounts;
use crate::error::Error;
use crate::state::AppState;

impl From<Region> for RegionRef {
    fn from(r: Region) -> RegionRef {
        RegionRef {
            code: r.code.to_string(),
            name: r.name,
            level: r.level.as_str().to_owned(),
        }
    }
}

/// The country's reference (code `000000`).
pub(super) fn country() -> RegionRef {
    RegionRef {
        code: "000000".into(),
        name: "全国".into(),
        level: "country".into(),
    }
}

/// The longest period a report covers, in (calendar) years: a trend has a row per month.
const MAX_YEARS: i32 = 100;

/// What a report asks for.
pub struct StatsQuery {
    pub region: Option<RegionCode>,
    pub from: Month,
    pub to: Month,
    pub category: Option<String>,
    /// What the child rows are (`/stats` only).
    pub group_by: GroupBy,
}

/// A period of `from` to `to`: not backwards, and at most [`MAX_YEARS`] long.
pub(super) fn check_period(from: Month, to: Month) -> Result<(), Error> {
    if from > to {
        return Err(Error::BadRequest("`from` must not be after `to`".into()));
    }
    if to.year - from.year >= MAX_YEARS {
        return Err(Error::BadRequest(format!(
            "a period spans at most {MAX_YEARS} years"
        )));
    }
    Ok(())
}

/// The code range and reference of `region` (the country when `None`); 404 when there is no
/// such region.
pub(super) fn region_scope(
    conn: &mut DbConnection,
    region: Option<&RegionCode>,
) -> Result<(CodeRange, RegionRef), Error> {
    match region {
        None => Ok((CodeRange::all(), country())),
        Some(code) => {
            let found =
                regions::get(conn, code)?.ok_or_else(|| Error::not_found("no such region"))?;
            Ok((code.subtree(), found.into()))
        }
    }
}

/// The region to report on (checked against the caller), its code range, and its reference.
fn scope(
    conn: &mut DbConnection,
    caller: &Principal,
    query: &StatsQuery,
) -> Result<(Option<RegionCode>, CodeRange, RegionRef), Error> {
    check_period(query.from, query.to)?;
    if let Some(category) = &query.category
        && categories::find(conn, category)?.is_none()
    {
        return Err(Error::BadRequest(format!(
            "invalid query parameter `category`: no category {category:?}"
        )));
    }
    let region = policy::read_stats(caller, query.region.as_ref())?;
    let (range, region_ref) = region_scope(conn, region.as_ref())?;
    Ok((region, range, region_ref))
}

/// Counts by county (the county-level codes that hold tickets) for a period, and the warning
/// snapshot by county: a report of any region inside them is put together from these alone.
pub(super) struct Within<'a> {
    pub counties: &'a BTreeMap<String, Counters>,
    pub warnings: &'a BTreeMap<String, WarningCounts>,
}

impl Within<'_> {
    /// The figures of the counties inside `range`: sums of their counts and colours.
    fn figures(&self, range: &CodeRange) -> Figures {
        let span = range.first.clone()..=range.last.clone();
        let counts: Counters = self.counties.range(span.clone()).map(|(_, c)| *c).sum();
        Figures {
            period: counts.into(),
            warnings: self.warnings.range(span).map(|(_, w)| *w).sum(),
        }
    }

    /// The report of the region `region_ref` covering `range`, with one row per child region.
    /// The region's own figures are its counties' counts summed (which are its children's).
    pub fn report(
        &self,
        region_ref: RegionRef,
        range: &CodeRange,
        children: Vec<Region>,
        query: &StatsQuery,
    ) -> StatsReport {
        let children = children
            .into_iter()
            .map(|child| ChildRow {
                figures: self.figures(&child.code.subtree()),
                of: ChildOf::Region {
                    region: child.into(),
                },
            })
            .collect();
        self.report_with(region_ref, range, children, query)
    }

    /// The report of the region `region_ref` covering `range`, with these child rows.
    fn report_with(
        &self,
        region_ref: RegionRef,
        range: &CodeRange,
        children: Vec<ChildRow>,
        query: &StatsQuery,
    ) -> StatsReport {
        StatsReport {
            region: region_ref,
            from: query.from.to_string(),
            to: query.to.to_string(),
            category: query.category.clone(),
            totals: self.figures(range),
            children,
        }
    }
}

/// One row per category (every category in code order, or the one asked for) of the counts
/// inside `range`: the counters kept per category, and the warning snapshot per category.
fn category_rows(
    conn: &mut DbConnection,
    range: &CodeRange,
    query: &StatsQuery,
    now: NaiveDateTime,
) -> Result<Vec<ChildRow>, Error> {
    let counts: BTreeMap<String, Counters> =
        counters::sums_by_category(conn, range, (query.from, query.to))?
            .into_iter()
            .collect();
    let warnings = counters::warnings_by_category(conn, range, now)?;
    Ok(categories::list(conn)?
        .into_iter()
        .filter(|c| query.category.as_ref().is_none_or(|only| *only == c.code))
        .map(|c| ChildRow {
            figures: Figures {
                period: counts.get(&c.code).copied().unwrap_or_default().into(),
                warnings: warnings.get(&c.code).copied().unwrap_or_default(),
            },
            of: ChildOf::Category {
                category: CategoryRef {
                    code: c.code,
                    name: c.name,
                },
            },
        })
        .collect())
}

pub async fn report(
    state: &AppState,
    caller: &Principal,
    query: StatsQuery,
) -> Result<StatsReport, Error> {
    let caller = caller.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            read_snapshot(conn, |conn| {
                let (region, range, region_ref) = scope(conn, &caller, &query)?;
                let category = query.category.as_deref();
                let counties =
                    counters::sums_by_county(conn, &range, (query.from, query.to), category)?
                        .into_iter()
                        .collect();
                let warnings = counters::warnings_by_county(conn, &range, category, now)?;
                let within = Within {
                    counties: &counties,
                    warnings: &warnings,
                };
                Ok(match query.group_by {
                    GroupBy::Region => {
                        let children = regions::children(conn, region.as_ref())?;
                        within.report(region_ref, &range, children, &query)
                    }
                    GroupBy::Category => {
                        let rows = category_rows(conn, &range, &query, now)?;
                        within.report_with(region_ref, &range, rows, &query)
                    }
                })
            })
        })
        .await
}

pub async fn trend(
    state: &AppState,
    caller: &Principal,
    query: StatsQuery,
) -> Result<TrendReport, Error> {
    let caller = caller.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            read_snapshot(conn, |conn| {
                let (_, range, region_ref) = scope(conn, &caller, &query)?;
                let category = query.category.as_deref();
                let by_month: BTreeMap<String, Counters> =
                    counters::sums_by_month(conn, &range, (query.from, query.to), category)?
                        .into_iter()
                        .collect();
                let warnings = counters::warnings_by_county(conn, &range, category, now)?;
                let months = query
                    .from
                    .through(query.to)
                    .map(|m| {
                        let month = m.to_string();
                        let counts = by_month.get(&month).copied().unwrap_or_default();
                        MonthRow {
                            month,
                            figures: counts.into(),
                        }
                    })
                    .collect();
                Ok(TrendReport {
                    region: region_ref,
                    from: query.from.to_string(),
                    to: query.to.to_string(),
                    category: query.category,
                    months,
                    warnings: warnings.values().copied().sum(),
                })
            })
        })
        .await
}

/// A counter that differs from the recount.
#[derive(Debug, PartialEq, Eq)]
pub enum Difference {
    /// A period counter of a county, month and category (boxed: the counts are many).
    Period {
        key: counters::Key,
        stored: Box<Counters>,
        recounted: Box<Counters>,
    },
    /// The colours a category's (or `*`) warning counts of a county hold for its tickets.
    CountedWarnings {
        category: String,
        county_code: String,
        stored: WarningCounts,
        recounted: WarningCounts,
    },
    /// A county's warning snapshot as reports serve it, against the tickets' colours now.
    ServedWarnings {
        county_code: String,
        served: WarningCounts,
        recounted: WarningCounts,
    },
    /// A row of a region's workload report for a period (`row`: `cadre N`, `department N` or
    /// `no department`) as served, against the recount of the tickets.
    Workload {
        region: String,
        period: String,
        row: String,
        served: WorkloadCounts,
        recounted: WorkloadCounts,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Period {
                key,
                stored,
                recounted,
            } => write!(
                f,
                "{} {} {}: stored {stored:?}, recounted {recounted:?}",
                key.county_code, key.period, key.category
            ),
            Difference::CountedWarnings {
                category,
                county_code,
                stored,
                recounted,
            } => write!(
                f,
                "{county_code} {category} warning counts: stored {stored:?}, recounted {recounted:?}"
            ),
            Difference::ServedWarnings {
                county_code,
                served,
                recounted,
            } => write!(
                f,
                "{county_code} warnings now: served {served:?}, recounted {recounted:?}"
            ),
            Difference::Workload {
                region,
                period,
                row,
                served,
                recounted,
            } => write!(
                f,
                "{region} workload {period} {row}: served {served:?}, recounted {recounted:?}"
            ),
        }
    }
}

/// Pairs every key of two maps, the missing side as its default, and keeps the pairs that differ.
pub(super) fn differing<K: Ord + Clone, V: Default + Copy + PartialEq>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> Vec<(K, V, V)> {
    let keys: std::collections::BTreeSet<&K> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter_map(|key| {
            let x = a.get(key).copied().unwrap_or_default();
            let y = b.get(key).copied().unwrap_or_default();
            (x != y).then(|| (key.clone(), x, y))
        })
        .collect()
}

/// Recounts every counter from the tickets (each in its month of programme time `tz`), the
/// warning snapshot as of `now`, and every region's workload report (see
/// [`workload::verify`](super::workload::verify)), and lists the differences from what is
/// stored and served (none when all is well). It reads one snapshot, so it holds while the
/// service keeps writing.
pub async fn verify(db: &Database, now: NaiveDateTime, tz: Tz) -> Result<Vec<Difference>, Error> {
    db.run(move |conn| {
        read_snapshot(conn, |conn| {
            let stored = counters::stored(conn)?;
            let stored_warnings = counters::stored_warnings(conn)?;
            let served = counters::warnings_by_county(conn, &CodeRange::all(), None, now)?
                .into_iter()
                .filter(|(_, w)| !w.is_zero())
                .collect();
            let recount = counters::recount(conn, now, tz)?;
            let period = differing(&stored, &recount.counters).into_iter().map(
                |(key, stored, recounted)| Difference::Period {
                    key,
                    stored: Box::new(stored),
                    recounted: Box::new(recounted),
                },
            );
            let counted = differing(&stored_warnings, &recount.counted_warnings)
                .into_iter()
                .map(
                    |((category, county_code), stored, recounted)| Difference::CountedWarnings {
                        category,
                        county_code,
                        stored,
                        recounted,
                    },
                );
            let snapshot = differing(&served, &recount.warnings_now).into_iter().map(
                |(county_code, served, recounted)| Difference::ServedWarnings {
                    county_code,
                    served,
                    recounted,
                },
            );
            let workload = super::workload::verify(conn, now, tz)?;
            Ok(period
                .chain(counted)
                .chain(snapshot)
                .chain(workload)
                .collect())
        })
    })
    .await
}
