//! Who may assist an enterprise, and how many primaries it has: the rules every way of pairing
//! (the API, the CSV import, the demo) obeys.

use super::region::RegionCode;
use super::role::Role;

/// Whether a user may be paired with an enterprise in `county`: an active cadre whose agency's
/// region holds that county (its own county, its city or its province).
pub fn may_assist(
    role: Role,
    active: bool,
    region: Option<&RegionCode>,
    county: &RegionCode,
) -> bool {
    role == Role::Cadre && active && region.is_some_and(|r| r.contains(county))
}

/// The one message for a refused candidate: it names the rule and not which part failed, so a
/// caller learns nothing about accounts outside their view.
pub fn assist_rule(county: &RegionCode) -> String {
    format!("must be an active cadre whose region holds county {county}")
}

/// An enterprise with cadres has exactly one primary among them; with none it has none.
pub fn check_primaries(cadres: usize, primaries: usize) -> Result<(), String> {
    match (cadres, primaries) {
        (0, _) | (_, 1) => Ok(()),
        (_, 0) => Err("exactly one cadre must be primary; none is".into()),
        (_, n) => Err(format!("exactly one cadre must be primary; {n} are")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    #[test]
    fn cadres_of_the_county_or_above_may_assist() {
        let county = code("411602");
        for region in ["411602", "411600", "410000"] {
            assert!(
                may_assist(Role::Cadre, true, Some(&code(region)), &county),
                "{region}"
            );
        }
        assert!(!may_assist(
            Role::Cadre,
            true,
            Some(&code("411603")),
            &county
        ));
        assert!(!may_assist(Role::Cadre, false, Some(&county), &county));
        assert!(!may_assist(Role::Supervisor, true, Some(&county), &county));
        assert!(!may_assist(Role::Cadre, true, None, &county));
    }

    #[test]
    fn exactly_one_primary_unless_empty() {
        assert!(check_primaries(0, 0).is_ok());
        assert!(check_primaries(3, 1).is_ok());
        assert!(check_primaries(2, 0).is_err());
        assert!(check_primaries(2, 2).is_err());
    }
}
