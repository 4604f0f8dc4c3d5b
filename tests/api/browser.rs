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

/// The journeys of SPEC section 13 and issue 15, one browser session, one role after another.
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
    // the browser as a file (the Blob is caught on its way to the download link).
    browser
        .client
        .execute(
            "window.__csv = [];
             const make = URL.createObjectURL.bind(URL);
             URL.createObjectURL = (blob) => { window.__csv.push(blob); return make(blob); };",
            vec![],
        )
        .await
        .unwrap();
    browser.click("a.csv-download").await;
    let csv = browser
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
    let csv = csv.as_str().unwrap();
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
    browser.client.set_window_size(375, 812).await.unwrap();
    browser.open("#/queue").await;
    browser.wait(".ticket-row").await;
    let fits = browser
        .client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    browser.shot("workbench-phone").await;
    assert_eq!(fits, json!(true), "the workbench fits a 375 px screen");
    browser.client.set_window_size(1400, 1000).await.unwrap();
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
