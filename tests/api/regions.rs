use crate::both_backends;
use crate::helpers::{TestApp, holds_null};

async fn lists_the_counties_of_a_city(app: &TestApp) {
    let page = app.get_json("/api/v1/regions?parent=411600", 200).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 11, "Zhoukou has 11 county-level units");
    assert_eq!(items[0]["code"], "411602");
    assert_eq!(items[0]["name"], "川汇区");
    assert_eq!(items[0]["level"], "county");
    assert_eq!(items[0]["parent_code"], "411600");
    assert!(items.iter().all(|r| r["parent_code"] == "411600"));
    assert!(holds_null(&page, "next_cursor"));
}

async fn pages_through_the_provinces(app: &TestApp) {
    let first = app
        .get_json("/api/v1/regions?level=province&limit=20", 200)
        .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 20);
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = app
        .get_json(
            &format!("/api/v1/regions?level=province&limit=20&cursor={cursor}"),
            200,
        )
        .await;
    let rest = second["items"].as_array().unwrap();
    assert_eq!(rest.len(), 11, "31 provinces in all");
    assert!(holds_null(&second, "next_cursor"));
    let last_of_first = first["items"][19]["code"].as_str().unwrap();
    assert!(
        rest.iter()
            .all(|r| r["code"].as_str().unwrap() > last_of_first)
    );
}

async fn shows_a_region_with_its_parent_chain(app: &TestApp) {
    let county = app.get_json("/api/v1/regions/411602", 200).await;
    assert_eq!(county["name"], "川汇区");
    let chain: Vec<_> = county["ancestors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(chain, ["410000", "411600"]);
    let province = app.get_json("/api/v1/regions/410000", 200).await;
    assert_eq!(province["ancestors"].as_array().unwrap().len(), 0);
    assert!(holds_null(&province, "parent_code"));
}

async fn unknown_or_malformed_codes_are_not_found(app: &TestApp) {
    for path in [
        "/api/v1/regions/999999",
        "/api/v1/regions/41160x",
        "/api/v1/regions/4116000",
    ] {
        let problem = app.get_json(path, 404).await;
        assert_eq!(problem["status"], 404);
    }
}

async fn bad_filters_are_rejected(app: &TestApp) {
    for query in [
        "parent=4116",
        "level=village",
        "limit=0",
        "limit=ten",
        "cursor=%%%",
    ] {
        let problem = app.get_json(&format!("/api/v1/regions?{query}"), 400).await;
        assert_eq!(problem["status"], 400, "{query}");
        assert!(!problem["detail"].as_str().unwrap().is_empty());
    }
}

both_backends!(
    lists_the_counties_of_a_city,
    pages_through_the_provinces,
    shows_a_region_with_its_parent_chain,
    unknown_or_malformed_codes_are_not_found,
    bad_filters_are_rejected,
);
