//! One demo ticket's life, generated: an enterprise files it, then it is assigned, accepted,
//! escalated, resolved, confirmed or closed on its own, each move through the ticket's state
//! machine ([`transition`]), until the next move would lie in the future. Pure: the caller
//! loads who can be assigned and writes what comes out.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::rng::Rng;
use crate::db::categories::Category;
use crate::db::schema::tickets;
use crate::db::tickets::next_breach_column;
use crate::domain::breach::{Breaches, ClockState};
use crate::domain::ids::{EnterpriseId, TicketId, UserId};
use crate::domain::region::RegionCode;
use crate::domain::rollup::Month;
use crate::domain::sla::{self, Clocks, Deadlines, Thresholds, Warning};
use crate::domain::ticket::{Action, Level, Priority, Status, transition};
use crate::domain::time::Tz;
use crate::domain::working_time::{DurationUnit, WorkingTime};

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

/// Who can be assigned where: each enterprise (id, county, primary cadre), and cadres by region.
pub struct Cast {
    pub enterprises: Vec<(EnterpriseId, RegionCode, Option<UserId>)>,
    pub cadres_by_region: BTreeMap<RegionCode, Vec<UserId>>,
}

/// One event of a generated ticket.
#[derive(Debug)]
pub struct Step {
    pub actor: Option<UserId>,
    pub action: Action,
    /// `None` for the filing.
    pub from: Option<Status>,
    pub to: Status,
    pub at: NaiveDateTime,
}

/// One generated ticket: its row and its events.
pub struct Generated {
    pub row: TicketRow,
    pub events: Vec<Step>,
}

#[derive(Insertable)]
#[diesel(table_name = tickets)]
pub struct TicketRow {
    pub id: TicketId,
    pub enterprise_id: EnterpriseId,
    pub county_code: RegionCode,
    pub category: String,
    pub priority: Priority,
    pub title: String,
    pub description: String,
    pub status: Status,
    pub level: Level,
    pub assignee_id: Option<UserId>,
    pub filed_by: UserId,
    pub response_due_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub yellow_at: NaiveDateTime,
    pub orange_at: NaiveDateTime,
    pub red_at: NaiveDateTime,
    pub first_response_at: Option<NaiveDateTime>,
    pub first_resolved_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub resolution: Option<String>,
    pub rating: Option<i32>,
    pub reopen_count: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub counted_warning: Option<Warning>,
    pub counted_until: Option<NaiveDateTime>,
    pub filed_month: String,
    pub feedback_sla: String,
    pub resolve_unit: DurationUnit,
    pub next_breach_at: NaiveDateTime,
    pub original_due_at: NaiveDateTime,
}

fn hours(h: f64) -> TimeDelta {
    TimeDelta::seconds((h * 3600.0) as i64)
}

/// A random fraction in [lo, hi).
fn fraction(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * (rng.below(10_000) as f64 / 10_000.0)
}

/// A ticket's life so far: where it is, and what happened to it.
struct Life<'a> {
    id: TicketId,
    cast: &'a Cast,
    county: RegionCode,
    filer: UserId,
    now: NaiveDateTime,
    /// The SLA window in hours, which the time between moves is a share of.
    window: f64,
    /// When the last move happened.
    clock: NaiveDateTime,
    status: Status,
    level: Level,
    assignee: Option<UserId>,
    first_response: Option<NaiveDateTime>,
    resolved_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    rating: Option<i32>,
    resolution: Option<String>,
    events: Vec<Step>,
}

impl Life<'_> {
    /// The moment a random share of the window after the last move, if it is past already.
    fn next(&mut self, rng: &mut Rng, share_of_window: (f64, f64)) -> Option<NaiveDateTime> {
        let share = fraction(rng, share_of_window.0, share_of_window.1);
        self.clock += hours(self.window * share);
        (self.clock < self.now).then_some(self.clock)
    }

    /// A cadre of the government at the ticket's level, if it has any.
    fn cadre(&self) -> Option<UserId> {
        let region = self.county.ancestor_at(self.level);
        let ids = self.cast.cadres_by_region.get(&region)?;
        Some(ids[(self.id.get() as usize) % ids.len()])
    }

    /// `action` by `actor` at `at`, as the state machine moves the ticket; nothing (`None`)
    /// when it allows no such move.
    fn act(&mut self, action: Action, actor: Option<UserId>, at: NaiveDateTime) -> Option<()> {
        let (to, level) = transition(action, self.status, self.level, &self.county).ok()?;
        self.events.push(Step {
            actor,
            action,
            from: Some(self.status),
            to,
            at,
        });
        (self.status, self.level) = (to, level);
        Some(())
    }

    /// Dispatch to a cadre at the ticket's level, when it has no assignee.
    fn assign(&mut self, rng: &mut Rng) -> Option<()> {
        let at = self.next(rng, (0.01, 0.1))?;
        let cadre = self.cadre()?;
        self.act(Action::Assign, None, at)?;
        self.assignee = Some(cadre);
        Some(())
    }

    /// The assignee takes the ticket on, a share of the window after the last move.
    fn accept(&mut self, rng: &mut Rng, share_of_window: (f64, f64)) -> Option<()> {
        let at = self.next(rng, share_of_window)?;
        self.act(Action::Accept, self.assignee, at)?;
        self.first_response.get_or_insert(at);
        Some(())
    }

    /// The walk through the lifecycle; it stops (`None`) where the next move lies in the future
    /// or the ticket waits. `withdraws`, `escalates` and `stalls` are drawn beforehand.
    fn live(
        &mut self,
        rng: &mut Rng,
        withdraws: bool,
        escalates: bool,
        stalls: bool,
    ) -> Option<()> {
        if self.assignee.is_none() {
            self.assign(rng)?;
        }
        if withdraws {
            let at = self.next(rng, (0.05, 0.3))?;
            return self.act(Action::Withdraw, Some(self.filer), at);
        }
        self.accept(rng, (0.01, 0.12))?;
        if escalates {
            let at = self.next(rng, (0.05, 0.2))?;
            self.act(Action::Escalate, self.assignee, at)?;
            self.assignee = None;
            if stalls {
                // Waiting for dispatch at the level above.
                return None;
            }
            self.assign(rng)?;
            self.accept(rng, (0.01, 0.1))?;
        }
        if stalls {
            return None;
        }
        // Most are resolved well in time; about one in six runs past its due time.
        let late = rng.chance(16);
        let at = self.next(rng, (0.1, if late { 1.6 } else { 0.7 }))?;
        self.act(Action::Resolve, self.assignee, at)?;
        (self.resolved_at, self.resolution) = (Some(at), Some("已协调办结。".to_owned()));
        self.settle(rng, at)
    }

    /// The enterprise confirms a resolution (and rates it), or it closes by itself a week on.
    fn settle(&mut self, rng: &mut Rng, resolved_at: NaiveDateTime) -> Option<()> {
        let slow = rng.chance(10);
        let at = self.clock + hours(fraction(rng, 2.0, if slow { 200.0 } else { 100.0 }));
        if at >= self.now {
            return None;
        }
        if at - resolved_at > TimeDelta::days(7) {
            let auto = resolved_at + TimeDelta::days(7);
            self.act(Action::AutoClose, None, auto)?;
            self.closed_at = Some(auto);
        } else {
            self.act(Action::Confirm, Some(self.filer), at)?;
            self.closed_at = Some(at);
            self.rating = Some(3 + rng.below(3) as i32);
        }
        Some(())
    }
}

/// What a ticket is about when it is filed.
struct Demand<'a> {
    enterprise_id: EnterpriseId,
    county: RegionCode,
    primary: Option<UserId>,
    category: &'a Category,
    title: &'static str,
    description: &'static str,
    priority: Priority,
    created: NaiveDateTime,
}

fn demand<'a>(
    rng: &mut Rng,
    cast: &Cast,
    categories: &'a [Category],
    now: NaiveDateTime,
) -> Demand<'a> {
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
    Demand {
        enterprise_id,
        county,
        primary,
        category,
        title,
        description,
        priority,
        created,
    }
}

/// Ticket `id`: filed by `filer` for a random enterprise of the cast, then lived until `now`.
pub fn generate(
    rng: &mut Rng,
    id: TicketId,
    cast: &Cast,
    categories: &[Category],
    filer: UserId,
    now: NaiveDateTime,
    reckoner: &WorkingTime,
) -> Generated {
    let tz = reckoner.tz();
    let demand = demand(rng, cast, categories, now);
    let created = demand.created;
    let clocks = demand.category.sla().clocks(demand.priority);
    let deadlines = sla::deadlines(created, &clocks, reckoner, Thresholds::default());
    // Filed to the primary cadre when there is one, as the service files.
    let status = if demand.primary.is_some() {
        Status::Assigned
    } else {
        Status::Submitted
    };
    let filing = Step {
        actor: Some(filer),
        action: Action::File,
        from: None,
        to: status,
        at: created,
    };
    let mut life = Life {
        id,
        cast,
        county: demand.county.clone(),
        filer,
        now,
        window: (deadlines.due_at - created).num_seconds() as f64 / 3600.0,
        clock: created,
        status,
        level: Level::County,
        assignee: demand.primary,
        first_response: None,
        resolved_at: None,
        closed_at: None,
        rating: None,
        resolution: None,
        events: vec![filing],
    };
    let withdraws = rng.chance(5);
    let escalates = rng.chance(12);
    // A backlog: some recent tickets stall before resolution, so warnings of every colour show.
    let stalls = created > now - TimeDelta::days(30) && rng.chance(12);
    life.live(rng, withdraws, escalates, stalls);
    Generated {
        row: row(&life, &demand, (&deadlines, &clocks), tz),
        events: life.events,
    }
}

/// The stored row of a ticket filed for `demand` as it is at the end of its `life`.
fn row(life: &Life, demand: &Demand, (d, clocks): (&Deadlines, &Clocks), tz: Tz) -> TicketRow {
    let created = demand.created;
    let counted = sla::counted(life.status.clocks_run(), life.now, d);
    TicketRow {
        id: life.id,
        enterprise_id: demand.enterprise_id,
        county_code: demand.county.clone(),
        category: demand.category.code.clone(),
        priority: demand.priority,
        title: demand.title.to_owned(),
        description: demand.description.to_owned(),
        status: life.status,
        level: life.level,
        assignee_id: life.assignee,
        filed_by: life.filer,
        response_due_at: d.response_due_at,
        due_at: d.due_at,
        yellow_at: d.yellow_at,
        orange_at: d.orange_at,
        red_at: d.red_at,
        first_response_at: life.first_response,
        first_resolved_at: life.resolved_at,
        resolved_at: life.resolved_at,
        closed_at: life.closed_at,
        resolution: life.resolution.clone(),
        rating: life.rating,
        reopen_count: 0,
        version: 1,
        created_at: created,
        updated_at: life.events.last().map_or(created, |e| e.at),
        counted_warning: counted.warning,
        counted_until: counted.until,
        filed_month: Month::of(created, tz).to_string(),
        feedback_sla: clocks.feedback.to_string(),
        resolve_unit: clocks.resolve.unit(),
        // Clocks it missed are left for the periodic job to record.
        next_breach_at: next_breach_column(&ClockState {
            status: life.status,
            response_due_at: d.response_due_at,
            first_response_at: life.first_response,
            due_at: d.due_at,
            feedback_due_at: None,
            breaches: Breaches::default(),
        }),
        original_due_at: d.due_at,
    }
}
