//! The programme itself, computed from the places and a seed alone (no I/O): the promotion
//! centres' departments of every government, enterprises in every county, cadres at county,
//! city and province level (each in a department of their government), each enterprise paired
//! with a primary cadre of its county (and some with a second, from its city or province), one
//! staff account for every enterprise, and a supervisor at every level the region spans.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDateTime;

use super::names::{self, INDUSTRIES, ROSTER};
use super::rng::Rng;
use crate::db::enterprises::NewEnterprise;
use crate::domain::region::{RegionCode, RegionLevel};
use crate::domain::role::Role;
use crate::domain::uscc;
use crate::services::imports::pairings::PairingRow;
use crate::services::imports::people::PersonRow;

/// The administrator every demo has.
pub const ADMIN_USERNAME: &str = "demo.admin";

/// Shares of the cadres by level, in percent (the rest are at province level).
const COUNTY_SHARE: usize = 70;
const CITY_SHARE: usize = 20;
/// Percent of enterprises that also get a cadre from their city or province.
const SECOND_CADRE_CHANCE: usize = 30;

#[derive(Debug, Clone)]
pub struct Place {
    pub code: RegionCode,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct County {
    pub place: Place,
    /// Index into [`Geography::cities`] of the city above it; none for a city without counties
    /// (it is its own county) or a county directly under the province.
    pub city: Option<usize>,
}

/// The places a programme spans.
#[derive(Debug, Clone)]
pub struct Geography {
    pub province: Place,
    /// The cities whose agencies assist the counties: none of them is also a county.
    pub cities: Vec<Place>,
    /// Where enterprises are: every county-level unit of the region.
    pub counties: Vec<County>,
    /// The province and city above the region, the region, and every city and county inside
    /// it: one supervisor each.
    pub supervised: Vec<Place>,
}

#[derive(Debug)]
pub struct Programme {
    /// The departments of every government the region spans, by region.
    pub departments: Vec<Department>,
    pub enterprises: Vec<NewEnterprise>,
    /// The administrator, the supervisors, then the cadres; without password hashes.
    pub people: Vec<PersonRow>,
    pub pairings: Vec<PairingRow>,
    /// One staff account per enterprise, `ent.<county>.<n>` for the county's n-th enterprise.
    pub staff: Vec<Staff>,
}

/// A department of a government's promotion centre and the categories of demand it handles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub region: RegionCode,
    pub name: String,
    pub categories: &'static [&'static str],
}

/// An enterprise's staff account, known by the enterprise's code until the enterprise is stored.
#[derive(Debug)]
pub struct Staff {
    pub uscc: String,
    pub person: PersonRow,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GenerateError {
    #[error("the region has no county-level units to put enterprises in")]
    NoCounties,
    #[error("--cadres must be at least {0}: one for each county of the region")]
    TooFewCadres(usize),
}

pub fn programme(
    geo: &Geography,
    enterprises: usize,
    cadres: usize,
    seed: u64,
    now: NaiveDateTime,
) -> Result<Programme, GenerateError> {
    if geo.counties.is_empty() {
        return Err(GenerateError::NoCounties);
    }
    if cadres < geo.counties.len() {
        return Err(GenerateError::TooFewCadres(geo.counties.len()));
    }
    let mut rng = Rng::new(seed);
    let mut people = vec![person(
        ADMIN_USERNAME,
        Role::Admin,
        None,
        None,
        "演示管理员".into(),
    )];
    for place in &geo.supervised {
        let name = format!("{}督导", names::short_place(&place.name));
        let username = format!("sup.{}", place.code);
        people.push(person(&username, Role::Supervisor, Some(place), None, name));
    }
    let departments = rosters(geo);
    // Usernames of the cadres at each place.
    let mut staff: HashMap<RegionCode, Vec<String>> = HashMap::new();
    for (place, departments) in assign_cadres(geo, &departments, cadres, &mut rng) {
        for (n, department) in departments.into_iter().enumerate() {
            let username = format!("cadre.{}.{:03}", place.code, n + 1);
            let name = names::person(&mut rng);
            people.push(person(
                &username,
                Role::Cadre,
                Some(place),
                Some(department),
                name,
            ));
            staff.entry(place.code.clone()).or_default().push(username);
        }
    }
    let mut programme = Programme {
        departments,
        enterprises: Vec::with_capacity(enterprises),
        people,
        pairings: Vec::with_capacity(enterprises * 13 / 10),
        staff: Vec::with_capacity(enterprises),
    };
    let mut per_county: HashMap<RegionCode, usize> = HashMap::new();
    let mut used_names = HashSet::new();
    for index in 0..enterprises {
        let county = &geo.counties[rng.below(geo.counties.len())];
        let enterprise = enterprise(&mut rng, geo, county, index, seed, &mut used_names, now);
        let primary = rng.pick(&staff[&county.place.code]);
        programme.pairings.push(pairing(&enterprise, primary, true));
        if rng.chance(SECOND_CADRE_CHANCE) {
            let above = county
                .city
                .and_then(|c| staff.get(&geo.cities[c].code))
                .filter(|_| rng.chance(70))
                .or_else(|| staff.get(&geo.province.code));
            if let Some(second) = above.map(|list| rng.pick(list)) {
                programme.pairings.push(pairing(&enterprise, second, false));
            }
        }
        let n = per_county.entry(county.place.code.clone()).or_default();
        *n += 1;
        programme
            .staff
            .push(staff_account(&enterprise, &county.place, *n));
        programme.enterprises.push(enterprise);
    }
    Ok(programme)
}

/// The departments of every government the programme spans (the province, the cities, the
/// counties, and any other place with a supervisor), named after the place: the province's by
/// their provincial names, a county's without the bureaus counties do not have.
fn rosters(geo: &Geography) -> Vec<Department> {
    let governments: BTreeMap<&RegionCode, &Place> = geo
        .supervised
        .iter()
        .chain(&geo.cities)
        .chain(geo.counties.iter().map(|c| &c.place))
        .chain(std::iter::once(&geo.province))
        .map(|p| (&p.code, p))
        .collect();
    governments
        .into_values()
        .flat_map(|place| {
            let level = place.code.level();
            ROSTER
                .iter()
                .filter(move |b| b.in_counties || level != RegionLevel::County)
                .map(move |b| Department {
                    region: place.code.clone(),
                    name: format!(
                        "{}{}",
                        place.name,
                        if level == RegionLevel::Province {
                            b.provincial
                        } else {
                            b.local
                        }
                    ),
                    categories: b.categories,
                })
        })
        .collect()
}

/// How many cadres each place gets, and their departments: every county at least one, then
/// the shares by level; a place's cadres fill its departments in turn, from a random one on.
fn assign_cadres<'g>(
    geo: &'g Geography,
    departments: &[Department],
    total: usize,
    rng: &mut Rng,
) -> Vec<(&'g Place, Vec<String>)> {
    let counties = geo.counties.len();
    let at_county = (total * COUNTY_SHARE / 100).max(counties);
    let at_city = if geo.cities.is_empty() {
        0
    } else {
        (total * CITY_SHARE / 100).min(total - at_county)
    };
    let at_province = total - at_county - at_city;
    let mut places: Vec<(&Place, usize)> = Vec::new();
    places.extend(geo.counties.iter().enumerate().map(|(i, c)| {
        (
            &c.place,
            at_county / counties + usize::from(i < at_county % counties),
        )
    }));
    places.extend(geo.cities.iter().enumerate().map(|(i, c)| {
        (
            c,
            at_city / geo.cities.len() + usize::from(i < at_city % geo.cities.len()),
        )
    }));
    places.push((&geo.province, at_province));
    places
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(place, n)| {
            let own: Vec<&str> = departments
                .iter()
                .filter(|d| d.region == place.code)
                .map(|d| d.name.as_str())
                .collect();
            let first = rng.below(own.len());
            let names = (0..n)
                .map(|i| own[(first + i) % own.len()].to_owned())
                .collect();
            (place, names)
        })
        .collect()
}

fn person(
    username: &str,
    role: Role,
    place: Option<&Place>,
    department: Option<String>,
    display_name: String,
) -> PersonRow {
    PersonRow {
        username: username.to_owned(),
        role,
        region: place.map(|p| p.code.clone()),
        department,
        display_name: Some(display_name),
        department_name: None,
        enterprise_id: None,
        password_hash: None,
    }
}

/// The staff account of the county's `n`-th enterprise, in the name of its contact.
fn staff_account(enterprise: &NewEnterprise, county: &Place, n: usize) -> Staff {
    let username = format!("ent.{}.{n:03}", county.code);
    let name = enterprise.contact_name.clone();
    Staff {
        uscc: enterprise.uscc.clone(),
        person: person(
            &username,
            Role::Enterprise,
            None,
            None,
            name.unwrap_or_default(),
        ),
    }
}

fn enterprise(
    rng: &mut Rng,
    geo: &Geography,
    county: &County,
    index: usize,
    seed: u64,
    used_names: &mut HashSet<String>,
    now: NaiveDateTime,
) -> NewEnterprise {
    let (industry, words) = rng.pick(INDUSTRIES);
    let city = county.city.map(|c| geo.cities[c].name.as_str());
    let place = names::short_place(
        city.filter(|_| rng.chance(40))
            .unwrap_or(&county.place.name),
    );
    // A registry holds one company per name: draw again on a clash, then number it.
    let mut name = names::company(rng, place, words);
    for _ in 0..20 {
        if !used_names.contains(&name) {
            break;
        }
        name = names::company(rng, place, words);
    }
    if used_names.contains(&name) {
        name = format!("{name}（{}）", index + 1);
    }
    used_names.insert(name.clone());
    NewEnterprise {
        name,
        uscc: demo_uscc(&county.place.code, index, seed),
        county_code: county.place.code.clone(),
        industry: Some((*industry).to_owned()),
        contact_name: Some(names::person(rng)),
        contact_phone: Some(names::mobile(rng)),
        active: true,
        created_at: now,
        updated_at: now,
    }
}

/// A valid code, unique for each index: `91` (a company registered by market regulation), the
/// county, `MA` and seven characters from an invertible scramble of the index, the check character.
pub fn demo_uscc(county: &RegionCode, index: usize, seed: u64) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const SPACE: u128 = 31u128.pow(7);
    // Multiplying by a number prime to 31 and adding a constant permutes 0..31^7.
    const MULTIPLIER: u128 = 2_654_435_761;
    let offset = u128::from(Rng::new(seed).next_u64());
    let mut value = (index as u128 * MULTIPLIER + offset) % SPACE;
    let mut serial = [0u8; 7];
    for digit in serial.iter_mut().rev() {
        *digit = ALPHABET[(value % 31) as usize];
        value /= 31;
    }
    let body = format!(
        "91{county}MA{}",
        std::str::from_utf8(&serial).expect("ASCII")
    );
    let check = uscc::check_character(&body).expect("built from the alphabet");
    format!("{body}{check}")
}

fn pairing(enterprise: &NewEnterprise, cadre: &str, primary: bool) -> PairingRow {
    PairingRow {
        uscc: enterprise.uscc.clone(),
        username: cadre.to_owned(),
        primary,
    }
}

#[cfg(test)]
#[path = "generate_tests.rs"]
mod tests;
