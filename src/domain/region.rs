//! GB/T 2260 region codes. The code is hierarchical by design: two digits for the province,
//! two for the city, two for the county, so a region's whole subtree is one contiguous range
//! of codes. Every query "inside region X" uses that range.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Administrative level of a region.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RegionLevel {
    Province,
    City,
    County,
}

impl RegionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
        }
    }

    pub fn parse(text: &str) -> Option<RegionLevel> {
        match text {
            "province" => Some(RegionLevel::Province),
            "city" => Some(RegionLevel::City),
            "county" => Some(RegionLevel::County),
            _ => None,
        }
    }

    /// The next tier up; none above the province.
    pub fn above(self) -> Option<RegionLevel> {
        match self {
            RegionLevel::County => Some(RegionLevel::City),
            RegionLevel::City => Some(RegionLevel::Province),
            RegionLevel::Province => None,
        }
    }

    /// How many leading digits of a code name a region of this level.
    fn prefix_len(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::City => 4,
            RegionLevel::County => 6,
        }
    }
}

/// The province-level municipalities (Beijing, Tianjin, Shanghai, Chongqing): their city-level
/// rows are headings over districts and counties the municipality governs itself.
const MUNICIPALITIES: [&str; 4] = ["11", "12", "31", "50"];

/// A six-digit region code; holding one means it is well formed (not that the region exists).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a region code is six digits (GB/T 2260), e.g. 411600")]
pub struct InvalidRegionCode;

impl RegionCode {
    pub fn parse(text: &str) -> Result<RegionCode, InvalidRegionCode> {
        if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(RegionCode(text.to_owned()))
        } else {
            Err(InvalidRegionCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level the code's shape says: `xx0000` a province, `xxxx00` a city, else a county.
    pub fn level(&self) -> RegionLevel {
        if self.0.ends_with("0000") {
            RegionLevel::Province
        } else if self.0.ends_with("00") {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }

    /// The codes inside this region, itself included: `4116xx` for city 411600.
    pub fn subtree(&self) -> CodeRange {
        let prefix = &self.0[..self.level().prefix_len()];
        CodeRange {
            first: format!("{prefix:0<6}"),
            last: format!("{prefix:9<6}"),
        }
    }

    /// The region at `level` that holds this one: the county itself, its city, its province.
    /// (A city without counties holds its enterprises itself, so it is its own county.)
    pub fn ancestor_at(&self, level: RegionLevel) -> RegionCode {
        let prefix = &self.0[..level.prefix_len()];
        RegionCode(format!("{prefix:0<6}"))
    }

    /// Whether the code is a heading of GB/T 2260 rather than a government (SPEC section 10):
    /// the city-level groupings of the county-level units a province governs directly
    /// (`xx9000`, 省直辖县级行政区划, e.g. 419000 above Jiyuan) and the municipalities'
    /// 市辖区 and 县 (Beijing 110100, Chongqing 500200). No ticket sits at a heading.
    pub fn is_heading(&self) -> bool {
        self.level() == RegionLevel::City
            && (&self.0[2..4] == "90" || MUNICIPALITIES.contains(&&self.0[..2]))
    }

    /// The government at `level` that holds this county: none where the list has only a
    /// heading at that level (a directly administered county has no city).
    pub fn government_at(&self, level: RegionLevel) -> Option<RegionCode> {
        Some(self.ancestor_at(level)).filter(|region| !region.is_heading())
    }

    /// The next level above `level` with a government over this county, where an escalation
    /// goes: county → city → province, straight to the province where the city is a heading.
    pub fn tier_above(&self, level: RegionLevel) -> Option<RegionLevel> {
        let mut above = level.above();
        while let Some(up) = above
            && self.government_at(up).is_none()
        {
            above = up.above();
        }
        above
    }

    /// Whether `other` lies in this region's subtree.
    pub fn contains(&self, other: &RegionCode) -> bool {
        self.subtree().contains(other.as_str())
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = InvalidRegionCode;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&text)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> String {
        code.0
    }
}

/// Codes from `first` to `last`, both included; six-digit strings compare like numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRange {
    pub first: String,
    pub last: String,
}

impl CodeRange {
    /// Every code: the whole country.
    pub fn all() -> CodeRange {
        CodeRange {
            first: "000000".into(),
            last: "999999".into(),
        }
    }

    pub fn contains(&self, code: &str) -> bool {
        self.first.as_str() <= code && code <= self.last.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    #[test]
    fn parses_only_six_digits() {
        assert!(RegionCode::parse("411600").is_ok());
        for bad in ["41160", "4116000", "41160a", "", "４１１６００", " 411600"] {
            assert_eq!(RegionCode::parse(bad), Err(InvalidRegionCode), "{bad:?}");
        }
    }

    #[test]
    fn level_follows_the_code_shape() {
        assert_eq!(code("410000").level(), RegionLevel::Province);
        assert_eq!(code("411600").level(), RegionLevel::City);
        assert_eq!(code("411602").level(), RegionLevel::County);
    }

    #[test]
    fn subtree_is_the_code_range_below_the_region() {
        let henan = code("410000").subtree();
        assert_eq!(
            (henan.first.as_str(), henan.last.as_str()),
            ("410000", "419999")
        );
        let zhoukou = code("411600").subtree();
        assert!(zhoukou.contains("411600") && zhoukou.contains("411681"));
        assert!(!zhoukou.contains("411700") && !zhoukou.contains("411599"));
        let county = code("411602").subtree();
        assert_eq!(
            (county.first.as_str(), county.last.as_str()),
            ("411602", "411602")
        );
        assert!(code("410000").contains(&code("411602")));
        assert!(!code("411600").contains(&code("410000")));
    }

    #[test]
    fn ancestors_are_found_by_prefix() {
        assert_eq!(
            code("411602").ancestor_at(RegionLevel::County),
            code("411602")
        );
        assert_eq!(
            code("411602").ancestor_at(RegionLevel::City),
            code("411600")
        );
        assert_eq!(
            code("411602").ancestor_at(RegionLevel::Province),
            code("410000")
        );
        assert_eq!(
            code("441900").ancestor_at(RegionLevel::County),
            code("441900")
        );
        assert_eq!(RegionLevel::County.above(), Some(RegionLevel::City));
        assert_eq!(RegionLevel::Province.above(), None);
    }

    /// Every city-level heading of the bundled list, by its name, and no other city.
    #[test]
    fn headings_are_the_bundled_lists_groupings_and_nothing_else() {
        let list = include_str!("../../data/regions-cn.csv");
        let heading_names = [
            "市辖区",
            "县",
            "省直辖县级行政区划",
            "自治区直辖县级行政区划",
        ];
        let mut headings = Vec::new();
        for line in list.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            let region = code(fields[0]);
            let named_heading = fields[2] == "city" && heading_names.contains(&fields[1]);
            assert_eq!(region.is_heading(), named_heading, "{line}");
            if named_heading {
                headings.push(fields[0]);
            }
        }
        assert_eq!(
            headings,
            [
                "110100", "120100", "310100", "419000", "429000", "469000", "500100", "500200",
                "659000"
            ]
        );
        assert!(!code("110000").is_heading() && !code("110101").is_heading());
        assert!(
            !code("441900").is_heading(),
            "Dongguan, a city without counties"
        );
    }

    #[test]
    fn directly_administered_counties_escalate_straight_to_the_province() {
        use RegionLevel::*;
        // (county, the next tier above the county, its government at city level)
        let table = [
            ("411602", Some(City), Some("411600")),
            ("441900", Some(City), Some("441900")),
            ("419001", Some(Province), None),
            ("429004", Some(Province), None),
            ("469001", Some(Province), None),
            ("659001", Some(Province), None),
            ("110101", Some(Province), None),
            ("120101", Some(Province), None),
            ("310101", Some(Province), None),
            ("500101", Some(Province), None),
            ("500229", Some(Province), None),
        ];
        for (county, above, city) in table {
            let county = code(county);
            assert_eq!(county.tier_above(County), above, "{county}");
            assert_eq!(
                county.government_at(City).map(String::from).as_deref(),
                city,
                "{county}"
            );
            assert_eq!(county.tier_above(City), Some(Province), "{county}");
            assert_eq!(county.tier_above(Province), None, "{county}");
            assert_eq!(county.government_at(County), Some(county.clone()));
            assert!(county.government_at(Province).is_some());
        }
    }

    #[test]
    fn the_last_codes_do_not_overflow() {
        assert!(code("990000").subtree().contains("999999"));
    }
}
