//! The web app in a real browser: Debian's chromium driven through chromedriver (WebDriver),
//! against the real server on each backend, filled with a demo of Henan. Each role's journey,
//! an accessibility check of each main page (axe-core, vendored), and screenshots under
//! `target/browser-screenshots/<backend>/` (the test prints the folder).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use enterprise_assist::demo;
use enterprise_assist::domain::region::RegionCode;
use fantoccini::{Client, ClientBuilder, Locator};
use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::TestApp;

const PASSWORD: &str = demo::DEMO_PASSWORD;
const AXE: &str = include_str!("../browser_vendor/axe.min.js");
const WAIT: Duration = Duration::from_secs(15);
const TICKETS: usize = 100_000;

/// A chromedriver process and the browser session it drives; both end with it.
struct Browser {
    driver: Child,
    client: Client,
    base: String,
    shots: PathBuf,
}

impl Browser {
    async fn start(base: &str, backend: &str) -> Browser {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or("/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into());
        assert!(
            std::path::Path::new(&chromedriver).exists()
                && std::path::Path::new(&chromium).exists(),
            "the browser tests need Debian's chromium and chromium-driver \
             (apt-get install chromium chromium-driver; .ci/run installs them)"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=zh-CN"],
            }),
        );
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(_) if started.elapsed() < Duration::from_secs(20) => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("no browser session: {e}"),
            }
        };
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/browser-screenshots")
            .join(backend);
        std::fs::create_dir_all(&shots).unwrap();
        eprintln!("browser screenshots: {}", shots.display());
        Browser {
            driver,
            client,
            base: base.to_owned(),
            shots,
        }
    }

    async fn open(&self, route: &str) {
        self.client
            .goto(&format!("{}/{route}", self.base))
            .await
            .unwrap();
    }

    async fn wait(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    async fn gone(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_err()
    }

    async fn fill(&self, css: &str, text: &str) {
        let field = self.wait(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn click(&self, css: &str) {
        self.wait(css).await.click().await.unwrap();
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    /// axe-core on the page as it is: no serious or critical violation.
    async fn accessible(&self, page: &str) {
        self.client.execute(AXE, vec![]).await.unwrap();
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations
                        .filter(v => v.impact === 'serious' || v.impact === 'critical')
                        .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                     nodes: v.nodes.slice(0, 3).map(n => n.html) }))))
                    .catch(e => done([{ id: 'axe failed', help: String(e) }]));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(found, json!([]), "accessibility of {page}");
    }

    async fn login(&self, username: &str) {
        self.login_with(username, PASSWORD).await;
    }

    async fn login_with(&self, username: &str, password: &str) {
        self.open("#/login").await;
        self.fill("form#login-form input[name=username]", username)
            .await;
        self.fill("form#login-form input[name=password]", password)
            .await;
        self.click("form#login-form [type=submit]").await;
        self.wait("#logout").await;
    }

    async fn logout(&self) {
        self.click("#logout").await;
        self.wait("form#login-form").await;
    }

    /// The ticket page once its status is `status`.
    async fn ticket_in(&self, id: i64, status: &str) {
        self.wait(&format!(
            "#ticket[data-id=\"{id}\"][data-status=\"{status}\"]"
        ))
        .await;
    }

    /// Makes `action` from the ticket page: its button, then its form with `fields`.
    async fn make(&self, action: &str, fields: &[(&str, &str)]) {
        self.click(&format!("button[data-action=\"{action}\"]"))
            .await;
        let form = format!("form.move-form[data-action=\"{action}\"]");
        self.wait(&form).await;
        for (name, value) in fields {
            let css = format!("{form} [name=\"{name}\"]");
            let field = self.wait(&css).await;
            if field.tag_name().await.unwrap() == "select" {
                field
                    .select_by_value(value)
                    .await
                    .unwrap_or_else(|e| panic!("{css} has no {value}: {e}"));
            } else {
                self.fill(&css, value).await;
            }
        }
        self.click(&format!("{form} [type=submit]")).await;
    }

    /// Chooses `value` in the select `css` once that option is there (options may load late).
    async fn choose(&self, css: &str, value: &str) {
        self.wait(&format!("{css} option[value=\"{value}\"]")).await;
        self.wait(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{css} has no {value}: {e}"));
    }

    /// The CSV a click on `css` downloads: the file the page fetched with its token, caught as
    /// the Blob on its way to the download link.
    async fn csv_of(&self, css: &str) -> String {
        self.client
            .execute(
                "window.__csv = [];
                 if (!window.__csvCaught) {
                     window.__csvCaught = true;
                     const make = URL.createObjectURL.bind(URL);
                     URL.createObjectURL = (blob) => { window.__csv.push(blob); return make(blob); };
                 }",
                vec![],
            )
            .await
            .unwrap();
        self.click(css).await;
        let csv = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const wait = () => window.__csv.length
                     ? window.__csv[0].text().then(done)
                     : setTimeout(wait, 50);
                 wait();",
                vec![],
            )
            .await
            .unwrap();
        csv.as_str().unwrap().to_owned()
    }

    /// Whether the page is no wider than a 375 px phone screen (a screenshot taken as `shot`).
    async fn fits_a_phone(&self, shot: &str) -> bool {
        self.client.set_window_size(375, 812).await.unwrap();
        let fits = self
            .client
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        self.shot(shot).await;
        self.client.set_window_size(1400, 1000).await.unwrap();
        fits == json!(true)
    }

    async fn end(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A demo account's access token.
async fn token(app: &TestApp, username: &str) -> String {
    app.login(username, PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn first(app: &TestApp, token: &str, path: &str) -> Value {
    let page = app.call(Method::GET, path, Some(token), None, 200).await;
    page["items"][0].clone()
}

async fn ticket_of(app: &TestApp, admin: &str, id: i64) -> Value {
    app.get(&format!("/api/v1/tickets/{id}"))
        .as_(admin)
        .expect(200)
        .await
}

async fn username_of(app: &TestApp, admin: &str, id: &Value) -> String {
    let user = app
        .call(
            Method::GET,
            &format!("/api/v1/users/{id}"),
            Some(admin),
            None,
            200,
        )
        .await;
    user["username"].as_str().unwrap().to_owned()
}

/// A user's id by their username.
async fn user_id(app: &TestApp, admin: &str, username: &str) -> i64 {
    let page = app
        .get(&format!("/api/v1/users?q={username}"))
        .as_(admin)
        .expect(200)
        .await;
    let user = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap_or_else(|| panic!("no user {username}"));
    user["id"].as_i64().unwrap()
}

/// The coordination of SPEC section 10 as its people work it in the browser: a county
/// supervisor registers a department and puts a cadre in it, then dispatches a demand with the
/// candidates (the cadre's department handles its category: 对口); the assignee asks a city
/// cadre to assist; that cadre finds it under 协办, sees nothing but their task to act on and
/// completes it; the province supervisor issues a supervision order, seen on the oversight
/// page; the assignee answers it and returns the demand to dispatch. Returns the department
/// and the cadre put in it.
async fn coordination_in_the_browser(app: &TestApp, browser: &Browser, admin: &str) -> (i64, i64) {
    // An enterprise of Chuanhui files a land demand; its primary cadre sends it back to
    // dispatch (through the API), so it waits for the county's supervisor.
    let staff = token(app, "ent.411602.001").await;
    let me = app.get("/api/v1/me").as_(&staff).expect(200).await;
    let enterprise = me["enterprise_id"].as_i64().unwrap();
    let cadres = app
        .get(&format!("/api/v1/enterprises/{enterprise}/cadres"))
        .as_(admin)
        .expect(200)
        .await;
    let primary = cadres["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["primary"] == true)
        .unwrap()["user_id"]
        .as_i64()
        .unwrap();
    let assignee = username_of(app, admin, &json!(primary)).await;
    let helper_name = "cadre.411600.001";
    let helper = user_id(app, admin, helper_name).await;
    let filed = app
        .post("/api/v1/tickets")
        .as_(&staff)
        .json(json!({"category": "land", "title": "新建厂房用地指标", "description": "二期厂房需新增用地约30亩。"}))
        .expect(201)
        .await;
    let id = filed["id"].as_i64().unwrap();
    let cadre = token(app, &assignee).await;
    app.post(&format!("/api/v1/tickets/{id}/return"))
        .as_(&cadre)
        .json(json!({"reason": "需由县专班统筹派单。"}))
        .expect(200)
        .await;
    // A second demand goes up to the city, to be handed back down (下派) later.
    let escalated = app
        .post("/api/v1/tickets")
        .as_(&staff)
        .json(json!({"category": "finance", "title": "技改项目贷款贴息", "description": "申请技改贷款贴息。"}))
        .expect(201)
        .await["id"]
        .as_i64()
        .unwrap();
    app.post(&format!("/api/v1/tickets/{escalated}/escalate"))
        .as_(&cadre)
        .json(json!({"reason": "需市级协调金融机构。"}))
        .expect(200)
        .await;

    // The county supervisor registers a department handling land and puts the cadre in it.
    browser.login("sup.411602").await;
    browser.open("#/departments").await;
    browser
        .fill("form#department-form input[name=name]", "川汇区自然资源局")
        .await;
    browser
        .click("form#department-form input[name=categories][value=\"land\"]")
        .await;
    browser.click("form#department-form [type=submit]").await;
    browser.wait("#department-editor [role=status]").await;
    let found = first(
        app,
        admin,
        "/api/v1/departments?region=411602&q=%E5%B7%9D%E6%B1%87%E5%8C%BA%E8%87%AA%E7%84%B6%E8%B5%84%E6%BA%90%E5%B1%80",
    )
    .await;
    assert_eq!(found["categories"], json!(["land"]));
    let department = found["id"].to_string();
    browser
        .wait(&format!("tr.department-row[data-id=\"{department}\"]"))
        .await;
    browser.shot("departments").await;
    browser.accessible("the departments page").await;
    browser.open(&format!("#/users/{primary}")).await;
    browser
        .choose(
            "form#user-edit-form select[name=department_id]",
            &department,
        )
        .await;
    browser.click("form#user-edit-form [type=submit]").await;
    browser.wait("[role=status]").await;
    let user = app
        .get(&format!("/api/v1/users/{primary}"))
        .as_(admin)
        .expect(200)
        .await;
    assert_eq!(user["department_id"].to_string(), department);

    // It dispatches the demand: the candidates name the cadre's department as handling land.
    browser.open(&format!("#/ticket/{id}")).await;
    browser.ticket_in(id, "submitted").await;
    browser.click("button[data-action=\"assign\"]").await;
    let form = "form.move-form[data-action=\"assign\"]";
    let matching =
        format!("{form} label.candidate[data-user-id=\"{primary}\"][data-matches=\"true\"]");
    let text = browser.wait(&matching).await.text().await.unwrap();
    assert!(
        text.contains("对口") && text.contains("川汇区自然资源局"),
        "{text}"
    );
    browser
        .click(&format!("{matching} input[name=assignee_id]"))
        .await;
    browser.shot("dispatch-candidates").await;
    browser.accessible("the dispatch candidates").await;
    browser.click(&format!("{form} [type=submit]")).await;
    browser.ticket_in(id, "assigned").await;
    // It finds a colleague of the county by name to assist, and thinks better of it.
    let colleagues = app
        .get("/api/v1/users?role=cadre&region=411602&active=true")
        .as_(admin)
        .expect(200)
        .await;
    let colleague = colleagues["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] != primary)
        .unwrap()
        .clone();
    browser
        .fill(
            "form#collaborator-form input[name=q]",
            colleague["username"].as_str().unwrap(),
        )
        .await;
    browser
        .click("form#collaborator-form button[data-action=\"search-cadres\"]")
        .await;
    browser
        .choose(
            "form#collaborator-form select[name=user_id]",
            &colleague["id"].to_string(),
        )
        .await;
    browser
        .fill(
            "form#collaborator-form textarea[name=task]",
            "提供项目备案材料",
        )
        .await;
    browser.click("form#collaborator-form [type=submit]").await;
    let added = format!(
        "#collaborators li.task[data-user-id=\"{}\"]",
        colleague["id"]
    );
    browser
        .click(&format!(
            "{added} button[data-action=\"remove-collaborator\"]"
        ))
        .await;
    browser
        .click(&format!(
            "{added} button[data-action=\"remove-collaborator\"]"
        ))
        .await;
    browser
        .wait("ol#events > li[data-action=\"collaborator_removed\"]")
        .await;
    assert!(
        browser.gone(&added).await,
        "the assisting cadre is still listed"
    );
    browser.logout().await;

    // The assignee accepts it and asks the city cadre to assist.
    browser.login(&assignee).await;
    browser.open(&format!("#/ticket/{id}")).await;
    browser.ticket_in(id, "assigned").await;
    browser.make("accept", &[]).await;
    browser.ticket_in(id, "in_progress").await;
    browser
        .choose(
            "form#collaborator-form select[name=user_id]",
            &helper.to_string(),
        )
        .await;
    browser
        .fill(
            "form#collaborator-form textarea[name=task]",
            "核实市级用地指标余量",
        )
        .await;
    browser.click("form#collaborator-form [type=submit]").await;
    browser
        .wait(&format!(
            "#collaborators li.task[data-user-id=\"{helper}\"][data-status=\"open\"]"
        ))
        .await;
    browser.logout().await;

    // The assisting cadre finds it under 协办, may act on nothing but their task, completes it.
    browser.login(helper_name).await;
    browser.open("#/queue?tab=collaborating").await;
    browser
        .click(&format!(
            "li.ticket-row[data-id=\"{id}\"] a[href=\"#/ticket/{id}\"]"
        ))
        .await;
    browser.ticket_in(id, "in_progress").await;
    browser.wait("#helper-note").await;
    assert!(
        browser.gone(".moves button").await && browser.gone("#supervision").await,
        "an assisting cadre is offered more than their task"
    );
    browser.wait("form#comment-form").await;
    browser
        .fill(
            "form#task-complete-form textarea[name=note]",
            "市级指标可调剂30亩。",
        )
        .await;
    browser.shot("assisting-task").await;
    browser
        .accessible("the ticket page of an assisting cadre")
        .await;
    // On a phone too: nothing wider than the screen.
    assert!(
        browser.fits_a_phone("assisting-task-phone").await,
        "the ticket page fits a 375 px screen"
    );
    browser.click("form#task-complete-form [type=submit]").await;
    browser
        .wait(&format!(
            "#collaborators li.task[data-user-id=\"{helper}\"][data-status=\"completed\"]"
        ))
        .await;
    browser.logout().await;

    // The province supervisor presses for an answer, and follows it on the oversight page.
    browser.login("sup.410000").await;
    browser.open(&format!("#/ticket/{id}")).await;
    browser.ticket_in(id, "in_progress").await;
    browser
        .fill(
            "form#supervision-form textarea[name=instruction]",
            "请三个工作日内报告用地指标落实情况。",
        )
        .await;
    browser
        .fill("form#supervision-form input[name=respond_within]", "3")
        .await;
    browser.click("form#supervision-form [type=submit]").await;
    browser
        .wait("#supervision li.order[data-status=\"open\"]")
        .await;
    browser.wait(".ticket-badges .tag-supervised").await;
    // The county's open orders, oldest first (the province has a page of the demo's own).
    let county = filed["county_code"].as_str().unwrap();
    browser.open(&format!("#/oversight?region={county}")).await;
    browser
        .wait(&format!(
            "tr.supervision-row[data-ticket-id=\"{id}\"][data-status=\"open\"]"
        ))
        .await;
    browser.shot("oversight").await;
    browser.accessible("the oversight page").await;
    // It hands the city's demand down to a county cadre; the city stays accountable.
    browser.open(&format!("#/ticket/{escalated}")).await;
    browser.ticket_in(escalated, "submitted").await;
    browser.click("button[data-action=\"assign\"]").await;
    browser.click(&format!("{form} input[name=delegate]")).await;
    let county_cadre = browser
        .wait(&format!("{form} label.candidate[data-user-id]"))
        .await
        .attr("data-user-id")
        .await
        .unwrap()
        .unwrap();
    let picked = format!("{form} label.candidate[data-user-id=\"{county_cadre}\"]");
    let text = browser.wait(&picked).await.text().await.unwrap();
    assert!(
        text.contains("川汇区"),
        "a county cadre, named with their county: {text}"
    );
    browser.click(&format!("{picked} input")).await;
    browser.click(&format!("{form} [type=submit]")).await;
    browser.ticket_in(escalated, "assigned").await;
    let event = browser
        .wait("ol#events > li[data-action=\"assign\"]:last-child")
        .await
        .text()
        .await
        .unwrap();
    assert!(event.contains("下派"), "{event}");
    let delegated = ticket_of(app, admin, escalated).await;
    assert_eq!(
        (
            delegated["level"].as_str(),
            delegated["assignee_id"].to_string()
        ),
        (Some("city"), county_cadre)
    );
    browser.logout().await;

    // The assignee answers the order, then returns the demand to dispatch.
    browser.login(&assignee).await;
    browser.open("#/queue").await;
    browser
        .wait(&format!("li.ticket-row[data-id=\"{id}\"] .tag-supervised"))
        .await;
    browser.open(&format!("#/ticket/{id}")).await;
    browser.ticket_in(id, "in_progress").await;
    browser.shot("ticket-coordination").await;
    browser
        .accessible("the ticket page with its coordination")
        .await;
    browser
        .fill(
            "form.supervision-respond-form textarea[name=response]",
            "已与市自然资源局会商，指标本周落实。",
        )
        .await;
    browser
        .click("form.supervision-respond-form [type=submit]")
        .await;
    browser
        .wait("#supervision li.order[data-status=\"answered\"]")
        .await;
    browser
        .make("return", &[("reason", "用地需由市级统筹，退回重新派单。")])
        .await;
    browser.ticket_in(id, "submitted").await;
    for action in [
        "collaborator_added",
        "collaborator_completed",
        "supervision_issued",
        "supervision_answered",
        "return",
    ] {
        browser
            .wait(&format!("ol#events > li[data-action=\"{action}\"]"))
            .await;
    }
    browser.logout().await;
    let ticket = ticket_of(app, admin, id).await;
    assert_eq!(
        (
            ticket["status"].as_str(),
            ticket["return_count"].as_i64(),
            ticket["supervision_count"].as_i64(),
            ticket["supervised"].as_bool()
        ),
        (Some("submitted"), Some(2), Some(1), Some(false))
    );
    let helpers = app
        .get(&format!("/api/v1/tickets/{id}/collaborators"))
        .as_(admin)
        .expect(200)
        .await;
    assert_eq!(helpers["items"][0]["status"], "completed");
    assert_eq!(helpers["items"][0]["note"], "市级指标可调剂30亩。");
    (found["id"].as_i64().unwrap(), primary)
}

/// The workload and the statistics by category (SPEC section 10) in the browser: a city
/// supervisor switches the battle map's ranking to the categories, opens the city's workload
/// from the map, sorts it, filters it by the department of the coordination journey and
/// downloads both CSVs.
async fn workload_in_the_browser(
    app: &TestApp,
    browser: &Browser,
    admin: &str,
    (department, member): (i64, i64),
) {
    browser.login("sup.411600").await;
    browser.wait(".area-tile[data-region=\"411602\"]").await;
    browser
        .click("#ranking-switch button[data-group-by=\"category\"]")
        .await;
    let by_category = app
        .get("/api/v1/stats?region=411600&group_by=category")
        .as_(admin)
        .expect(200)
        .await;
    let categories = by_category["children"].as_array().unwrap();
    let land = categories
        .iter()
        .find(|c| c["category"]["code"] == "land")
        .unwrap();
    let row = browser
        .wait("#ranking tr.ranking-row[data-category=\"land\"]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        row.contains(land["category"]["name"].as_str().unwrap()),
        "{row}"
    );
    let rows = browser
        .client
        .find_all(Locator::Css("#ranking tr.ranking-row[data-category]"))
        .await
        .unwrap();
    assert_eq!(rows.len(), categories.len(), "a row per category");
    assert!(
        browser.gone("#ranking tr.ranking-row[data-region]").await
            && !browser.gone(".area-tile[data-region=\"411602\"]").await,
        "the ranking is by category, the map still by county"
    );
    browser.shot("map-by-category").await;

    // The city's workload, most pressing first: as many rows as the API's (50 at a time).
    browser.click("a#workload-link").await;
    let report = app
        .get("/api/v1/stats/workload?region=411600")
        .as_(admin)
        .expect(200)
        .await;
    let cadres = report["cadres"].as_array().unwrap();
    browser
        .wait("#workload[data-region=\"411600\"] tr.workload-cadre-row")
        .await;
    let shown = browser
        .client
        .find_all(Locator::Css("tr.workload-cadre-row"))
        .await
        .unwrap();
    assert_eq!(shown.len(), cadres.len().min(50));
    // The departments with members (the others only on request).
    let staffed = report["departments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["cadres"].as_i64() > Some(0))
        .count();
    let listed = browser
        .client
        .find_all(Locator::Css("tr.workload-department-row"))
        .await
        .unwrap();
    assert_eq!(listed.len(), staffed.min(50));
    let most = |key: &str| {
        cadres
            .iter()
            .map(|c| c[key].as_i64().unwrap())
            .max()
            .unwrap()
    };
    let red = browser
        .wait("tr.workload-cadre-row:first-child td[data-figure=\"red\"]")
        .await
        .text()
        .await
        .unwrap();
    let worst = most("red");
    let label = if worst > 0 {
        format!("红灯 {worst}")
    } else {
        "0".into()
    };
    assert_eq!(
        red, label,
        "the cadre with the most red demands comes first"
    );
    browser.shot("workload").await;
    browser.accessible("the workload page").await;
    browser
        .click("#workload-cadres button.sort[data-sort=\"open\"]")
        .await;
    browser
        .wait("#workload-cadres th[aria-sort=\"descending\"] button[data-sort=\"open\"]")
        .await;
    let open = browser
        .wait("tr.workload-cadre-row:first-child td[data-figure=\"open\"]")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(open, most("open").to_string(), "sorted by open demands");
    browser
        .client
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    assert!(
        browser.fits_a_phone("workload-phone").await,
        "the workload page fits a 375 px screen"
    );

    // Filtered by a department: its row, its members, and the CSV of each.
    browser
        .choose("#workload-department", &department.to_string())
        .await;
    let mine = format!(
        "#workload[data-department=\"{department}\"] tr.workload-cadre-row[data-user-id=\"{member}\"]"
    );
    browser.wait(&mine).await;
    let departments = browser
        .client
        .find_all(Locator::Css("tr.workload-department-row"))
        .await
        .unwrap();
    assert_eq!(departments.len(), 1);
    let filtered = app
        .get(&format!(
            "/api/v1/stats/workload?region=411600&department={department}"
        ))
        .as_(admin)
        .expect(200)
        .await;
    let figures = filtered["cadres"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["user_id"] == member)
        .unwrap();
    let open = browser
        .wait(&format!("{mine} td[data-figure=\"open\"]"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(open, figures["open"].to_string());
    let csv = browser.csv_of("a.workload-csv[data-rows=\"cadres\"]").await;
    assert!(
        csv.trim_start_matches('\u{feff}')
            .starts_with("user_id,display_name,department_id,department,open,orange,red,"),
        "{csv}"
    );
    assert!(
        csv.lines().any(|l| l.starts_with(&format!("{member},"))),
        "{csv}"
    );
    let csv = browser
        .csv_of("a.workload-csv[data-rows=\"departments\"]")
        .await;
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("{department},川汇区自然资源局,411602,"))),
        "{csv}"
    );
    browser.logout().await;
}

/// The journeys of SPEC sections 10 and 13 and issue 15, one browser session, one role after
/// another.
async fn each_role_does_its_work_in_the_browser(app: &TestApp) {
    let now = chrono::Utc::now().naive_utc();
    let henan = RegionCode::parse("410000").unwrap();
    // The battle map is measured on a province of 100,000 tickets (SPEC section 13).
    demo::run(&app.db, henan.clone(), 2000, 600, 3, now)
        .await
        .unwrap();
    demo::fill_tickets(
        &app.db,
        henan,
        TICKETS,
        3,
        now,
        app.timezone,
        Default::default(),
    )
    .await
    .unwrap();
    let admin = token(app, "demo.admin").await;
    let backend = format!("{:?}", app.db.backend()).to_lowercase();
    let browser = Browser::start(&app.address, &backend).await;

    // A supervisor of the province drills down from Henan to Zhoukou to a county and opens
    // one of its red tickets.
    let red = first(
        app,
        &admin,
        "/api/v1/tickets?region=411600&warning=red&limit=1",
    )
    .await;
    let (red_id, county) = (
        red["id"].as_i64().unwrap(),
        red["county_code"].as_str().unwrap().to_owned(),
    );
    browser.login("sup.410000").await;
    // Interactive: the page loaded anew (its session restored from the cookie), the tiles of
    // every city drawn, measured from the navigation's start in the browser's own clock.
    browser.open("#/map").await;
    browser.wait(".area-tile[data-region=\"411600\"]").await;
    browser.client.refresh().await.unwrap();
    browser
        .wait(".area-tile[data-region=\"411600\"] ~ .area-tile")
        .await;
    let ms = browser
        .client
        .execute("return Math.round(performance.now());", vec![])
        .await
        .unwrap();
    let line = format!(
        "battle map of Henan, {TICKETS} tickets ({backend}, {} build): interactive {ms} ms after navigation",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    eprintln!("{line}");
    std::fs::write(browser.shots.join("timing.txt"), line + "\n").unwrap();
    browser.wait(".kpi[data-kpi=\"filed\"]").await;
    browser.shot("map-henan").await;
    browser.accessible("the battle map").await;
    // English and back; Chinese first.
    browser.wait("html[lang=\"zh-CN\"]").await;
    browser.click("#lang-switch").await;
    browser.wait("html[lang=\"en\"]").await;
    browser.shot("map-henan-english").await;
    browser.click("#lang-switch").await;
    browser.wait("html[lang=\"zh-CN\"]").await;
    // A CSV download: the statistics as the API answers them with the page's token, handed to
    // the browser as a file.
    let csv = browser.csv_of("a.csv-download").await;
    assert!(csv.lines().count() > 2, "{csv}");
    assert!(csv.contains("411600"), "Zhoukou's row is in the CSV: {csv}");
    // The period picker: a narrower period reloads the figures for it.
    browser
        .client
        .execute(
            "const f = document.querySelector('#period-from');
             f.value = '2026-06';
             f.closest('form').requestSubmit();",
            vec![],
        )
        .await
        .unwrap();
    browser.wait(".area-tile[data-region=\"411600\"]").await;
    let url = browser.client.current_url().await.unwrap();
    assert!(url.as_str().contains("from=2026-06"), "{url}");
    browser.click(".area-tile[data-region=\"411600\"]").await;
    browser
        .wait(&format!(".area-tile[data-region=\"{county}\"]"))
        .await;
    browser
        .wait("nav.breadcrumb a[data-region=\"410000\"]")
        .await;
    browser.shot("map-zhoukou").await;
    browser
        .click(&format!(".area-tile[data-region=\"{county}\"]"))
        .await;
    browser
        .wait("nav.breadcrumb a[data-region=\"411600\"]")
        .await;
    let link = format!("a[href=\"#/ticket/{red_id}\"]");
    browser.click(&link).await;
    browser
        .wait(&format!("#ticket[data-id=\"{red_id}\"]"))
        .await;
    browser.wait("ol#events > li[data-action=\"file\"]").await;
    browser.shot("ticket-red").await;
    browser.accessible("the ticket page").await;
    browser.logout().await;

    // A cadre accepts a ticket assigned to them, comments on it and resolves it.
    let assigned = first(
        app,
        &admin,
        "/api/v1/tickets?region=411600&status=assigned&limit=1",
    )
    .await;
    let id = assigned["id"].as_i64().unwrap();
    let cadre = username_of(app, &admin, &assigned["assignee_id"]).await;
    browser.login(&cadre).await;
    browser.open("#/queue").await;
    browser.wait(".ticket-row").await;
    browser.shot("workbench").await;
    browser.accessible("the workbench").await;
    browser.open(&format!("#/ticket/{id}")).await;
    browser.ticket_in(id, "assigned").await;
    browser.make("accept", &[]).await;
    browser.ticket_in(id, "in_progress").await;
    browser
        .fill(
            "form#comment-form textarea[name=body]",
            "已联系企业负责人，正在协调办理。",
        )
        .await;
    browser.click("form#comment-form [type=submit]").await;
    browser.wait("ol#comments > li").await;
    browser
        .make("resolve", &[("resolution", "已协调供电公司完成增容。")])
        .await;
    browser.ticket_in(id, "resolved").await;
    let stored = ticket_of(app, &admin, id).await;
    assert_eq!(stored["status"], "resolved");
    assert_eq!(stored["resolution"], "已协调供电公司完成增容。");
    // The workbench on a phone: nothing wider than the screen.
    browser.open("#/queue").await;
    browser.wait(".ticket-row").await;
    assert!(
        browser.fits_a_phone("workbench-phone").await,
        "the workbench fits a 375 px screen"
    );
    browser.logout().await;

    // An enterprise files a demand, and confirms its resolution with a rating.
    let staff = "ent.411602.001";
    browser.login(staff).await;
    browser.open("#/portal").await;
    browser.accessible("the enterprise portal").await;
    browser.click("a#new-demand").await;
    browser
        .wait("form#demand-form select[name=category] option[value=\"energy\"]")
        .await;
    browser
        .wait("form#demand-form select[name=category]")
        .await
        .select_by_value("energy")
        .await
        .unwrap();
    browser
        .fill("form#demand-form input[name=title]", "新厂区用电增容")
        .await;
    browser
        .fill(
            "form#demand-form textarea[name=description]",
            "新生产线投产，需增容至1250千伏安。",
        )
        .await;
    browser.shot("portal-new-demand").await;
    browser.click("form#demand-form [type=submit]").await;
    let page = browser.wait("#ticket[data-id]").await;
    let filed: i64 = page
        .attr("data-id")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let ticket = ticket_of(app, &admin, filed).await;
    assert_eq!(ticket["title"], "新厂区用电增容");
    let assignee = username_of(app, &admin, &ticket["assignee_id"]).await;
    let cadre = token(app, &assignee).await;
    for (action, body) in [
        ("accept", json!({})),
        ("resolve", json!({"resolution": "已完成增容。"})),
    ] {
        let path = format!("/api/v1/tickets/{filed}/{action}");
        app.call(Method::POST, &path, Some(&cadre), Some(body), 200)
            .await;
    }
    // The page shows the ticket as it was: read it again.
    browser.client.refresh().await.unwrap();
    browser.ticket_in(filed, "resolved").await;
    browser.make("confirm", &[("rating", "5")]).await;
    browser.ticket_in(filed, "closed").await;
    browser.shot("portal-confirmed").await;
    let ticket = ticket_of(app, &admin, filed).await;
    assert_eq!(
        (ticket["status"].as_str(), ticket["rating"].as_i64()),
        (Some("closed"), Some(5))
    );
    browser.logout().await;

    // A supervisor of another city reaches no Zhoukou data through the app.
    browser.login("sup.410100").await;
    browser.open(&format!("#/ticket/{red_id}")).await;
    browser.wait("[role=alert]").await;
    assert!(
        browser.gone("#ticket[data-status]").await && browser.gone("ol#events").await,
        "a foreign ticket is shown"
    );
    browser.open("#/map?region=411600").await;
    browser.wait("[role=alert]").await;
    assert!(
        browser.gone(".area-tile[data-region^=\"4116\"]").await,
        "a foreign map is shown"
    );
    browser.shot("foreign-refused").await;
    browser.logout().await;

    // The administrator manages the programme: a new cadre, the enterprises and their
    // cadres, the categories' clocks, the calendar, the monthly report.
    browser.login("demo.admin").await;
    browser.open("#/users").await;
    browser
        .fill("form#user-form input[name=username]", "cadre.web.001")
        .await;
    browser
        .fill("form#user-form input[name=display_name]", "网页测试")
        .await;
    browser
        .wait("form#user-form select[name=role]")
        .await
        .select_by_value("cadre")
        .await
        .unwrap();
    browser
        .fill("form#user-form input[name=region_code]", "411602")
        .await;
    browser
        .fill("form#user-form input[name=password]", "first-password-001")
        .await;
    browser.click("form#user-form [type=submit]").await;
    browser.wait("[role=status]").await;
    browser.wait("tr.user-row[data-id]").await;
    browser.shot("users").await;
    browser.accessible("the users page").await;
    app.login("cadre.web.001", "first-password-001").await;
    browser.open("#/enterprises").await;
    browser.wait("tr.enterprise-row[data-id]").await;
    browser.accessible("the enterprises page").await;
    browser.open("#/categories").await;
    browser.wait("tr.category-row[data-code=\"energy\"]").await;
    browser.open("#/calendar").await;
    browser.wait(".cal-day[data-date]").await;
    browser.shot("calendar").await;
    browser.accessible("the calendar").await;
    browser.open("#/reports").await;
    browser.wait("#monthly-report").await;
    browser.logout().await;
    // The new cadre changes their password and stays signed in.
    browser
        .login_with("cadre.web.001", "first-password-001")
        .await;
    browser.open("#/account").await;
    browser
        .fill(
            "form#password-form input[name=current_password]",
            "first-password-001",
        )
        .await;
    browser
        .fill(
            "form#password-form input[name=new_password]",
            "second-password-002",
        )
        .await;
    browser
        .fill(
            "form#password-form input[name=new_password_again]",
            "second-password-002",
        )
        .await;
    browser.click("form#password-form [type=submit]").await;
    browser.wait("[role=status]").await;
    app.login("cadre.web.001", "second-password-002").await;
    browser.logout().await;

    let roster = coordination_in_the_browser(app, &browser, &admin).await;
    workload_in_the_browser(app, &browser, &admin, roster).await;

    // The API's interactive documentation, from the server's own openapi.yaml.
    browser.open("docs").await;
    browser.wait("#swagger-ui .info .title").await;
    browser
        .wait("#swagger-ui .opblock-tag[data-tag=\"tickets\"]")
        .await;
    browser.shot("docs").await;
    browser.end().await;
}

both_backends!(each_role_does_its_work_in_the_browser);
