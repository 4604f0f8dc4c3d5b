//! Bulk imports through `POST /imports/{kind}`: counts, re-imports that change nothing, bad
//! rows named by line, whole-or-nothing, scope and limits.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{PASSWORD, World, assert_field_error, token_for, valid_uscc, with_bad_check};
use crate::helpers::{TestApp, expect_json};

async fn import(app: &TestApp, token: &str, kind: &str, csv: &str, status: u16) -> Value {
    let response = app
        .post_csv(&format!("/api/v1/imports/{kind}"), Some(token), csv)
        .await;
    expect_json(response, status).await
}

fn counts(report: &Value) -> [u64; 4] {
    ["created", "updated", "unchanged", "removed"].map(|k| report[k].as_u64().unwrap())
}

/// Imports `csv` as an administrator expecting `first` counts, then again expecting no change.
async fn import_twice(app: &TestApp, kind: &str, csv: &str, first: [u64; 4]) -> Value {
    let admin = app.admin_token().await;
    let report = import(app, &admin, kind, csv, 200).await;
    assert_eq!(counts(&report), first, "{report}");
    let rows = report["rows"].as_u64().unwrap();
    let again = import(app, &admin, kind, csv, 200).await;
    assert_eq!(
        counts(&again),
        [0, 0, rows, 0],
        "a second import changes nothing"
    );
    report
}

async fn enterprise_count(app: &TestApp, token: &str) -> usize {
    let page = app
        .call(
            Method::GET,
            "/api/v1/enterprises?limit=200",
            Some(token),
            None,
            200,
        )
        .await;
    page["items"].as_array().unwrap().len()
}

fn enterprises_csv(rows: &[(u32, &str, &str)]) -> String {
    let mut csv = String::from("name,uscc,county_code,industry\n");
    for (seed, name, county) in rows {
        csv.push_str(&format!("{name},{},{county},食品加工\n", valid_uscc(*seed)));
    }
    csv
}

async fn enterprises_are_created_then_updated_then_unchanged(app: &TestApp) {
    let admin = app.admin_token().await;
    let csv = enterprises_csv(&[
        (1, "周口恒达食品有限公司", "411602"),
        (2, "\"Mill, Flour & Co\"", "411681"),
    ]);
    let report = import_twice(app, "enterprises", &csv, [2, 0, 0, 0]).await;
    assert_eq!(
        (&report["kind"], &report["rows"]),
        (&json!("enterprises"), &json!(2))
    );

    let page = app
        .call(
            Method::GET,
            "/api/v1/enterprises?q=mill",
            Some(&admin),
            None,
            200,
        )
        .await;
    let mill = &page["items"][0];
    assert_eq!(
        (&mill["name"], &mill["county_code"]),
        (&json!("Mill, Flour & Co"), &json!("411681"))
    );
    assert_eq!(mill["industry"], "食品加工");

    // Changed columns update; a blank optional column keeps what is stored; columns come in any order.
    let changed = format!(
        "county_code,uscc,name,industry,contact_phone\n411603,{},周口恒达食品有限公司,,0394-1\n411681,{},New Mill,,\n",
        valid_uscc(1),
        valid_uscc(2)
    );
    import_twice(app, "enterprises", &changed, [0, 2, 0, 0]).await;
    let page = app
        .call(Method::GET, "/api/v1/enterprises", Some(&admin), None, 200)
        .await;
    let first = &page["items"][0];
    assert_eq!(
        (&first["county_code"], &first["contact_phone"]),
        (&json!("411603"), &json!("0394-1"))
    );
    assert_eq!(first["industry"], "食品加工");
    assert_eq!(page["items"][1]["name"], "New Mill");
}

async fn bad_rows_are_named_by_line_and_nothing_is_written(app: &TestApp) {
    let admin = app.admin_token().await;
    let good = valid_uscc(10);
    let csv = format!(
        "uscc,name,county_code\n\
         {good},Good One,411602\n\
         {},Bad Check,411602\n\
         {},Good Two,411600\n\
         {good},Repeat,411602\n\
         {},,411602\n\
         {},Unknown County,999999\n\
         {},Too,Many,Fields\n",
        with_bad_check(&valid_uscc(11)),
        valid_uscc(12),
        valid_uscc(13),
        valid_uscc(14),
        valid_uscc(15),
    );
    let problem = import(app, &admin, "enterprises", &csv, 422).await;
    for field in [
        "line 3: uscc",
        "line 4: county_code",
        "line 5: uscc",
        "line 6: name",
        "line 7: county_code",
        "line 8: row",
    ] {
        assert_field_error(&problem, field);
    }
    assert_eq!(problem["errors"].as_array().unwrap().len(), 6, "{problem}");
    // Line 2 was good, but the file is applied whole or not at all.
    assert_eq!(enterprise_count(app, &admin).await, 0);

    let headers = [
        ("uscc,name\n", "line 1: header"),
        ("uscc,name,county_code,colour\n", "line 1: header"),
        ("", "line 1: header"),
    ];
    for (csv, field) in headers {
        assert_field_error(&import(app, &admin, "enterprises", csv, 422).await, field);
    }
}

async fn supervisors_import_only_inside_their_region(app: &TestApp) {
    let w = World::build(app).await;
    let inside = enterprises_csv(&[(20, "Inside", "411603")]);
    let report = import(app, &w.sup_own.token, "enterprises", &inside, 200).await;
    assert_eq!(counts(&report), [1, 0, 0, 0]);
    let outside = enterprises_csv(&[(21, "Inside Too", "411602"), (22, "Outside", "410102")]);
    let problem = import(app, &w.sup_own.token, "enterprises", &outside, 422).await;
    assert_field_error(&problem, "line 3: county_code");
    // Another region's enterprise cannot be taken over by its code either.
    let e2 = format!(
        "uscc,name,county_code\n{},Mine Now,411602\n",
        w.e2["uscc"].as_str().unwrap()
    );
    assert_field_error(
        &import(app, &w.sup_own.token, "enterprises", &e2, 422).await,
        "line 2: uscc",
    );
    let far_cadre = "username,region_code\ncadre.far,410102\n";
    assert_field_error(
        &import(app, &w.sup_own.token, "cadres", far_cadre, 422).await,
        "line 2: region_code",
    );
    for token in [&w.cadre.token, &w.staff1.token] {
        import(app, token, "enterprises", &inside, 403).await;
    }
    let response = app
        .post_csv("/api/v1/imports/enterprises", None, &inside)
        .await;
    expect_json(response, 401).await;
    let response = app
        .post_csv("/api/v1/imports/tickets", Some(&w.admin), &inside)
        .await;
    expect_json(response, 404).await;
}

async fn cadres_and_pairings_import_and_reimport(app: &TestApp) {
    let admin = app.admin_token().await;
    let enterprises = enterprises_csv(&[
        (30, "One", "411602"),
        (31, "Two", "411602"),
        (32, "Three", "410102"),
    ]);
    import(app, &admin, "enterprises", &enterprises, 200).await;
    let cadres = format!(
        "username,region_code,department,display_name,password\n\
         Cadre.A,411602,川汇区商务局,李明,{PASSWORD}\n\
         cadre.b,411600,周口市发展和改革委员会,王芳,\n\
         cadre.c,410102,,,\n"
    );
    import_twice(app, "cadres", &cadres, [3, 0, 0, 0]).await;
    // The password given works; the one not given leaves the account without one.
    let token = token_for(app, "cadre.a").await;
    let body = json!({"username": "cadre.b", "password": PASSWORD});
    app.call(Method::POST, "/api/v1/auth/login", None, Some(body), 401)
        .await;

    let (one, two, three) = (valid_uscc(30), valid_uscc(31), valid_uscc(32));
    let pairings = format!(
        "uscc,username,primary\n{one},cadre.a,true\n{one},cadre.b,false\n{two},cadre.b,TRUE\n{three},cadre.c,yes\n"
    );
    import_twice(app, "pairings", &pairings, [4, 0, 0, 0]).await;
    let mine = app
        .call(Method::GET, "/api/v1/enterprises", Some(&token), None, 200)
        .await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    assert_eq!(mine["items"][0]["name"], "One");

    // Enterprise One now gets cadre.b as primary and loses cadre.a; the others stay as they were.
    let moved = format!("uscc,username,primary\n{one},cadre.b,true\n");
    import_twice(app, "pairings", &moved, [0, 1, 0, 1]).await;
    let mine = app
        .call(Method::GET, "/api/v1/enterprises", Some(&token), None, 200)
        .await;
    assert!(mine["items"].as_array().unwrap().is_empty());

    let bad = format!(
        "uscc,username,primary\n\
         {one},cadre.a,true\n{one},cadre.b,true\n\
         {two},cadre.c,true\n\
         {two},nobody,false\n\
         {},cadre.a,true\n\
         {three},cadre.c,maybe\n",
        valid_uscc(99)
    );
    let problem = import(app, &admin, "pairings", &bad, 422).await;
    for field in [
        "line 2: primary",
        "line 4: username",
        "line 5: username",
        "line 6: uscc",
        "line 7: primary",
    ] {
        assert_field_error(&problem, field);
    }
    let after = app
        .call(Method::GET, "/api/v1/enterprises", Some(&admin), None, 200)
        .await;
    let one_id = after["items"][0]["id"].clone();
    let paired = app
        .call(
            Method::GET,
            &format!("/api/v1/enterprises/{one_id}/cadres"),
            Some(&admin),
            None,
            200,
        )
        .await;
    assert_eq!(
        paired["items"].as_array().unwrap().len(),
        1,
        "nothing changed: {paired}"
    );
}

async fn the_body_must_be_csv_within_the_limit(app: &TestApp) {
    let admin = app.admin_token().await;
    let path = "/api/v1/imports/enterprises";
    let big = format!("uscc,name,county_code\n{}", "x".repeat(10 * 1024 * 1024));
    expect_json(app.post_csv(path, Some(&admin), &big).await, 413).await;
    // Well past the 64 KiB of JSON bodies is fine for a file.
    let mut csv = String::from("uscc,name,county_code\n");
    for seed in 0..2000 {
        csv.push_str(&format!(
            "{},Enterprise number {seed} of a long list,411602\n",
            valid_uscc(seed)
        ));
    }
    assert!(csv.len() > 64 * 1024);
    let report = import(app, &admin, "enterprises", &csv, 200).await;
    assert_eq!(counts(&report), [2000, 0, 0, 0]);

    let json = app
        .request(
            Method::POST,
            path,
            Some(&admin),
            Some(&json!({"uscc": "x"})),
        )
        .await;
    expect_json(json, 415).await;
    let latin1 = app
        .client
        .post(app.url(path))
        .bearer_auth(&admin)
        .header("content-type", "text/csv; charset=utf-8")
        .body(vec![b'u', b',', 0xff, b'\n'])
        .send()
        .await
        .unwrap();
    expect_json(latin1, 400).await;
}

/// Everything cheap is checked before any password is hashed: a file of out-of-scope rows that
/// carry passwords is refused at once (it took a hash per row, 30 ms of a core each, before).
async fn out_of_scope_passwords_are_never_hashed(app: &TestApp) {
    let w = World::build(app).await;
    let mut csv = String::from("username,region_code,password\n");
    for n in 0..400 {
        csv.push_str(&format!("cadre.far.{n:03},410102,{PASSWORD}\n"));
    }
    // One good row among them does not change that.
    csv.push_str(&format!("cadre.near,411602,{PASSWORD}\n"));
    let started = std::time::Instant::now();
    let problem = import(app, &w.sup_own.token, "cadres", &csv, 422).await;
    let elapsed = started.elapsed();
    println!("refused 400 out-of-scope rows with passwords in {elapsed:?}");
    assert_field_error(&problem, "line 2: region_code");
    assert_field_error(&problem, "line 401: region_code");
    assert!(
        elapsed < std::time::Duration::from_secs(2),
        "took {elapsed:?}: passwords were hashed before the scope was checked"
    );
    // A header or duplicate problem stops the file before hashing too.
    let repeated = format!(
        "username,region_code,password\nc.one,411602,{PASSWORD}\nc.one,411602,{PASSWORD}\n"
    );
    assert_field_error(
        &import(app, &w.sup_own.token, "cadres", &repeated, 422).await,
        "line 3: username",
    );
    let users = app
        .call(
            Method::GET,
            "/api/v1/users?role=cadre",
            Some(&w.admin),
            None,
            200,
        )
        .await;
    assert_eq!(
        users["items"].as_array().unwrap().len(),
        1,
        "only the fixture's cadre"
    );
}

/// The departments of `region`'s subtree (up to 200), by name.
async fn departments_at(
    app: &TestApp,
    token: &str,
    region: &str,
) -> std::collections::BTreeMap<String, Value> {
    let page = app
        .call(
            Method::GET,
            &format!("/api/v1/departments?region={region}&limit=200"),
            Some(token),
            None,
            200,
        )
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap().to_owned(), d.clone()))
        .collect()
}

async fn departments_are_created_then_updated_then_unchanged(app: &TestApp) {
    let admin = app.admin_token().await;
    let csv = "region_code,name,categories,active\n\
               411602,川汇区自然资源局,land;energy,\n\
               411600,周口市发展和改革委员会, finance | land ,yes\n\
               411602,\"Trade, Chuanhui\",,FALSE\n";
    let report = import_twice(app, "departments", csv, [3, 0, 0, 0]).await;
    assert_eq!(
        (&report["kind"], &report["rows"]),
        (&json!("departments"), &json!(3))
    );
    let found = departments_at(app, &admin, "411600").await;
    let land = &found["川汇区自然资源局"];
    assert_eq!(
        (&land["region_code"], &land["categories"], &land["active"]),
        (&json!("411602"), &json!(["energy", "land"]), &json!(true))
    );
    assert_eq!(
        found["周口市发展和改革委员会"]["categories"],
        json!(["finance", "land"])
    );
    let trade = &found["Trade, Chuanhui"];
    assert_eq!(
        (&trade["categories"], &trade["active"]),
        (&json!([]), &json!(false))
    );

    // A file of names alone changes nothing that exists; columns come in any order.
    let names = "name,region_code\n川汇区自然资源局,411602\n\"Trade, Chuanhui\",411602\n";
    import_twice(app, "departments", names, [0, 0, 2, 0]).await;
    // New categories replace the set, `active` switches; a new name in the file is created.
    let changed = "region_code,name,categories,active\n\
                   411602,川汇区自然资源局,land,\n\
                   411602,\"Trade, Chuanhui\",market,true\n\
                   411600,周口市发展和改革委员会,,0\n\
                   411603,淮阳区商务局,market,\n";
    import_twice(app, "departments", changed, [1, 3, 0, 0]).await;
    let found = departments_at(app, &admin, "411600").await;
    assert_eq!(found.len(), 4);
    assert_eq!(found["川汇区自然资源局"]["categories"], json!(["land"]));
    let trade = &found["Trade, Chuanhui"];
    assert_eq!(
        (&trade["categories"], &trade["active"]),
        (&json!(["market"]), &json!(true))
    );
    let city = &found["周口市发展和改革委员会"];
    assert_eq!(
        (&city["categories"], &city["active"]),
        (&json!(["finance", "land"]), &json!(false)),
        "a blank categories column keeps the stored ones"
    );
    assert_eq!(found["淮阳区商务局"]["region_code"], "411603");
}

async fn bad_department_rows_are_named_by_line_and_nothing_is_written(app: &TestApp) {
    let admin = app.admin_token().await;
    let csv = "region_code,name,categories,active\n\
               411602,Good One,land,\n\
               999999,Unknown Region,,\n\
               419000,At A Heading,,\n\
               411602,Good One,energy,\n\
               411602,,,\n\
               411602,Bad Category,land;nonesuch,\n\
               411602,Bad Flag,,maybe\n\
               41160,Short Code,,\n\
               411602,Good Two,policy|approval,no\n";
    let problem = import(app, &admin, "departments", csv, 422).await;
    for field in [
        "line 3: region_code",
        "line 4: region_code",
        "line 5: name",
        "line 6: name",
        "line 7: categories",
        "line 8: active",
        "line 9: region_code",
    ] {
        assert_field_error(&problem, field);
    }
    assert_eq!(problem["errors"].as_array().unwrap().len(), 7, "{problem}");
    assert!(departments_at(app, &admin, "410000").await.is_empty());
    assert!(departments_at(app, &admin, "411600").await.is_empty());
    assert_field_error(
        &import(app, &admin, "departments", "region_code,categories\n", 422).await,
        "line 1: header",
    );
}

async fn supervisors_import_departments_only_inside_their_region(app: &TestApp) {
    let w = World::build(app).await;
    let sup = &w.sup_own.token;
    let inside = "region_code,name\n\
411600,周口市商务局\n\
411602,川汇区商务局\n";
    assert_eq!(
        counts(&import(app, sup, "departments", inside, 200).await),
        [2, 0, 0, 0]
    );
    let far = "region_code,name,categories\n\
410102,金水区商务局,land\n";
    import(app, &w.admin, "departments", far, 200).await;
    // Another region's department can be neither created nor changed; the rows inside are
    // not written either.
    let mixed = "region_code,name,active\n\
411602,川汇区商务局,false\n\
410102,金水区商务局,false\n\
410100,郑州市商务局,\n";
    let problem = import(app, sup, "departments", mixed, 422).await;
    assert_field_error(&problem, "line 3: region_code");
    assert_field_error(&problem, "line 4: region_code");
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2, "{problem}");
    assert_eq!(
        departments_at(app, &w.admin, "411602").await["川汇区商务局"]["active"],
        true
    );
    assert_eq!(
        departments_at(app, &w.admin, "410100").await["金水区商务局"]["active"],
        true
    );
    // The supervisor of Zhengzhou may, for their own.
    let theirs = "region_code,name,active\n\
410102,金水区商务局,false\n";
    assert_eq!(
        counts(&import(app, &w.sup_foreign.token, "departments", theirs, 200).await),
        [0, 1, 0, 0]
    );
    for token in [&w.cadre.token, &w.staff1.token] {
        import(app, token, "departments", inside, 403).await;
    }
    let response = app
        .post_csv("/api/v1/imports/departments", None, inside)
        .await;
    expect_json(response, 401).await;
}

/// The cadres the administrator sees, by username.
async fn cadres(app: &TestApp, admin: &str) -> std::collections::BTreeMap<String, Value> {
    let page = app
        .call(
            Method::GET,
            "/api/v1/users?role=cadre&limit=200",
            Some(admin),
            None,
            200,
        )
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["username"].as_str().unwrap().to_owned(), u.clone()))
        .collect()
}

async fn a_cadre_file_names_the_cadres_departments(app: &TestApp) {
    let admin = app.admin_token().await;
    let roster = "region_code,name,active\n\
                  411602,川汇区商务局,\n\
                  411602,川汇区旧局,false\n\
                  411600,周口市发展和改革委员会,\n";
    import(app, &admin, "departments", roster, 200).await;
    let ids: std::collections::BTreeMap<String, Value> = departments_at(app, &admin, "411600")
        .await
        .into_iter()
        .map(|(name, d)| (name, d["id"].clone()))
        .collect();

    // Set: the free-text department defaults to the department's name for a new cadre.
    let file = "username,region_code,department_name,department\n\
                cadre.a,411602,川汇区商务局,\n\
                cadre.b,411602,,\n\
                cadre.c,411600,周口市发展和改革委员会,发改委\n";
    import_twice(app, "cadres", file, [3, 0, 0, 0]).await;
    let found = cadres(app, &admin).await;
    let a = &found["cadre.a"];
    assert_eq!(
        (&a["department_id"], &a["department"]),
        (&ids["川汇区商务局"], &json!("川汇区商务局"))
    );
    assert_eq!(found["cadre.b"]["department_id"], Value::Null);
    let c = &found["cadre.c"];
    assert_eq!(
        (&c["department_id"], &c["department"]),
        (&ids["周口市发展和改革委员会"], &json!("发改委"))
    );

    // Refused: another region's department, an inactive one, a name no roster has; nothing is
    // written, not even the good row.
    let bad = "username,region_code,department_name\n\
               cadre.b,411602,川汇区商务局\n\
               cadre.b2,411602,周口市发展和改革委员会\n\
               cadre.b3,411602,川汇区旧局\n\
               cadre.b4,411602,No Such Bureau\n";
    let problem = import(app, &admin, "cadres", bad, 422).await;
    for field in [
        "line 3: department_name",
        "line 4: department_name",
        "line 5: department_name",
    ] {
        assert_field_error(&problem, field);
    }
    assert_eq!(problem["errors"].as_array().unwrap().len(), 3, "{problem}");
    assert!(
        problem
            .to_string()
            .contains("no department of that name at 411602"),
        "{problem}"
    );
    let found = cadres(app, &admin).await;
    assert_eq!(found.len(), 3);
    assert_eq!(found["cadre.b"]["department_id"], Value::Null);

    // Blank keeps the department; a move without one leaves it (as PATCH does); a move naming
    // one of the new region joins that one.
    let keep = "username,region_code,department_name\n\
cadre.a,411602,\n";
    assert_eq!(
        counts(&import(app, &admin, "cadres", keep, 200).await),
        [0, 0, 1, 0]
    );
    let moves = "username,region_code,department_name\n\
                 cadre.a,411603,\n\
                 cadre.b,411600,周口市发展和改革委员会\n";
    import_twice(app, "cadres", moves, [0, 2, 0, 0]).await;
    let found = cadres(app, &admin).await;
    let a = &found["cadre.a"];
    assert_eq!(
        (&a["region_code"], &a["department_id"], &a["department"]),
        (&json!("411603"), &Value::Null, &json!("川汇区商务局")),
        "the free-text department is only a display name: it stays"
    );
    assert_eq!(
        found["cadre.b"]["department_id"],
        ids["周口市发展和改革委员会"]
    );
}

/// `enterprise-assist import departments FILE`, the binary against the application's database:
/// the counts on standard output, and every bad row on standard error with nothing written.
async fn the_command_line_imports_departments(app: &TestApp) {
    let admin = app.admin_token().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |csv: &str| {
        let file = dir.path().join("departments.csv");
        std::fs::write(&file, csv).unwrap();
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_enterprise-assist"));
        command
            .args(["import", "departments"])
            .arg(&file)
            .env_clear()
            .env("DATABASE_URL", &app.database_url)
            .env("DATA_DIR", dir.path())
            .env("LOG_LEVEL", "warn");
        async move {
            tokio::task::spawn_blocking(move || command.output())
                .await
                .unwrap()
                .expect("the binary runs")
        }
    };
    let csv = "region_code,name,categories\n\
411602,川汇区商务局,market\n\
410102,金水区商务局,\n";
    for expected in [
        "2 created, 0 updated, 0 unchanged, 0 removed",
        "0 created, 0 updated, 2 unchanged, 0 removed",
    ] {
        let output = run(csv).await;
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.starts_with("2 rows in ") && stdout.contains(expected),
            "{stdout}"
        );
    }
    assert_eq!(
        departments_at(app, &admin, "411602").await["川汇区商务局"]["categories"],
        json!(["market"])
    );

    let bad = "region_code,name\n\
411602,New One\n\
419000,At A Heading\n\
411602,川汇区商务局\n\
411602,川汇区商务局\n";
    let output = run(bad).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("line 3: region_code")
            && stderr.contains("line 5: name")
            && stderr.contains("nothing was imported"),
        "{stderr}"
    );
    assert!(
        !departments_at(app, &admin, "411602")
            .await
            .contains_key("New One")
    );
}

both_backends!(
    departments_are_created_then_updated_then_unchanged,
    bad_department_rows_are_named_by_line_and_nothing_is_written,
    supervisors_import_departments_only_inside_their_region,
    a_cadre_file_names_the_cadres_departments,
    the_command_line_imports_departments,
    out_of_scope_passwords_are_never_hashed,
    enterprises_are_created_then_updated_then_unchanged,
    bad_rows_are_named_by_line_and_nothing_is_written,
    supervisors_import_only_inside_their_region,
    cadres_and_pairings_import_and_reimport,
    the_body_must_be_csv_within_the_limit,
);
