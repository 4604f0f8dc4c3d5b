//! One demo ticket's life, generated: an enterprise files it, then it is assigned (by the
//! level's supervisor, to a cadre whose department handles its category), returned to dispatch,
//! accepted, escalated and dispatched or delegated back down, helped by an assisting cadre
//! (协办), paused for the enterprise's documents, given more time, pressed by a supervision order
//! (督办) once overdue, resolved, confirmed or closed on its own, with the assignee's progress
//! feedback (some of it late) on the way; each move through the ticket's state machine
//! ([`transition`]) and its clocks ([`Timing`]), every missed clock recorded as the periodic job
//! records it, until the next move would lie in the future. Pure: the caller loads who can be
//! assigned and writes what comes out.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde_json::json;

use super::rng::Rng;
use crate::db::categories::Category;
use crate::db::schema::tickets;
use crate::db::tickets::next_breach_column;
use crate::domain::breach::{Breach, ClockState};
use crate::domain::ids::{EnterpriseId, TicketId, UserId};
use crate::domain::region::RegionCode;
use crate::domain::rollup::Month;
use crate::domain::sla::{self, Clocks, Thresholds, Warning};
use crate::domain::ticket::{Action, Level, Priority, Status, transition};
use crate::domain::time::{Tz, rfc3339};
use crate::domain::timing::{Move, Terms, Timing};
use crate::domain::working_time::{Duration, DurationUnit, WorkingTime};
use crate::services::supervision::default_respond_within;

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

/// Who can be assigned where: each enterprise (id, county, primary cadre), its staff account,
/// cadres by region, and a supervisor of each region.
pub struct Cast {
    pub enterprises: Vec<(EnterpriseId, RegionCode, Option<UserId>)>,
    pub staff: HashMap<EnterpriseId, UserId>,
    pub cadres_by_region: BTreeMap<RegionCode, Cadres>,
    pub supervisors: BTreeMap<RegionCode, UserId>,
}

/// The active cadres of one government, in id order: all of them, and by category those whose
/// department handles it.
#[derive(Default)]
pub struct Cadres {
    pub all: Vec<UserId>,
    pub handling: HashMap<String, Vec<UserId>>,
}

/// One event of a generated ticket.
#[derive(Debug)]
pub struct Step {
    pub actor: Option<UserId>,
    pub action: Action,
    /// `None` for the filing and for events that move nothing.
    pub from: Option<Status>,
    pub to: Option<Status>,
    pub at: NaiveDateTime,
    pub details: serde_json::Value,
    /// Coordination within the government, hidden from the enterprise.
    pub internal: bool,
    /// The ticket's comment, extension or supervision order (by index) the event is about,
    /// whose id is given when they are written.
    pub comment: Option<usize>,
    pub extension: Option<usize>,
    pub supervision: Option<usize>,
}

/// One comment of a generated ticket.
pub struct Said {
    pub author: UserId,
    pub body: &'static str,
    pub at: NaiveDateTime,
}

/// One request for more time of a generated ticket.
pub struct Asked {
    pub working_days: i32,
    pub requested_by: UserId,
    pub requested_at: NaiveDateTime,
    /// Approved or not, by whom and when; `None` while pending.
    pub decision: Option<(bool, UserId, NaiveDateTime)>,
}

/// An assisting cadre's task on a generated ticket; open while `completed_at` is `None`.
pub struct Helped {
    pub user_id: UserId,
    pub task: &'static str,
    pub added_by: UserId,
    pub added_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
}

/// A supervision order on a generated ticket; open while `answer` is `None`.
pub struct Pressed {
    pub issued_by: UserId,
    pub issued_at: NaiveDateTime,
    pub respond_by: NaiveDateTime,
    /// Who answered and when.
    pub answer: Option<(UserId, NaiveDateTime)>,
}

/// One generated ticket: its row, its events, its comments, its requests for more time, its
/// assisting cadres and its supervision orders.
pub struct Generated {
    pub row: TicketRow,
    pub events: Vec<Step>,
    pub comments: Vec<Said>,
    pub extensions: Vec<Asked>,
    pub collaborators: Vec<Helped>,
    pub supervisions: Vec<Pressed>,
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
    pub feedback_due_at: Option<NaiveDateTime>,
    pub accept_breached: bool,
    pub feedback_breaches: i32,
    pub resolve_breached: bool,
    pub paused_at: Option<NaiveDateTime>,
    pub paused_seconds: i64,
    pub open_supervisions: i32,
    pub supervision_count: i32,
    pub return_count: i32,
}

/// What the cadre tells the enterprise while working, what is asked and answered during a
/// wait, and why more time is needed.
const PROGRESS: &[&str] = &[
    "已与相关部门对接，正在协调办理。",
    "已现场走访企业，了解具体情况，正在推进。",
    "相关材料已报送主管部门审核，请耐心等待。",
];
const QUESTION: &str = "请补充提供营业执照副本及项目备案材料。";
const ANSWER: &str = "已补充上传营业执照副本及项目备案材料。";
pub const EXTENSION_REASON: &str = "需等待上级主管部门批复，申请延期办理。";
const RETURN_REASON: &str = "该事项不属于本部门职责范围，请重新分派。";
const ESCALATION_REASON: &str = "涉及跨部门协调，本级难以解决，提请上级协调。";
const WITHDRAWAL_REASON: &str = "问题已自行解决，撤回诉求。";
const RESOLUTION: &str = "已协调办结。";
pub const INSTRUCTION: &str = "该诉求已超期，请于两个工作日内报告办理进展并加快办结。";
pub const RESPONSE: &str = "已召开专题协调会，明确办理时限，正在加快推进。";
pub const TASK_NOTE: &str = "已按要求完成协办事项，相关意见已反馈主办人。";

/// What an assisting cadre is asked to do, by category.
fn task(category: &str) -> &'static str {
    match category {
        "land" => "请协助核实用地规划条件和用地指标。",
        "finance" => "请协助对接合作银行，推进融资事项。",
        "energy" => "请协助制定供电方案，加快接电进度。",
        "approval" => "请协助开通审批绿色通道，并联办理。",
        "employment" => "请协助发布招聘信息，组织专场招聘。",
        _ => "请协助研究提出办理意见。",
    }
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
    /// Who files and decides for the programme (the demo administrator).
    filer: UserId,
    /// Who acts for the enterprise: its staff account.
    enterprise: UserId,
    now: NaiveDateTime,
    reckon: &'a WorkingTime<'a>,
    terms: Terms,
    /// The SLA window in hours, which the time between moves is a share of.
    window: f64,
    /// When the last move happened.
    clock: NaiveDateTime,
    status: Status,
    level: Level,
    assignee: Option<UserId>,
    timing: Timing,
    resolved_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    rating: Option<i32>,
    resolution: Option<String>,
    category: &'a str,
    return_count: i32,
    events: Vec<Step>,
    comments: Vec<Said>,
    extensions: Vec<Asked>,
    collaborators: Vec<Helped>,
    supervisions: Vec<Pressed>,
}

impl Life<'_> {
    /// The moment a random share of the window after the last move, if it is past already;
    /// the assignee gives progress feedback on the way while the ticket is being worked on.
    fn next(&mut self, rng: &mut Rng, share_of_window: (f64, f64)) -> Option<NaiveDateTime> {
        let share = fraction(rng, share_of_window.0, share_of_window.1);
        let target = self.clock + hours(self.window * share);
        self.reach(rng, target)
    }

    /// `target`, if it is past already, with the feedback given on the way.
    fn reach(&mut self, rng: &mut Rng, target: NaiveDateTime) -> Option<NaiveDateTime> {
        self.give_feedback(rng, target.min(self.now));
        self.clock = target;
        (self.clock < self.now).then_some(self.clock)
    }

    /// The assignee's progress comments until `until`: mostly before the feedback is owed,
    /// now and then too late (a feedback breach, recorded when it ran out).
    fn give_feedback(&mut self, rng: &mut Rng, until: NaiveDateTime) {
        let mut from = self.clock;
        while self.status == Status::InProgress
            && let Some(owed) = self.timing.clocks.feedback_due_at
        {
            let late = rng.chance(12);
            let share = fraction(rng, 0.4, if late { 1.8 } else { 0.95 });
            let at = from + TimeDelta::seconds(((owed - from).num_seconds() as f64 * share) as i64);
            if at >= until || at <= from {
                return;
            }
            let next_feedback = |t| self.reckon.due(t, self.terms.feedback);
            let missed = self.timing.clocks.settle(at, next_feedback);
            self.timing.clocks.pay_feedback(at, next_feedback);
            self.record_breaches(missed, at);
            let body = PROGRESS[rng.below(PROGRESS.len())];
            let comment = self.say(self.assignee, body, at);
            self.push(Action::Comment, self.assignee, (None, None), at, comment)
                .details = json!({ "internal": false });
            from = at;
        }
    }

    /// A public comment by `author` at `at`; its index among the ticket's comments.
    fn say(
        &mut self,
        author: Option<UserId>,
        body: &'static str,
        at: NaiveDateTime,
    ) -> Option<usize> {
        self.comments.push(Said {
            author: author.unwrap_or(self.filer),
            body,
            at,
        });
        Some(self.comments.len() - 1)
    }

    /// Appends an event.
    fn push(
        &mut self,
        action: Action,
        actor: Option<UserId>,
        (from, to): (Option<Status>, Option<Status>),
        at: NaiveDateTime,
        comment: Option<usize>,
    ) -> &mut Step {
        self.events.push(Step {
            actor,
            action,
            from,
            to,
            at,
            details: json!({}),
            internal: false,
            comment,
            extension: None,
            supervision: None,
        });
        self.events.last_mut().expect("just pushed")
    }

    /// The `sla_breached` events of `missed`, as the periodic job records them: within a
    /// minute of the clock running out, or by the move at `by` that came first.
    fn record_breaches(&mut self, missed: Vec<Breach>, by: NaiveDateTime) {
        for breach in missed {
            let at = (breach.due_at + TimeDelta::minutes(1)).min(by);
            self.push(Action::SlaBreached, None, (None, None), at, None)
                .details = json!({
                "clock": breach.clock.as_str(),
                "due_at": rfc3339(&breach.due_at),
            });
        }
    }

    /// A cadre of `region` other than `except`, as a dispatcher looking at the candidates
    /// chooses: one whose department handles the ticket's category when there is one; `None`
    /// when the region has no other cadre.
    fn cadre_of(&self, region: &RegionCode, except: Option<UserId>) -> Option<UserId> {
        let cadres = self.cast.cadres_by_region.get(region)?;
        let others = |ids: &&Vec<UserId>| ids.iter().any(|id| Some(*id) != except);
        let ids = (cadres.handling.get(self.category).filter(others))
            .or(Some(&cadres.all).filter(others))?;
        let n = self.id.get() as usize;
        let pick = ids[n % ids.len()];
        Some(if Some(pick) == except {
            ids[(n + 1) % ids.len()]
        } else {
            pick
        })
    }

    /// The supervisor of `region`, if it has one.
    fn supervisor(&self, region: &RegionCode) -> Option<UserId> {
        self.cast.supervisors.get(region).copied()
    }

    /// An internal event of the government's coordination, which moves nothing.
    fn coordinate(
        &mut self,
        action: Action,
        actor: UserId,
        at: NaiveDateTime,
        details: serde_json::Value,
    ) -> &mut Step {
        let step = self.push(action, Some(actor), (None, None), at, None);
        (step.details, step.internal) = (details, true);
        step
    }

    /// `action` by `actor` at `at`, as the state machine moves the ticket and its clocks;
    /// nothing (`None`) when it allows no such move.
    fn act(
        &mut self,
        action: Action,
        actor: Option<UserId>,
        at: NaiveDateTime,
    ) -> Option<&mut Step> {
        let (to, level) = transition(action, self.status, self.level, &self.county).ok()?;
        let mv = Move {
            to,
            responds: matches!(action, Action::Accept | Action::Resolve),
            asks: action == Action::RequestInfo,
        };
        let missed = self.timing.after_move(mv, at, &self.terms, self.reckon);
        self.record_breaches(missed, at);
        let from = self.status;
        (self.status, self.level) = (to, level);
        Some(self.push(action, actor, (Some(from), Some(to)), at, None))
    }

    /// Dispatch by the supervisor at the ticket's level, when it has no assignee: to a cadre of
    /// that level other than `except`, or `delegated` to one of its county (the ticket keeps
    /// its level, which stays accountable).
    fn assign(&mut self, rng: &mut Rng, except: Option<UserId>, delegated: bool) -> Option<()> {
        let at = self.next(rng, (0.01, 0.1))?;
        let government = self.county.ancestor_at(self.level);
        let cadre = self.cadre_of(if delegated { &self.county } else { &government }, except)?;
        let dispatcher = self.supervisor(&government);
        self.act(Action::Assign, dispatcher, at)?.details =
            json!({ "assignee_id": cadre, "delegated": delegated });
        self.assignee = Some(cadre);
        Some(())
    }

    /// The assignee, before or after taking it on, sends it back to dispatch as not their
    /// department's, and it is dispatched to another cadre of the level (unless it `stalls`
    /// there); nothing happens when the level has no other.
    fn send_back(&mut self, rng: &mut Rng, stalls: bool) -> Option<()> {
        let Some(returner) = self.assignee else {
            return Some(());
        };
        let government = self.county.ancestor_at(self.level);
        if self.cadre_of(&government, Some(returner)).is_none() {
            return Some(());
        }
        if rng.chance(40) {
            self.accept(rng)?;
        }
        let at = self.next(rng, (0.02, 0.15))?;
        let details = json!({ "reason": RETURN_REASON, "level": self.level });
        self.act(Action::Return, Some(returner), at)?.details = details;
        (self.assignee, self.return_count) = (None, self.return_count + 1);
        if stalls {
            // Back in the dispatch queue.
            return None;
        }
        self.assign(rng, Some(returner), false)
    }

    /// The assignee asks a cadre whose department handles the category for help: for land and
    /// finance mostly one of the city's (or the province's), else one of the county's. The task
    /// is done some time on (`None` while it is open: the ticket is not resolved before).
    fn ask_for_help(&mut self, rng: &mut Rng) -> Option<()> {
        let Some(assignee) = self.assignee else {
            return Some(());
        };
        let mut levels = [Level::County, Level::City, Level::Province];
        if matches!(self.category, "land" | "finance") && rng.chance(70) {
            levels.rotate_left(1);
        }
        let Some(helper) = levels
            .iter()
            .find_map(|l| self.cadre_of(&self.county.ancestor_at(*l), Some(assignee)))
        else {
            return Some(());
        };
        let at = self.next(rng, (0.05, 0.25))?;
        let task = task(self.category);
        self.collaborators.push(Helped {
            user_id: helper,
            task,
            added_by: assignee,
            added_at: at,
            completed_at: None,
        });
        let details = json!({ "user_id": helper, "task": task });
        self.coordinate(Action::CollaboratorAdded, assignee, at, details);
        let done = self.next(rng, (0.05, 0.3))?;
        self.collaborators.last_mut()?.completed_at = Some(done);
        let details = json!({ "user_id": helper, "note": TASK_NOTE });
        self.coordinate(Action::CollaboratorCompleted, helper, done, details);
        Some(())
    }

    /// Once the ticket runs past its due time before `until` (its resolution, or now), a
    /// supervisor from above (mostly the city's, else the province's) issues an order with two
    /// working days to answer; the assignee, if `answers`, answers mostly in time, now and then
    /// late. `None` while the answer is owed.
    fn press(&mut self, rng: &mut Rng, until: NaiveDateTime, answers: bool) -> Option<()> {
        let Some(assignee) = self.assignee else {
            return Some(());
        };
        let overdue = self.timing.deadlines.due_at.max(self.clock);
        let issued_at = overdue + hours(fraction(rng, 2.0, 48.0));
        let city = (self.level == Level::County && rng.chance(70))
            .then(|| self.supervisor(&self.county.ancestor_at(Level::City)))
            .flatten();
        let issuer = city.or_else(|| self.supervisor(&self.county.ancestor_at(Level::Province)));
        let Some(issuer) = issuer.filter(|_| issued_at < until.min(self.now)) else {
            return Some(());
        };
        self.reach(rng, issued_at)?;
        let respond_by = self.reckon.due(issued_at, default_respond_within());
        self.supervisions.push(Pressed {
            issued_by: issuer,
            issued_at,
            respond_by,
            answer: None,
        });
        let index = Some(self.supervisions.len() - 1);
        let details = json!({
            "instruction": INSTRUCTION,
            "respond_by": rfc3339(&respond_by),
            "level": self.level,
        });
        self.coordinate(Action::SupervisionIssued, issuer, issued_at, details)
            .supervision = index;
        if !answers {
            return None;
        }
        let late = rng.chance(20);
        let share = fraction(rng, 0.1, if late { 1.8 } else { 0.95 });
        let window = (respond_by - issued_at).num_seconds() as f64;
        let answered_at = issued_at + TimeDelta::seconds((window * share) as i64);
        self.reach(rng, answered_at)?;
        self.supervisions.last_mut()?.answer = Some((assignee, answered_at));
        let details = json!({ "response": RESPONSE, "overdue": answered_at > respond_by });
        self.coordinate(Action::SupervisionAnswered, assignee, answered_at, details)
            .supervision = index;
        Some(())
    }

    /// The first assignee takes the ticket on, mostly before acceptance is due, now and then
    /// after; one at a higher level a share of the window after the last move.
    fn accept(&mut self, rng: &mut Rng) -> Option<()> {
        let at = if self.timing.clocks.first_response_at.is_none() {
            let filed = self.terms.filed_at;
            let window = (self.timing.deadlines.response_due_at - filed).num_seconds() as f64;
            let late = rng.chance(8);
            let share = fraction(rng, 0.1, if late { 2.5 } else { 0.95 });
            let target = filed + TimeDelta::seconds((window * share) as i64);
            self.reach(rng, target.max(self.clock + TimeDelta::minutes(5)))?
        } else {
            self.next(rng, (0.01, 0.1))?
        };
        self.act(Action::Accept, self.assignee, at)?;
        Some(())
    }

    /// The assignee asks the enterprise for documents, which it sends some hours or days on;
    /// `None` while it has not answered yet.
    fn wait_for_enterprise(&mut self, rng: &mut Rng) -> Option<()> {
        let at = self.next(rng, (0.05, 0.3))?;
        let question = self.say(self.assignee, QUESTION, at);
        let step = self.act(Action::RequestInfo, self.assignee, at)?;
        (step.details, step.comment) = (json!({ "question": QUESTION }), question);
        let at = self.clock + hours(fraction(rng, 2.0, 150.0));
        self.clock = at;
        if at >= self.now {
            return None;
        }
        let answer = self.say(Some(self.enterprise), ANSWER, at);
        let step = self.act(Action::ProvideInfo, Some(self.enterprise), at)?;
        (step.details, step.comment) = (json!({ "answer": ANSWER }), answer);
        Some(())
    }

    /// The assignee asks for more time, which the programme approves (mostly) or rejects a
    /// day or two on; it waits in the approval queue when that lies in the future.
    fn ask_for_time(&mut self, rng: &mut Rng) {
        let Some(at) = self.next(rng, (0.2, 0.6)) else {
            return;
        };
        let (Some(assignee), days) = (self.assignee, [3, 5, 10][rng.below(3)]) else {
            return;
        };
        self.extensions.push(Asked {
            working_days: days,
            requested_by: assignee,
            requested_at: at,
            decision: None,
        });
        let index = self.extensions.len() - 1;
        let step = self.push(
            Action::ExtensionRequested,
            Some(assignee),
            (None, None),
            at,
            None,
        );
        (step.details, step.extension) = (json!({ "working_days": days }), Some(index));
        let decided_at = at + hours(fraction(rng, 1.0, 120.0));
        if decided_at >= self.now {
            return;
        }
        let approve = rng.chance(75);
        self.give_feedback(rng, decided_at);
        self.clock = decided_at;
        self.extensions[index].decision = Some((approve, self.filer, decided_at));
        let mut details = json!({ "working_days": days });
        let action = if approve {
            let before = self.timing.deadlines.due_at;
            let extension = Duration::new(days as u32, DurationUnit::WorkingDays).expect("1 to 30");
            let thresholds = Thresholds::default();
            let missed =
                self.timing
                    .extend(extension, decided_at, &self.terms, self.reckon, thresholds);
            self.record_breaches(missed, decided_at);
            details["due_at_before"] = rfc3339(&before).into();
            details["due_at_after"] = rfc3339(&self.timing.deadlines.due_at).into();
            Action::ExtensionApproved
        } else {
            Action::ExtensionRejected
        };
        let step = self.push(action, Some(self.filer), (None, None), decided_at, None);
        (step.details, step.extension) = (details, Some(index));
    }

    /// The walk through the lifecycle; it stops (`None`) where the next move lies in the future
    /// or the ticket waits. What happens to it is drawn beforehand.
    fn live(&mut self, rng: &mut Rng, plot: Plot) -> Option<()> {
        if self.assignee.is_none() {
            self.assign(rng, None, false)?;
        }
        if plot.withdraws {
            let at = self.next(rng, (0.01, 0.15))?;
            self.act(Action::Withdraw, Some(self.enterprise), at)?
                .details = json!({ "reason": WITHDRAWAL_REASON });
            return Some(());
        }
        if plot.returns {
            self.send_back(rng, plot.stalls)?;
        }
        self.accept(rng)?;
        if plot.escalates {
            let at = self.next(rng, (0.05, 0.2))?;
            let (escalator, from) = (self.assignee, self.level);
            self.act(Action::Escalate, escalator, at)?;
            let details =
                json!({ "reason": ESCALATION_REASON, "from_level": from, "to_level": self.level });
            self.events.last_mut()?.details = details;
            self.assignee = None;
            if plot.stalls {
                // Waiting for dispatch at the level above.
                return None;
            }
            // Some come back down to a cadre of the county for execution.
            let delegated = plot.delegates && self.county.level() > self.level;
            self.assign(rng, escalator.filter(|_| delegated), delegated)?;
            self.accept(rng)?;
        }
        if plot.assisted {
            self.ask_for_help(rng)?;
        }
        if plot.waits {
            self.wait_for_enterprise(rng)?;
        }
        if plot.extends {
            self.ask_for_time(rng);
        }
        if plot.stalls {
            // The backlog running late is pressed, and half the orders wait for an answer.
            let answers = rng.chance(50);
            self.press(rng, self.now, answers)?;
            // Still being worked on: its feedback owed, given or missed, until now.
            self.give_feedback(rng, self.now);
            return None;
        }
        // Most are resolved well in time; about one in six runs past its due time.
        let late = rng.chance(16);
        let share = fraction(rng, 0.1, if late { 1.6 } else { 0.7 });
        let target = self.clock + hours(self.window * share);
        if plot.pressed {
            self.press(rng, target, true)?;
        }
        let at = self.reach(rng, target.max(self.clock + TimeDelta::minutes(30)))?;
        self.act(Action::Resolve, self.assignee, at)?.details = json!({ "resolution": RESOLUTION });
        (self.resolved_at, self.resolution) = (Some(at), Some(RESOLUTION.to_owned()));
        self.settle(rng, at)
    }

    /// The enterprise confirms a resolution (and rates it), or it closes by itself a week on.
    fn settle(&mut self, rng: &mut Rng, resolved_at: NaiveDateTime) -> Option<()> {
        let slow = rng.chance(10);
        let at = self.clock + hours(fraction(rng, 2.0, if slow { 200.0 } else { 100.0 }));
        let auto = resolved_at + TimeDelta::days(7);
        if at.min(auto) >= self.now {
            return None;
        }
        if at > auto {
            self.act(Action::AutoClose, None, auto)?;
            self.closed_at = Some(auto);
        } else {
            let rating = 3 + rng.below(3) as i32;
            self.act(Action::Confirm, Some(self.enterprise), at)?
                .details = json!({ "rating": rating, "comment": null });
            self.closed_at = Some(at);
            self.rating = Some(rating);
        }
        Some(())
    }

    /// The clocks that ran out by now are recorded, as the periodic job would have.
    fn until_now(&mut self) {
        let next_feedback = |t| self.reckon.due(t, self.terms.feedback);
        let missed = self.timing.clocks.settle(self.now, next_feedback);
        self.record_breaches(missed, self.now);
    }
}

/// What will happen to a ticket, drawn when it is filed.
#[derive(Clone, Copy)]
struct Plot {
    withdraws: bool,
    /// Its first assignee sends it back to dispatch.
    returns: bool,
    escalates: bool,
    /// Escalated, it is delegated back down to a cadre of its county.
    delegates: bool,
    /// A cadre assists the assignee (协办).
    assisted: bool,
    /// A supervisor presses it with an order (督办) once it runs past its due time (every
    /// stalled one is).
    pressed: bool,
    /// Some recent tickets stall before resolution, so warnings of every colour show.
    stalls: bool,
    /// The cadre waits for documents from the enterprise.
    waits: bool,
    /// The cadre asks for more time.
    extends: bool,
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
        to: Some(status),
        at: created,
        details: json!({}),
        internal: false,
        comment: None,
        extension: None,
        supervision: None,
    };
    let timing = Timing {
        deadlines,
        clocks: ClockState::filed(status, &deadlines),
        paused_at: None,
        paused_seconds: 0,
        original_due_at: deadlines.due_at,
    };
    let mut life = Life {
        id,
        cast,
        county: demand.county.clone(),
        filer,
        enterprise: cast
            .staff
            .get(&demand.enterprise_id)
            .copied()
            .unwrap_or(filer),
        now,
        reckon: reckoner,
        terms: Terms {
            filed_at: created,
            feedback: clocks.feedback,
            resolve_unit: clocks.resolve.unit(),
        },
        window: (deadlines.due_at - created).num_seconds() as f64 / 3600.0,
        clock: created,
        status,
        level: Level::County,
        assignee: demand.primary,
        timing,
        resolved_at: None,
        closed_at: None,
        rating: None,
        resolution: None,
        category: &demand.category.code,
        return_count: 0,
        events: vec![filing],
        comments: vec![],
        extensions: vec![],
        collaborators: vec![],
        supervisions: vec![],
    };
    let plot = Plot {
        withdraws: rng.chance(5),
        returns: rng.chance(5),
        escalates: rng.chance(12),
        delegates: rng.chance(33),
        assisted: rng.chance(10),
        pressed: rng.chance(40),
        stalls: created > now - TimeDelta::days(30) && rng.chance(12),
        waits: rng.chance(10),
        extends: rng.chance(8),
    };
    life.live(rng, plot);
    life.until_now();
    // Events in the order they happened (a breach may be recorded before the move that
    // followed it was drawn).
    life.events.sort_by_key(|e| e.at);
    Generated {
        row: row(&life, &demand, &clocks, tz),
        events: life.events,
        comments: life.comments,
        extensions: life.extensions,
        collaborators: life.collaborators,
        supervisions: life.supervisions,
    }
}

/// The stored row of a ticket filed for `demand` as it is at the end of its `life`.
fn row(life: &Life, demand: &Demand, clocks: &Clocks, tz: Tz) -> TicketRow {
    let created = demand.created;
    let t = &life.timing;
    let d = &t.deadlines;
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
        first_response_at: t.clocks.first_response_at,
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
        next_breach_at: next_breach_column(&t.clocks),
        original_due_at: t.original_due_at,
        feedback_due_at: t.clocks.feedback_due_at,
        accept_breached: t.clocks.breaches.accept,
        feedback_breaches: t.clocks.breaches.feedback,
        resolve_breached: t.clocks.breaches.resolve,
        paused_at: t.paused_at,
        paused_seconds: t.paused_seconds,
        open_supervisions: life
            .supervisions
            .iter()
            .filter(|s| s.answer.is_none())
            .count() as i32,
        supervision_count: life.supervisions.len() as i32,
        return_count: life.return_count,
    }
}
