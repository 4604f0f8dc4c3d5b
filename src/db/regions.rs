//! Regions: the bundled national list and the queries over it.

use std::collections::HashSet;

use diesel::prelude::*;

use super::schema::regions;
use super::{DbConnection, DbError, Optional};
use crate::domain::page::PageRequest;
use crate::domain::region::{CodeRange, RegionCode, RegionLevel};

/// GB/T 2260 divisions as shipped (`code,name,level,parent_code`).
const BUNDLED_REGIONS: &str = include_str!("../../data/regions-cn.csv");

/// A region as stored and as the API shows it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = regions)]
pub struct Region {
    /// GB/T 2260 code.
    pub code: RegionCode,
    pub name: String,
    pub level: RegionLevel,
    /// Null for a province.
    pub parent_code: Option<RegionCode>,
}

impl TryFrom<String> for RegionLevel {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        RegionLevel::parse(&text).ok_or_else(|| format!("unknown region level {text:?}"))
    }
}

/// Filters of the region list.
#[derive(Debug, Default)]
pub struct RegionFilter {
    pub parent: Option<RegionCode>,
    pub level: Option<RegionLevel>,
}

/// Loads the bundled list into an empty table; does nothing once regions exist.
///
/// The source repeats three prefecture-level cities without counties (Dongguan, Zhongshan,
/// Danzhou) as a county under themselves with the same code; a code names one region, so
/// those self-parented rows are skipped and the city itself holds its enterprises.
pub fn seed_if_empty(conn: &mut DbConnection) -> Result<(), DbError> {
    let present: i64 = regions::table.count().get_result(conn)?;
    if present > 0 {
        return Ok(());
    }
    let mut rows = parse_bundled();
    // Parents before children, for the foreign key.
    rows.sort_by_key(|r| r.level);
    for chunk in rows.chunks(500) {
        let insert = diesel::insert_into(regions::table).values(chunk.to_vec());
        crate::on_backend!(conn, |c| insert.execute(c))?;
    }
    Ok(())
}

fn parse_bundled() -> Vec<Region> {
    let mut reader = csv::Reader::from_reader(BUNDLED_REGIONS.as_bytes());
    reader
        .records()
        .map(|record| record.expect("bundled regions CSV is well formed"))
        .filter(|record| record.get(0) != record.get(3))
        .map(|record| Region {
            code: RegionCode::parse(&record[0]).expect("bundled codes are valid"),
            name: record[1].to_owned(),
            level: RegionLevel::parse(&record[2]).expect("bundled level is valid"),
            parent_code: Some(&record[3])
                .filter(|p| !p.is_empty())
                .map(|p| RegionCode::parse(p).expect("bundled codes are valid")),
        })
        .collect()
}

/// One page of regions in code order.
pub fn list(
    conn: &mut DbConnection,
    filter: &RegionFilter,
    page: &PageRequest<String>,
) -> Result<Vec<Region>, DbError> {
    let mut query = regions::table
        .select(Region::as_select())
        .order(regions::code)
        .limit(page.fetch_limit())
        .into_boxed();
    if let Some(parent) = &filter.parent {
        query = query.filter(regions::parent_code.eq(parent));
    }
    if let Some(level) = filter.level {
        query = query.filter(regions::level.eq(level));
    }
    if let Some(after) = &page.after {
        query = query.filter(regions::code.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}

/// One region and its ancestors, the province first.
pub fn get_with_ancestors(
    conn: &mut DbConnection,
    code: &RegionCode,
) -> Result<(Region, Vec<Region>), DbError> {
    let region = find(conn, code)?;
    let mut ancestors = Vec::new();
    let mut parent = region.parent_code.clone();
    while let Some(code) = parent {
        let next = find(conn, &code)?;
        parent = next.parent_code.clone();
        ancestors.push(next);
    }
    ancestors.reverse();
    Ok((region, ancestors))
}

/// The direct children of a region, or the provinces when `parent` is `None`.
pub fn children(
    conn: &mut DbConnection,
    parent: Option<&RegionCode>,
) -> Result<Vec<Region>, DbError> {
    let query = regions::table
        .select(Region::as_select())
        .order(regions::code)
        .into_boxed();
    let query = match parent {
        Some(parent) => query.filter(regions::parent_code.eq(parent)),
        None => query.filter(regions::level.eq(RegionLevel::Province)),
    };
    Ok(query.load(conn)?)
}

/// One region, if it exists.
pub fn get(conn: &mut DbConnection, code: &RegionCode) -> Result<Option<Region>, DbError> {
    find(conn, code).optional()
}

pub fn exists(conn: &mut DbConnection, code: &RegionCode) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(regions::table.find(code))).get_result(conn)?)
}

/// Whether enterprises can sit directly in this region: a county, or a city without counties.
pub fn holds_enterprises(conn: &mut DbConnection, code: &RegionCode) -> Result<bool, DbError> {
    Ok(!holders_among(conn, &[code.to_string()])?.is_empty())
}

/// Those of `codes` that hold enterprises directly (see [`holds_enterprises`]).
pub fn holders_among(
    conn: &mut DbConnection,
    codes: &[String],
) -> Result<HashSet<String>, DbError> {
    let mut levels: Vec<(String, String)> = Vec::new();
    let mut parents: HashSet<String> = HashSet::new();
    for chunk in codes.chunks(super::ROWS_PER_STATEMENT) {
        let found: Vec<(String, String)> = regions::table
            .filter(regions::code.eq_any(chunk))
            .select((regions::code, regions::level))
            .load(conn)?;
        let cities: Vec<&String> = found
            .iter()
            .filter(|(_, level)| level == RegionLevel::City.as_str())
            .map(|(code, _)| code)
            .collect();
        let with_children: Vec<Option<String>> = regions::table
            .filter(regions::parent_code.eq_any(cities))
            .select(regions::parent_code)
            .distinct()
            .load(conn)?;
        parents.extend(with_children.into_iter().flatten());
        levels.extend(found);
    }
    Ok(levels
        .into_iter()
        .filter(|(code, level)| {
            RegionLevel::parse(level).is_some_and(|level| holds_at(level, parents.contains(code)))
        })
        .map(|(code, _)| code)
        .collect())
}

/// Every region of a subtree, the root included, in code order.
pub fn in_subtree(conn: &mut DbConnection, range: &CodeRange) -> Result<Vec<Region>, DbError> {
    Ok(regions::table
        .filter(regions::code.between(range.first.clone(), range.last.clone()))
        .select(Region::as_select())
        .order(regions::code)
        .load(conn)?)
}

/// Those regions of a whole subtree (as [`in_subtree`] loads it) that hold enterprises directly.
pub fn holders_of_subtree(subtree: &[Region]) -> Vec<&Region> {
    let parents: HashSet<&str> = subtree
        .iter()
        .filter_map(|r| r.parent_code.as_ref().map(RegionCode::as_str))
        .collect();
    subtree
        .iter()
        .filter(|r| holds_at(r.level, parents.contains(r.code.as_str())))
        .collect()
}

/// The rule of [`holds_enterprises`]: a county, or a city that has no counties below it.
fn holds_at(level: RegionLevel, has_children: bool) -> bool {
    match level {
        RegionLevel::County => true,
        RegionLevel::City => !has_children,
        RegionLevel::Province => false,
    }
}

/// Those of `codes` naming an existing region.
pub fn existing_among(
    conn: &mut DbConnection,
    codes: &[String],
) -> Result<HashSet<String>, DbError> {
    let mut found = HashSet::new();
    for chunk in codes.chunks(super::ROWS_PER_STATEMENT) {
        let rows: Vec<String> = regions::table
            .filter(regions::code.eq_any(chunk))
            .select(regions::code)
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

fn find(conn: &mut DbConnection, code: &RegionCode) -> Result<Region, DbError> {
    Ok(regions::table
        .find(code)
        .select(Region::as_select())
        .first(conn)?)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_list_has_one_row_per_code() {
        let rows = parse_bundled();
        let mut codes: Vec<_> = rows.iter().map(|r| r.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), rows.len());
        // 3,351 rows in the source, less the three self-parented repeats.
        assert_eq!(rows.len(), 3348);
        let zhoukou = rows
            .iter()
            .filter(|r| r.parent_code.as_ref().map(RegionCode::as_str) == Some("411600"))
            .count();
        assert_eq!(zhoukou, 11);
    }

    #[test]
    fn every_code_sits_inside_its_parent_range() {
        for row in parse_bundled() {
            let code = &row.code;
            assert_eq!(code.level(), row.level, "{}", row.code);
            if let Some(parent) = row.parent_code {
                assert!(parent.contains(code));
            }
        }
    }
}
