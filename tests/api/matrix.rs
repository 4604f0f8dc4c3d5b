//! Who may call what: every endpoint against every kind of caller, in one table, so a hole in
//! the policy shows up as one wrong cell among all the right ones.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{World, client_token, id, new_client, person, valid_uscc};
use crate::helpers::TestApp;

/// The callers, in column order.
const COLUMNS: [&str; 9] = [
    "admin",
    "sup_own",
    "sup_foreign",
    "cadre",
    // A cadre of Zhoukou (411600) assisting (协办) every ticket of E1 the table makes.
    "helper",
    "staff1",
    "staff2",
    "client1",
    "anonymous",
];

struct Row {
    what: &'static str,
    method: Method,
    /// With placeholders: {E1} {E2} {cadre} {staff1} {staff2} {admin}, {client} (a client of
    /// E1 made for this cell alone), {n} (a number unique to this cell) and {last_month}
    /// (frozen by the periodic job before the first cell).
    path: &'static str,
    body: Option<Value>,
    expected: [u16; 9],
}

fn row(
    expected: [u16; 9],
    what: &'static str,
    method: Method,
    path: &'static str,
    body: Option<Value>,
) -> Row {
    Row {
        what,
        method,
        path,
        body,
        expected,
    }
}

#[rustfmt::skip] // a table reads best as one
fn rows() -> Vec<Row> {
    use Method as M;
    let name = || Some(json!({"display_name": "renamed"}));
    let user = |role: &str, extra: Value| {
        let mut body = json!({"username": "matrix.{n}", "password": "matrix-password-01", "role": role});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        Some(body)
    };
    let enterprise = |county: &str| Some(json!({"name": "M{n}", "uscc": "{uscc}", "county_code": county}));
    let client = || Some(json!({"name": "matrix"}));
    let rename = || Some(json!({"name": "renamed"}));
    let csv = |text: &str| Some(Value::String(text.to_owned()));
    //       adm  own  frn  cdr  hlp  st1  st2  cli  anon   (the COLUMNS)
    vec![
        row([200, 200, 200, 200, 200, 200, 200, 200, 200], "list problem types (public)", M::GET, "/problems", None),
        row([200, 200, 200, 200, 200, 200, 200, 200, 200], "describe a problem type (public)", M::GET, "/problems/not-found", None),
        row([200, 200, 200, 200, 200, 200, 200, 200, 200], "list regions (public)", M::GET, "/api/v1/regions?parent=411600", None),
        row([200, 200, 200, 200, 200, 200, 200, 200, 200], "read a region (public)", M::GET, "/api/v1/regions/411602", None),
        row([200, 200, 200, 200, 200, 200, 200, 200, 401], "who am I", M::GET, "/api/v1/me", None),
        row([200, 200, 200, 403, 403, 403, 403, 403, 401], "list users", M::GET, "/api/v1/users", None),
        row([200, 200, 404, 200, 404, 404, 404, 404, 401], "read the cadre", M::GET, "/api/v1/users/{cadre}", None),
        row([200, 200, 404, 404, 404, 200, 404, 404, 401], "read E1's staff", M::GET, "/api/v1/users/{staff1}", None),
        row([200, 404, 200, 404, 404, 404, 200, 404, 401], "read E2's staff", M::GET, "/api/v1/users/{staff2}", None),
        row([200, 404, 404, 404, 404, 404, 404, 404, 401], "read the admin", M::GET, "/api/v1/users/{admin}", None),
        row([200, 200, 404, 403, 404, 404, 404, 404, 401], "rename the cadre", M::PATCH, "/api/v1/users/{cadre}", name()),
        row([200, 404, 200, 404, 404, 404, 403, 404, 401], "rename E2's staff", M::PATCH, "/api/v1/users/{staff2}", name()),
        row([204, 204, 404, 403, 404, 404, 404, 404, 401], "unlock the cadre", M::POST, "/api/v1/users/{cadre}/unlock", None),
        row([204, 404, 404, 404, 404, 404, 404, 404, 401], "unlock the admin", M::POST, "/api/v1/users/{admin}/unlock", None),
        // A wrong current password: people may try (and are told so), clients have no password.
        row([422, 422, 422, 422, 422, 422, 422, 403, 401], "change my password", M::POST, "/api/v1/me/password", Some(json!({"current_password": "not-the-password", "new_password": "matrix-password-02"}))),
        row([201, 201, 403, 403, 403, 403, 403, 403, 401], "create a cadre in 411602", M::POST, "/api/v1/users", user("cadre", json!({"region_code": "411602"}))),
        row([201, 422, 201, 403, 403, 403, 403, 403, 401], "create E2 staff", M::POST, "/api/v1/users", user("enterprise", json!({"enterprise_id": "{E2}"}))),
        row([201, 403, 403, 403, 403, 403, 403, 403, 401], "create a supervisor", M::POST, "/api/v1/users", user("supervisor", json!({"region_code": "411602"}))),
        row([201, 201, 403, 403, 403, 403, 403, 403, 401], "create an enterprise in 411602", M::POST, "/api/v1/enterprises", enterprise("411602")),
        row([200, 200, 404, 404, 404, 200, 404, 200, 401], "read E1", M::GET, "/api/v1/enterprises/{E1}", None),
        row([200, 404, 200, 404, 404, 404, 200, 404, 401], "read E2", M::GET, "/api/v1/enterprises/{E2}", None),
        row([201, 201, 404, 404, 404, 201, 404, 403, 401], "create an E1 client", M::POST, "/api/v1/enterprises/{E1}/clients", client()),
        row([200, 200, 404, 404, 404, 200, 404, 403, 401], "list E1 clients", M::GET, "/api/v1/enterprises/{E1}/clients", None),
        row([200, 404, 200, 404, 404, 404, 200, 404, 401], "list E2 clients", M::GET, "/api/v1/enterprises/{E2}/clients", None),
        row([204, 204, 404, 404, 404, 204, 404, 403, 401], "revoke an E1 client", M::DELETE, "/api/v1/enterprises/{E1}/clients/{client}", None),
        row([200, 200, 200, 200, 200, 200, 200, 200, 401], "list enterprises", M::GET, "/api/v1/enterprises", None),
        row([200, 200, 404, 404, 404, 403, 404, 403, 401], "rename E1", M::PATCH, "/api/v1/enterprises/{E1}", rename()),
        row([200, 404, 200, 404, 404, 404, 403, 404, 401], "rename E2", M::PATCH, "/api/v1/enterprises/{E2}", rename()),
        row([200, 200, 404, 404, 404, 200, 404, 200, 401], "list E1's cadres", M::GET, "/api/v1/enterprises/{E1}/cadres", None),
        row([200, 200, 404, 404, 404, 403, 404, 403, 401], "clear E1's cadres", M::PUT, "/api/v1/enterprises/{E1}/cadres", Some(json!({"cadres": []}))),
        row([200, 200, 404, 200, 404, 404, 404, 404, 401], "list the cadre's enterprises", M::GET, "/api/v1/users/{cadre}/enterprises", None),
        // A string body is sent as a CSV file.
        row([200, 200, 422, 403, 403, 403, 403, 403, 401], "import an enterprise in 411602", M::POST, "/api/v1/imports/enterprises", csv("uscc,name,county_code\n{uscc},M{n},411602\n")),
        row([200, 200, 422, 403, 403, 403, 403, 403, 401], "import a department in 411602", M::POST, "/api/v1/imports/departments", csv("region_code,name\n411602,M{n}\n")),
        row([403, 403, 403, 403, 403, 201, 201, 201, 401], "file a ticket", M::POST, "/api/v1/tickets", Some(json!({"category": "land", "title": "t{n}", "description": "d"}))),
        row([200, 200, 200, 200, 200, 200, 200, 200, 401], "list tickets", M::GET, "/api/v1/tickets", None),
        row([200, 200, 404, 404, 200, 200, 404, 200, 401], "read E1's ticket", M::GET, "/api/v1/tickets/{ticket}", None),
        row([201, 201, 404, 404, 201, 201, 404, 201, 401], "comment on E1's ticket", M::POST, "/api/v1/tickets/{ticket}/comments", Some(json!({"body": "c{n}"}))),
        row([200, 200, 404, 404, 200, 200, 404, 200, 401], "list E1's ticket's comments", M::GET, "/api/v1/tickets/{ticket}/comments", None),
        row([200, 200, 404, 404, 200, 200, 404, 200, 401], "read E1's ticket's events", M::GET, "/api/v1/tickets/{ticket}/events", None),
        row([403, 403, 404, 404, 403, 403, 404, 403, 401], "accept E1's unassigned ticket", M::POST, "/api/v1/tickets/{ticket}/accept", Some(json!({}))),
        // {new} is a ticket of E1 filed for this cell alone, waiting for dispatch; {assigned} one
        // dispatched to the cadre. Moves the caller may make but not from that state answer 409.
        row([200, 200, 404, 404, 403, 403, 404, 403, 401], "assign E1's new ticket to the cadre", M::POST, "/api/v1/tickets/{new}/assign", Some(json!({"assignee_id": "{cadre}"}))),
        row([403, 409, 404, 404, 403, 403, 404, 403, 401], "escalate E1's new ticket", M::POST, "/api/v1/tickets/{new}/escalate", Some(json!({"reason": "r"}))),
        row([403, 403, 404, 404, 403, 403, 404, 403, 401], "resolve E1's new ticket", M::POST, "/api/v1/tickets/{new}/resolve", Some(json!({"resolution": "r"}))),
        row([403, 403, 404, 404, 403, 409, 404, 409, 401], "confirm E1's new ticket", M::POST, "/api/v1/tickets/{new}/confirm", Some(json!({"rating": 5}))),
        row([403, 403, 404, 404, 403, 409, 404, 409, 401], "reopen E1's new ticket", M::POST, "/api/v1/tickets/{new}/reopen", Some(json!({"reason": "r"}))),
        row([403, 403, 404, 404, 403, 200, 404, 200, 401], "withdraw E1's new ticket", M::POST, "/api/v1/tickets/{new}/withdraw", Some(json!({"reason": "r"}))),
        row([403, 403, 404, 200, 403, 403, 404, 403, 401], "accept E1's assigned ticket", M::POST, "/api/v1/tickets/{assigned}/accept", Some(json!({}))),
        row([403, 200, 404, 200, 403, 403, 404, 403, 401], "escalate E1's assigned ticket", M::POST, "/api/v1/tickets/{assigned}/escalate", Some(json!({"reason": "r"}))),
        row([403, 403, 404, 409, 403, 403, 404, 403, 401], "resolve E1's assigned ticket", M::POST, "/api/v1/tickets/{assigned}/resolve", Some(json!({"resolution": "r"}))),
        row([403, 403, 404, 409, 403, 403, 404, 403, 401], "ask about E1's assigned ticket", M::POST, "/api/v1/tickets/{assigned}/request-info", Some(json!({"question": "q"}))),
        row([403, 403, 404, 200, 403, 403, 404, 403, 401], "ask about E1's ticket in progress", M::POST, "/api/v1/tickets/{working}/request-info", Some(json!({"question": "q"}))),
        row([403, 403, 404, 403, 403, 409, 404, 409, 401], "answer on E1's ticket in progress", M::POST, "/api/v1/tickets/{working}/provide-info", Some(json!({"answer": "a"}))),
        row([403, 403, 404, 403, 403, 200, 404, 200, 401], "answer on E1's waiting ticket", M::POST, "/api/v1/tickets/{waiting}/provide-info", Some(json!({"answer": "a"}))),
        row([403, 403, 404, 403, 403, 200, 404, 200, 401], "withdraw E1's waiting ticket", M::POST, "/api/v1/tickets/{waiting}/withdraw", Some(json!({"reason": "r"}))),
        // Requests for more time: the assignee asks; a supervisor covering the county or an
        // admin decides, never the requester; {pending} is `{ticket}/extensions/{eid}` of a
        // request the cadre made on an assigned ticket of E1 for this cell alone.
        row([403, 403, 404, 201, 403, 403, 404, 403, 401], "ask for more time on E1's assigned ticket", M::POST, "/api/v1/tickets/{assigned}/extensions", Some(json!({"working_days": 1, "reason": "r"}))),
        row([200, 200, 404, 404, 200, 200, 404, 200, 401], "list E1's ticket's extensions", M::GET, "/api/v1/tickets/{ticket}/extensions", None),
        row([200, 200, 404, 403, 403, 403, 404, 403, 401], "approve more time on E1's ticket", M::POST, "/api/v1/tickets/{pending}/approve", Some(json!({}))),
        row([200, 200, 404, 403, 403, 403, 404, 403, 401], "reject more time on E1's ticket", M::POST, "/api/v1/tickets/{pending}/reject", Some(json!({"comment": "c"}))),
        row([200, 200, 200, 403, 403, 403, 403, 403, 401], "the approval queue", M::GET, "/api/v1/extensions?status=pending", None),
        row([200, 200, 404, 403, 403, 403, 403, 403, 401], "the approval queue of 411600", M::GET, "/api/v1/extensions?region=411600", None),
        // Coordination (SPEC section 10). {helper} assists every ticket of E1 the table makes;
        // {other} is a province cadre; {order} is `{ticket}/supervision/{sid}` of an open order
        // on an assigned ticket of E1 for this cell alone; {city} a ticket of E1 escalated to
        // Zhoukou's level; {dept} a department of 411602.
        row([200, 200, 200, 200, 200, 403, 403, 403, 401], "list departments", M::GET, "/api/v1/departments?region=411600", None),
        row([201, 201, 403, 403, 403, 403, 403, 403, 401], "create a department in 411602", M::POST, "/api/v1/departments", Some(json!({"region_code": "411602", "name": "D{n}", "categories": ["land"]}))),
        row([201, 403, 403, 403, 403, 403, 403, 403, 401], "create a department in 410000", M::POST, "/api/v1/departments", Some(json!({"region_code": "410000", "name": "D{n}"}))),
        row([200, 200, 200, 200, 200, 403, 403, 403, 401], "read a department of 411602", M::GET, "/api/v1/departments/{dept}", None),
        row([200, 200, 403, 403, 403, 403, 403, 403, 401], "change a department of 411602", M::PATCH, "/api/v1/departments/{dept}", Some(json!({"categories": ["land", "energy"]}))),
        row([200, 200, 200, 403, 403, 403, 403, 403, 401], "find users by name", M::GET, "/api/v1/users?q=cadre", None),
        row([200, 200, 404, 404, 403, 403, 404, 403, 401], "dispatch candidates of E1's new ticket", M::GET, "/api/v1/tickets/{new}/candidates", None),
        row([200, 200, 404, 404, 403, 403, 404, 403, 401], "delegation candidates of E1's city-level ticket", M::GET, "/api/v1/tickets/{city}/candidates?delegate=true", None),
        row([200, 200, 404, 404, 403, 403, 404, 403, 401], "hand E1's city-level ticket down to the cadre", M::POST, "/api/v1/tickets/{city}/assign", Some(json!({"assignee_id": "{cadre}", "delegate": true}))),
        row([403, 403, 404, 200, 403, 403, 404, 403, 401], "return E1's assigned ticket", M::POST, "/api/v1/tickets/{assigned}/return", Some(json!({"reason": "r"}))),
        row([200, 200, 404, 200, 403, 403, 404, 403, 401], "assisting candidates of E1's assigned ticket", M::GET, "/api/v1/tickets/{assigned}/candidates?assist=true", None),
        row([200, 200, 404, 404, 200, 403, 404, 403, 401], "list E1's ticket's assisting cadres", M::GET, "/api/v1/tickets/{ticket}/collaborators", None),
        row([201, 201, 404, 201, 403, 403, 404, 403, 401], "ask for help on E1's assigned ticket", M::POST, "/api/v1/tickets/{assigned}/collaborators", Some(json!({"user_id": "{other}", "task": "t"}))),
        row([403, 403, 404, 403, 200, 403, 404, 403, 401], "complete the helper's task", M::POST, "/api/v1/tickets/{assigned}/collaborators/{helper}/complete", Some(json!({"note": "n"}))),
        row([204, 204, 404, 204, 403, 403, 404, 403, 401], "remove the helper", M::DELETE, "/api/v1/tickets/{assigned}/collaborators/{helper}", None),
        row([200, 200, 200, 200, 200, 200, 200, 200, 401], "list the tickets I assist", M::GET, "/api/v1/tickets?collaborating=me", None),
        row([201, 201, 404, 403, 403, 403, 404, 403, 401], "supervise E1's assigned ticket", M::POST, "/api/v1/tickets/{assigned}/supervision", Some(json!({"instruction": "i"}))),
        row([200, 200, 404, 404, 200, 403, 404, 403, 401], "list E1's ticket's supervision orders", M::GET, "/api/v1/tickets/{ticket}/supervision", None),
        row([403, 403, 404, 200, 403, 403, 404, 403, 401], "answer a supervision order", M::POST, "/api/v1/tickets/{order}/respond", Some(json!({"response": "r"}))),
        row([200, 200, 200, 403, 403, 403, 403, 403, 401], "the supervision orders", M::GET, "/api/v1/supervision?status=open", None),
        row([200, 200, 404, 403, 403, 403, 403, 403, 401], "the supervision orders of 411600", M::GET, "/api/v1/supervision?region=411600", None),
        row([200, 200, 200, 200, 200, 200, 200, 200, 401], "list categories", M::GET, "/api/v1/categories", None),
        row([201, 403, 403, 403, 403, 403, 403, 403, 401], "create a category", M::POST, "/api/v1/categories", Some(json!({"code": "m{n}", "name": "M{n}"}))),
        row([200, 403, 403, 403, 403, 403, 403, 403, 401], "change a category's SLA", M::PATCH, "/api/v1/categories/other", Some(json!({"urgent_response_hours": 4}))),
        row([200, 200, 404, 403, 403, 403, 403, 403, 401], "statistics of 411600", M::GET, "/api/v1/stats?region=411600", None),
        row([200, 200, 404, 403, 403, 403, 403, 403, 401], "statistics of 411600 by month", M::GET, "/api/v1/stats/trend?region=411600", None),
        row([200, 200, 404, 403, 403, 403, 403, 403, 401], "statistics of 411600 by category", M::GET, "/api/v1/stats?region=411600&group_by=category", None),
        row([200, 404, 200, 403, 403, 403, 403, 403, 401], "statistics of 410100 by category", M::GET, "/api/v1/stats?region=410100&group_by=category", None),
        row([200, 200, 404, 403, 403, 403, 403, 403, 401], "the workload of 411600", M::GET, "/api/v1/stats/workload?region=411600", None),
        row([200, 404, 200, 403, 403, 403, 403, 403, 401], "the workload of 410100", M::GET, "/api/v1/stats/workload?region=410100", None),
        row([200, 404, 404, 403, 403, 403, 403, 403, 401], "the workload of 410000", M::GET, "/api/v1/stats/workload?region=410000", None),
        row([200, 200, 200, 403, 403, 403, 403, 403, 401], "the workload of the caller's region", M::GET, "/api/v1/stats/workload", None),
        row([200, 200, 404, 403, 403, 403, 403, 403, 401], "last month's frozen report of 411600", M::GET, "/api/v1/stats/monthly?region=411600&month={last_month}", None),
        row([200, 200, 200, 200, 200, 200, 200, 200, 401], "read a year of the calendar", M::GET, "/api/v1/calendar/2026", None),
        row([200, 403, 403, 403, 403, 403, 403, 403, 401], "replace a year of the calendar", M::PUT, "/api/v1/calendar/2030", Some(json!({"days": [{"date": "2030-01-01", "kind": "holiday", "name": "元旦"}]}))),
    ]
}

/// How far a ticket of E1 has come.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Stage {
    New,
    Assigned,
    /// Accepted by the cadre.
    Working,
    /// The cadre asked the enterprise a question.
    Waiting,
}

/// A ticket filed by E1's staff (E1 has no paired cadre, so it waits for dispatch), with
/// `helper` assisting, taken to `stage` with the cadre as its assignee; its id.
async fn ticket_of_e1(app: &TestApp, w: &World, helper: &Value, stage: Stage) -> String {
    let filing = json!({"category": "land", "title": "matrix", "description": "d"});
    let ticket = app
        .call(
            Method::POST,
            "/api/v1/tickets",
            Some(&w.staff1.token),
            Some(filing),
            201,
        )
        .await;
    app.post(&format!("/api/v1/tickets/{}/collaborators", id(&ticket)))
        .as_(&w.admin)
        .json(json!({"user_id": helper["id"], "task": "matrix"}))
        .expect(201)
        .await;
    let moves = [
        (
            Stage::Assigned,
            "assign",
            &w.admin,
            json!({"assignee_id": w.cadre.user["id"]}),
        ),
        (Stage::Working, "accept", &w.cadre.token, json!({})),
        (
            Stage::Waiting,
            "request-info",
            &w.cadre.token,
            json!({"question": "q"}),
        ),
    ];
    for (reached, action, token, body) in moves {
        if stage >= reached {
            let path = format!("/api/v1/tickets/{}/{action}", id(&ticket));
            app.call(Method::POST, &path, Some(token), Some(body), 200)
                .await;
        }
    }
    id(&ticket)
}

async fn every_caller_gets_exactly_its_rights(app: &TestApp) {
    let w = World::build(app).await;
    let region = |code: &str| json!({ "region_code": code });
    let helper = person(app, &w.admin, "cadre.helper", "cadre", region("411600")).await;
    let other = person(app, &w.admin, "cadre.other", "cadre", region("410000")).await;
    let dept = app
        .post("/api/v1/departments")
        .as_(&w.admin)
        .json(json!({"region_code": "411602", "name": "川汇区自然资源局", "categories": ["land"]}))
        .expect(201)
        .await;
    let client1 = new_client(app, &w.admin, &w.e1).await;
    let ticket = ticket_of_e1(app, &w, &helper.user, Stage::New).await;
    let now = enterprise_assist::clock::Clock::now(app.clock.as_ref());
    enterprise_assist::jobs::run_once(&app.state, now)
        .await
        .unwrap();
    let last_month = enterprise_assist::domain::rollup::Month::of(now, app.timezone).previous();
    let tokens: [Option<String>; 9] = [
        Some(w.admin.clone()),
        Some(w.sup_own.token.clone()),
        Some(w.sup_foreign.token.clone()),
        Some(w.cadre.token.clone()),
        Some(helper.token.clone()),
        Some(w.staff1.token.clone()),
        Some(w.staff2.token.clone()),
        Some(client_token(app, &client1).await),
        None,
    ];
    let ids = [
        ("{E1}", id(&w.e1)),
        ("{E2}", id(&w.e2)),
        ("{cadre}", w.cadre.id()),
        ("{helper}", helper.id()),
        ("{other}", other.id()),
        ("{dept}", id(&dept)),
        ("{staff1}", w.staff1.id()),
        ("{staff2}", w.staff2.id()),
        ("{admin}", w.admin_id.clone()),
        ("{ticket}", ticket),
        ("{last_month}", last_month.to_string()),
    ];

    let rows = rows();
    let mut wrong = Vec::new();
    let mut cell: u32 = 0;
    for row in &rows {
        for (column, token) in tokens.iter().enumerate() {
            cell += 1;
            let fill = |text: &str| {
                let mut text = text.replace("{n}", &cell.to_string());
                text = text.replace("{uscc}", &valid_uscc(1000 + cell));
                for (placeholder, value) in &ids {
                    // Ids in a JSON body are numbers: drop the quotes around the placeholder.
                    text = text.replace(&format!("\"{placeholder}\""), value);
                    text = text.replace(placeholder, value);
                }
                text
            };
            let mut path = fill(row.path);
            if path.contains("{client}") {
                let victim = new_client(app, &w.admin, &w.e1).await;
                path = path.replace("{client}", victim["client_id"].as_str().unwrap());
            }
            if path.contains("{order}") {
                let ticket = ticket_of_e1(app, &w, &helper.user, Stage::Assigned).await;
                let order = app
                    .post(&format!("/api/v1/tickets/{ticket}/supervision"))
                    .as_(&w.admin)
                    .json(json!({"instruction": "matrix"}))
                    .expect(201)
                    .await;
                path = path.replace("{order}", &format!("{ticket}/supervision/{}", id(&order)));
            }
            if path.contains("{city}") {
                let ticket = ticket_of_e1(app, &w, &helper.user, Stage::Assigned).await;
                app.post(&format!("/api/v1/tickets/{ticket}/escalate"))
                    .as_(&w.cadre.token)
                    .json(json!({"reason": "matrix"}))
                    .expect(200)
                    .await;
                path = path.replace("{city}", &ticket);
            }
            if path.contains("{pending}") {
                let ticket = ticket_of_e1(app, &w, &helper.user, Stage::Assigned).await;
                let asked = app
                    .post(&format!("/api/v1/tickets/{ticket}/extensions"))
                    .as_(&w.cadre.token)
                    .json(json!({"working_days": 1, "reason": "matrix"}))
                    .expect(201)
                    .await;
                path = path.replace("{pending}", &format!("{ticket}/extensions/{}", id(&asked)));
            }
            let stages = [
                ("{new}", Stage::New),
                ("{assigned}", Stage::Assigned),
                ("{working}", Stage::Working),
                ("{waiting}", Stage::Waiting),
            ];
            for (placeholder, stage) in stages {
                if path.contains(placeholder) {
                    let ticket = ticket_of_e1(app, &w, &helper.user, stage).await;
                    path = path.replace(placeholder, &ticket);
                }
            }
            let body: Option<Value> = row
                .body
                .as_ref()
                .map(|b| serde_json::from_str(&fill(&b.to_string())).unwrap());
            let response = match &body {
                Some(Value::String(csv)) => app.post_csv(&path, token.as_deref(), csv).await,
                _ => {
                    app.request(row.method.clone(), &path, token.as_deref(), body.as_ref())
                        .await
                }
            };
            let status = response.status().as_u16();
            let expected = row.expected[column];
            let text = response.text().await.unwrap_or_default();
            if status != expected {
                wrong.push(format!(
                    "{} as {}: expected {expected}, got {status}: {text}",
                    row.what, COLUMNS[column]
                ));
            } else if status >= 400 {
                // A denial is a problem document saying the same status, not a bare code.
                let problem: Value = serde_json::from_str(&text).unwrap_or_default();
                if problem["status"] != status {
                    wrong.push(format!("{} as {}: body {text}", row.what, COLUMNS[column]));
                }
            }
        }
    }
    println!(
        "authorization matrix: {} rows × {} columns",
        rows.len(),
        COLUMNS.len()
    );
    assert!(
        wrong.is_empty(),
        "{} wrong cells:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

both_backends!(every_caller_gets_exactly_its_rights);
