//! Demo tickets: spread over the past year, in every state of the lifecycle, with realistic
//! categories, some escalated, some overdue. Each is written with its events and its share of
//! the statistics counters, exactly as the service would have written them, so `verify-stats`
//! holds on a demo database too. Written in batches of multi-row inserts.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::rng::Rng;
use crate::db::categories::{self, Category};
use crate::db::schema::{enterprise_cadres, enterprises, ticket_events, tickets, users};
use crate::db::stats::{self, CounterRow, WarningRow};
use crate::db::{DbConnection, DbError};
use crate::domain::region::{CodeRange, RegionCode, RegionLevel};
use crate::domain::sla::{self, Thresholds, Warning};
use crate::domain::stats::{Counters, Month, TicketFacts, WarningCounts};
use crate::domain::ticket::{Priority, Status};
use crate::domain::time::Tz;

/// Rows per multi-row insert: well under SQLite's and PostgreSQL's bind-parameter limits.
const BATCH: usize = 1_000;

/// A title per category, with the details an enterprise would give.
const DEMANDS: &[(&str, &str, &str)] = &[
    (
        "policy",
        "申请兑现技术改造补贴",
        "我公司去年完成生产线智能化改造，投资约800万元，申请兑现市级技改补贴。",
    ),
    (
        "land",
        "新厂房用地指标申请",
        "计划扩建生产线，需新增工业用地约20亩，请协助协调用地指标。",
    ),
    (
        "energy",
        "增容用电报装",
        "新设备投产后用电负荷增加，需将变压器由630千伏安增容至1250千伏安。",
    ),
    (
        "finance",
        "流动资金贷款对接",
        "原材料采购资金紧张，希望对接银行办理500万元流动资金贷款。",
    ),
    (
        "employment",
        "招聘熟练技工",
        "旺季订单增加，需招聘焊工、电工等熟练技工约30人。",
    ),
    (
        "approval",
        "环评审批加快办理",
        "扩建项目环评报告已提交，请协助加快审批进度。",
    ),
    (
        "market",
        "参加产品展销会",
        "希望参加省级农产品展销会，拓展销售渠道。",
    ),
    (
        "infrastructure",
        "厂区道路硬化",
        "厂区门前道路破损严重，影响货车通行，请协调维修。",
    ),
    (
        "legal",
        "合同纠纷法律咨询",
        "与外地客户发生货款纠纷，需要法律咨询和调解服务。",
    ),
    (
        "other",
        "企业人才公寓申请",
        "为引进技术人员，申请园区人才公寓若干套。",
    ),
];

/// Who can be assigned where: an enterprise's primary cadre, and cadres by region.
struct Cast {
    enterprises: Vec<(i64, String, Option<i64>)>,
    cadres_by_region: BTreeMap<String, Vec<i64>>,
}

fn cast(conn: &mut DbConnection, range: &CodeRange) -> Result<Cast, DbError> {
    let primary = enterprise_cadres::table.on(enterprise_cadres::enterprise_id
        .eq(enterprises::id)
        .and(enterprise_cadres::is_primary.eq(true)));
    let enterprises = enterprises::table
        .left_join(primary)
        .filter(enterprises::county_code.between(range.first.clone(), range.last.clone()))
        .filter(enterprises::active.eq(true))
        .order(enterprises::id)
        .select((
            enterprises::id,
            enterprises::county_code,
            enterprise_cadres::user_id.nullable(),
        ))
        .load(conn)?;
    let mut cadres_by_region: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let cadres: Vec<(i64, Option<String>)> = users::table
        .filter(users::role.eq("cadre"))
        .filter(users::active.eq(true))
        .select((users::id, users::region_code))
        .load(conn)?;
    for (id, region) in cadres {
        if let Some(region) = region {
            cadres_by_region.entry(region).or_default().push(id);
        }
    }
    Ok(Cast {
        enterprises,
        cadres_by_region,
    })
}

/// One event of a generated ticket: actor, action, from and to status, and when.
type Step = (
    Option<i64>,
    &'static str,
    Option<&'static str>,
    &'static str,
    NaiveDateTime,
);

/// One generated ticket: its row and its events.
struct Generated {
    row: TicketRow,
    events: Vec<Step>,
}

#[derive(Insertable)]
#[diesel(table_name = tickets)]
struct TicketRow {
    id: i64,
    enterprise_id: i64,
    county_code: String,
    category: String,
    priority: String,
    title: String,
    description: String,
    status: String,
    level: String,
    assignee_id: Option<i64>,
    filed_by: i64,
    response_due_at: NaiveDateTime,
    due_at: NaiveDateTime,
    yellow_at: NaiveDateTime,
    orange_at: NaiveDateTime,
    red_at: NaiveDateTime,
    first_response_at: Option<NaiveDateTime>,
    first_resolved_at: Option<NaiveDateTime>,
    resolved_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    resolution: Option<String>,
    rating: Option<i32>,
    reopen_count: i32,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    counted_warning: Option<String>,
    counted_until: Option<NaiveDateTime>,
    filed_month: String,
}

fn hours(h: f64) -> TimeDelta {
    TimeDelta::seconds((h * 3600.0) as i64)
}

/// A random fraction in [lo, hi).
fn fraction(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * (rng.below(10_000) as f64 / 10_000.0)
}

fn generate(
    rng: &mut Rng,
    id: i64,
    cast: &Cast,
    categories: &[Category],
    filer: i64,
    now: NaiveDateTime,
    tz: Tz,
) -> Generated {
    let (enterprise_id, county, primary) =
        cast.enterprises[rng.below(cast.enterprises.len())].clone();
    let (code, title, description) = DEMANDS[rng.below(DEMANDS.len())];
    let category = categories
        .iter()
        .find(|c| c.code == code)
        .unwrap_or(&categories[0]);
    let priority = if rng.chance(15) {
        Priority::Urgent
    } else {
        Priority::Normal
    };
    let created = now - hours(fraction(rng, 1.0, 365.0 * 24.0));
    let d = sla::deadlines(created, category.sla(priority), Thresholds::default());
    let window = (d.due_at - created).num_seconds() as f64 / 3600.0;
    let county_code = RegionCode::parse(&county).expect("stored codes are valid");
    let at_level = |level: RegionLevel| -> Option<i64> {
        let region = county_code.ancestor_at(level);
        let ids = cast.cadres_by_region.get(region.as_str())?;
        Some(ids[(id as usize) % ids.len()])
    };
    let mut events = vec![];
    let mut status = Status::Submitted;
    let mut level = RegionLevel::County;
    let mut assignee = primary;
    let (mut first_response, mut resolved_at, mut closed_at, mut rating, mut resolution) =
        (None, None, None, None, None);
    let mut clock = created;
    let mut step = |rng: &mut Rng, share_of_window: (f64, f64)| {
        clock += hours(window * fraction(rng, share_of_window.0, share_of_window.1));
        clock
    };
    let initial = if assignee.is_some() {
        Status::Assigned
    } else {
        Status::Submitted
    };
    events.push((Some(filer), "file", None, initial.as_str(), created));
    status = if assignee.is_some() {
        Status::Assigned
    } else {
        status
    };
    let withdraws = rng.chance(5);
    let escalates = rng.chance(12);
    // A backlog: some recent tickets stall before resolution, so warnings of every colour show.
    let stalls = created > now - TimeDelta::days(30) && rng.chance(12);
    // Walk the ticket through its life until the next step would lie in the future.
    'life: {
        if assignee.is_none() {
            let at = step(rng, (0.01, 0.1));
            let Some(cadre) = at_level(level).filter(|_| at < now) else {
                break 'life;
            };
            events.push((None, "assign", Some(status.as_str()), "assigned", at));
            (assignee, status) = (Some(cadre), Status::Assigned);
        }
        if withdraws {
            let at = step(rng, (0.05, 0.3));
            if at >= now {
                break 'life;
            }
            events.push((
                Some(filer),
                "withdraw",
                Some(status.as_str()),
                "withdrawn",
                at,
            ));
            status = Status::Withdrawn;
            break 'life;
        }
        let at = step(rng, (0.01, 0.12));
        if at >= now {
            break 'life;
        }
        events.push((assignee, "accept", Some(status.as_str()), "in_progress", at));
        (status, first_response) = (Status::InProgress, Some(at));
        if escalates {
            let at = step(rng, (0.05, 0.2));
            if at >= now {
                break 'life;
            }
            let up = county_code.tier_above(level).unwrap_or(level);
            events.push((assignee, "escalate", Some(status.as_str()), "submitted", at));
            (status, level, assignee) = (Status::Submitted, up, None);
            if stalls {
                // Waiting for dispatch at the level above.
                break 'life;
            }
            let at = step(rng, (0.01, 0.1));
            let Some(cadre) = at_level(level).filter(|_| at < now) else {
                break 'life;
            };
            events.push((None, "assign", Some(status.as_str()), "assigned", at));
            (status, assignee) = (Status::Assigned, Some(cadre));
            let at = step(rng, (0.01, 0.1));
            if at >= now {
                break 'life;
            }
            events.push((assignee, "accept", Some(status.as_str()), "in_progress", at));
            status = Status::InProgress;
        }
        if stalls {
            break 'life;
        }
        // Most are resolved well in time; about one in six runs past its due time.
        let late = rng.chance(16);
        let at = step(rng, (0.1, if late { 1.6 } else { 0.7 }));
        if at >= now {
            break 'life;
        }
        events.push((assignee, "resolve", Some(status.as_str()), "resolved", at));
        (status, resolved_at, resolution) =
            (Status::Resolved, Some(at), Some("已协调办结。".to_owned()));
        let slow = rng.chance(10);
        let at = clock + hours(fraction(rng, 2.0, if slow { 200.0 } else { 100.0 }));
        if at >= now {
            break 'life;
        }
        if at - resolved_at.unwrap_or(at) > TimeDelta::days(7) {
            let auto = resolved_at.unwrap_or(at) + TimeDelta::days(7);
            events.push((None, "auto_close", Some(status.as_str()), "closed", auto));
            (status, closed_at) = (Status::Closed, Some(auto));
        } else {
            events.push((Some(filer), "confirm", Some(status.as_str()), "closed", at));
            (status, closed_at, rating) = (Status::Closed, Some(at), Some(3 + rng.below(3) as i32));
        }
    }
    let updated = events.last().map_or(created, |e| e.4);
    let counted = sla::counted(status.is_open(), now, &d);
    Generated {
        events,
        row: TicketRow {
            id,
            enterprise_id,
            county_code: county,
            category: category.code.clone(),
            priority: priority.as_str().to_owned(),
            title: title.to_owned(),
            description: description.to_owned(),
            status: status.as_str().to_owned(),
            level: level.as_str().to_owned(),
            assignee_id: assignee,
            filed_by: filer,
            response_due_at: d.response_due_at,
            due_at: d.due_at,
            yellow_at: d.yellow_at,
            orange_at: d.orange_at,
            red_at: d.red_at,
            first_response_at: first_response,
            first_resolved_at: resolved_at,
            resolved_at,
            closed_at,
            resolution,
            rating,
            reopen_count: 0,
            version: 1,
            created_at: created,
            updated_at: updated,
            counted_warning: counted.warning.map(|w| w.as_str().to_owned()),
            counted_until: counted.until,
            filed_month: Month::of(created, tz).to_string(),
        },
    }
}

/// Writes `count` tickets for the enterprises inside `region`; none when it already has some
/// (so running the demo again changes nothing). Returns how many were written.
pub fn fill(
    conn: &mut DbConnection,
    region: &RegionCode,
    count: usize,
    filer: i64,
    seed: u64,
    now: NaiveDateTime,
    tz: Tz,
) -> Result<usize, DbError> {
    let range = region.subtree();
    let existing: i64 = tickets::table
        .filter(tickets::county_code.between(range.first.clone(), range.last.clone()))
        .count()
        .get_result(conn)?;
    let cast = cast(conn, &range)?;
    if existing > 0 || count == 0 || cast.enterprises.is_empty() {
        return Ok(0);
    }
    let categories = categories::list(conn)?;
    let first_id = tickets::table
        .select(diesel::dsl::max(tickets::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut rng = Rng::new(seed ^ 0x7469_636b_6574);
    let mut counters: BTreeMap<stats::Key, Counters> = BTreeMap::new();
    let mut colours: BTreeMap<(String, String), WarningCounts> = BTreeMap::new();
    for start in (0..count).step_by(BATCH) {
        let batch: Vec<Generated> = (start..count.min(start + BATCH))
            .map(|i| {
                generate(
                    &mut rng,
                    first_id + i as i64,
                    &cast,
                    &categories,
                    filer,
                    now,
                    tz,
                )
            })
            .collect();
        let mut rows = Vec::with_capacity(batch.len());
        let mut events = Vec::new();
        for g in batch {
            let r = &g.row;
            let facts = TicketFacts {
                status: Status::parse(&r.status).expect("generated statuses are valid"),
                created_at: r.created_at,
                due_at: r.due_at,
                first_resolved_at: r.first_resolved_at,
                rating: r.rating,
            };
            let counts = Counters::of(&facts);
            let month = Month::of(r.created_at, tz);
            for key in stats::Key::all_of(&r.county_code, &r.category, month) {
                let entry = counters.entry(key).or_default();
                *entry = *entry + counts;
            }
            let colour = r.counted_warning.as_deref().and_then(Warning::parse);
            for category in [r.category.as_str(), stats::ALL_CATEGORIES] {
                let entry = colours
                    .entry((category.to_owned(), r.county_code.clone()))
                    .or_default();
                *entry = *entry + WarningCounts::of(colour);
            }
            for (actor, action, from, to, at) in &g.events {
                events.push((
                    ticket_events::ticket_id.eq(r.id),
                    ticket_events::actor_id.eq(*actor),
                    ticket_events::action.eq(*action),
                    ticket_events::from_status.eq(*from),
                    ticket_events::to_status.eq(Some(*to)),
                    ticket_events::details.eq("{}"),
                    ticket_events::internal.eq(false),
                    ticket_events::created_at.eq(*at),
                ));
            }
            rows.push(g.row);
        }
        let insert = diesel::insert_into(tickets::table).values(&rows);
        crate::on_backend!(conn, |c| insert.execute(c))?;
        for chunk in events.chunks(BATCH) {
            let insert = diesel::insert_into(ticket_events::table).values(chunk);
            crate::on_backend!(conn, |c| insert.execute(c))?;
        }
    }
    // Bring PostgreSQL's id sequence past the ids given here (SQLite follows by itself).
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query(
            "SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT MAX(id) FROM tickets))",
        )
        .execute(pg)?;
    }
    let rows = counters
        .into_iter()
        .map(|(key, c)| CounterRow::new(key, 0, c));
    in_batches(rows, |batch| stats::add(conn, batch))?;
    let rows = colours
        .into_iter()
        .filter(|(_, w)| !w.is_zero())
        .map(|((category, county), w)| WarningRow::new(&category, &county, w));
    in_batches(rows, |batch| stats::add_warnings(conn, batch))?;
    Ok(count)
}

/// Hands `rows` to `write` [`BATCH`] at a time.
fn in_batches<T>(
    rows: impl Iterator<Item = T>,
    mut write: impl FnMut(Vec<T>) -> Result<(), DbError>,
) -> Result<(), DbError> {
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        write(rows.by_ref().take(BATCH).collect())?;
    }
    Ok(())
}
