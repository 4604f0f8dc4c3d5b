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

    #[test]
    fn the_last_codes_do_not_overflow() {
        assert!(code("990000").subtree().contains("999999"));
    }
}
