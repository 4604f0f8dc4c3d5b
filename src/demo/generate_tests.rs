//! The generator's own rules: counts, codes, departments, pairings, staff accounts, seeds.

use std::collections::{BTreeSet, HashMap};

use super::*;

fn place(code: &str, name: &str) -> Place {
    Place {
        code: RegionCode::parse(code).unwrap(),
        name: name.to_owned(),
    }
}

fn geography() -> Geography {
    let county = |code, name, city| County {
        place: place(code, name),
        city,
    };
    Geography {
        province: place("410000", "河南省"),
        cities: vec![place("411600", "周口市")],
        counties: vec![
            county("411602", "川汇区", Some(0)),
            county("411681", "项城市", Some(0)),
            county("419001", "济源市", None),
        ],
        supervised: vec![place("410000", "河南省"), place("411600", "周口市")],
    }
}

fn build(seed: u64) -> Programme {
    let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
    programme(&geography(), 500, 40, seed, now).unwrap()
}

#[test]
fn counts_codes_and_names_are_right() {
    let p = build(3);
    assert_eq!(p.enterprises.len(), 500);
    let usccs: HashSet<&str> = p.enterprises.iter().map(|e| e.uscc.as_str()).collect();
    assert_eq!(usccs.len(), 500, "codes are unique");
    let names: HashSet<&str> = p.enterprises.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), 500, "names are unique");
    for e in &p.enterprises {
        assert_eq!(uscc::validate(&e.uscc), Ok(()), "{}", e.uscc);
        assert_eq!(
            &e.uscc[2..8],
            e.county_code.as_str(),
            "the code carries the county"
        );
    }
    let roles = |role| p.people.iter().filter(|x| x.role == role).count();
    assert_eq!(
        (
            roles(Role::Admin),
            roles(Role::Supervisor),
            roles(Role::Cadre)
        ),
        (1, 2, 40)
    );
    let usernames: HashSet<&str> = p.people.iter().map(|x| x.username.as_str()).collect();
    assert_eq!(usernames.len(), p.people.len());
}

#[test]
fn every_government_has_a_roster_handling_every_category_and_each_cadre_is_in_one() {
    let p = build(6);
    let regions: BTreeSet<&str> = p.departments.iter().map(|d| d.region.as_str()).collect();
    let governments = ["410000", "411600", "411602", "411681", "419001"];
    assert_eq!(regions, governments.into());
    let keys: HashSet<(&str, &str)> = p
        .departments
        .iter()
        .map(|d| (d.region.as_str(), d.name.as_str()))
        .collect();
    assert_eq!(
        keys.len(),
        p.departments.len(),
        "names are unique per region"
    );
    for region in governments {
        let handled: HashSet<&str> = p
            .departments
            .iter()
            .filter(|d| d.region.as_str() == region)
            .flat_map(|d| d.categories.iter().copied())
            .collect();
        for category in [
            "policy",
            "land",
            "energy",
            "finance",
            "employment",
            "approval",
            "market",
            "infrastructure",
            "legal",
            "other",
        ] {
            assert!(handled.contains(category), "{region} handles no {category}");
        }
    }
    for name in [
        "河南省自然资源厅",
        "河南省地方金融监督管理局",
        "周口市自然资源和规划局",
        "周口市地方金融监督管理局",
        "川汇区自然资源和规划局",
        "项城市供电公司",
    ] {
        assert!(keys.iter().any(|(_, n)| *n == name), "no {name}");
    }
    assert!(
        !keys.iter().any(|(_, n)| *n == "川汇区地方金融监督管理局"),
        "counties have no financial regulator"
    );
    for cadre in p.people.iter().filter(|x| x.role == Role::Cadre) {
        let region = cadre.region.as_ref().unwrap().as_str();
        let department = cadre.department.as_deref().unwrap();
        assert!(
            keys.contains(&(region, department)),
            "{} is in {department}, not of {region}",
            cadre.username
        );
    }
}

#[test]
fn every_enterprise_has_one_primary_of_its_county_and_cadres_who_may_assist() {
    let p = build(4);
    let region: HashMap<&str, &RegionCode> = p
        .people
        .iter()
        .filter_map(|x| Some((x.username.as_str(), x.region.as_ref()?)))
        .collect();
    let mut primaries: HashMap<&str, usize> = HashMap::new();
    let county: HashMap<&str, RegionCode> = p
        .enterprises
        .iter()
        .map(|e| (e.uscc.as_str(), e.county_code.clone()))
        .collect();
    for pairing in &p.pairings {
        let cadre = region[pairing.username.as_str()];
        let home = &county[pairing.uscc.as_str()];
        assert!(
            cadre.contains(home),
            "{} may not assist {home}",
            pairing.username
        );
        if pairing.primary {
            assert_eq!(cadre, home, "primaries are of the county");
            *primaries.entry(pairing.uscc.as_str()).or_default() += 1;
        }
    }
    assert_eq!(primaries.len(), 500);
    assert!(primaries.values().all(|n| *n == 1));
    assert!(p.pairings.len() > 500, "some have a second cadre");
    for level in ["410000", "411600", "411602"] {
        assert!(
            region.values().any(|r| r.as_str() == level),
            "no cadre at {level}"
        );
    }
}

#[test]
fn every_enterprise_has_a_staff_account_numbered_in_its_county() {
    let p = build(5);
    assert_eq!(p.staff.len(), p.enterprises.len());
    let usernames: HashSet<&str> = p.staff.iter().map(|s| s.person.username.as_str()).collect();
    assert_eq!(usernames.len(), p.staff.len());
    for (staff, enterprise) in p.staff.iter().zip(&p.enterprises) {
        assert_eq!(staff.uscc, enterprise.uscc);
        assert_eq!(staff.person.role, Role::Enterprise);
        let prefix = format!("ent.{}.", enterprise.county_code);
        assert!(
            staff.person.username.starts_with(&prefix),
            "{}",
            staff.person.username
        );
    }
    for county in ["411602", "411681", "419001"] {
        assert!(
            usernames.contains(format!("ent.{county}.001").as_str()),
            "{county}"
        );
    }
}

#[test]
fn a_seed_gives_one_programme() {
    let names =
        |p: &Programme| -> Vec<String> { p.enterprises.iter().map(|e| e.name.clone()).collect() };
    assert_eq!(names(&build(5)), names(&build(5)));
    assert_ne!(names(&build(5)), names(&build(6)));
}

#[test]
fn too_few_cadres_or_no_counties_are_refused() {
    let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
    let geo = geography();
    assert_eq!(
        programme(&geo, 10, 2, 1, now).unwrap_err(),
        GenerateError::TooFewCadres(3)
    );
    let empty = Geography {
        counties: Vec::new(),
        ..geo
    };
    assert_eq!(
        programme(&empty, 10, 20, 1, now).unwrap_err(),
        GenerateError::NoCounties
    );
}
