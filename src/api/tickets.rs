//! A ticket as the API shows it.

use crate::domain::time::Day;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use chrono::NaiveDateTime;

use crate::db::tickets::Ticket as TicketRow;
use crate::domain::breach::Clock;
use crate::domain::region::RegionCode;
use crate::domain::sla::Warning;
use crate::domain::ticket::{Level, Priority, Status};

// Its stored fields as shown: not its warning thresholds nor its statistics counters' state.
/// A ticket as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ticket {
    pub id: i64,
    pub enterprise_id: i64,
    /// The enterprise's county, fixed at filing.
    #[schema(value_type = String, example = "411602")]
    pub county_code: RegionCode,
    #[schema(example = "land")]
    pub category: String,
    pub priority: Priority,
    pub title: String,
    pub description: String,
    pub status: Status,
    pub level: Level,
    pub assignee_id: Option<i64>,
    /// The user (or API client's principal) who filed it.
    pub filed_by: i64,
    /// When the first response is due.
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub response_due_at: NaiveDateTime,
    /// When the resolution is due: the SLA at filing, moved later by waits for the enterprise
    /// and approved extensions.
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub due_at: NaiveDateTime,
    /// The due time set at filing, moved by waits for the enterprise but not by extensions.
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub original_due_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub first_response_at: Option<NaiveDateTime>,
    /// When it was last resolved; null while it is not resolved or closed.
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub resolved_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<NaiveDateTime>,
    pub resolution: Option<String>,
    /// 1 to 5, given when the enterprise confirms.
    pub rating: Option<i32>,
    pub reopen_count: i32,
    /// Grows with every change; the ETag.
    pub version: i32,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
    /// When the assignee next owes the enterprise a public progress comment; null when none is
    /// owed (only while in progress). A missed one counts in `breaches.feedback`, and the next
    /// falls due one feedback period after the missed moment.
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub feedback_due_at: Option<NaiveDateTime>,
    pub breaches: Breaches,
    /// When the current wait for the enterprise (`awaiting_enterprise`) began; null otherwise.
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub paused_at: Option<NaiveDateTime>,
    /// The time waited for the enterprise in all, in the resolve clock's unit (working hours
    /// for a clock in working days or hours), by which `due_at` and `feedback_due_at` moved;
    /// the current wait counts once it ends.
    pub paused_hours: f64,
    /// Whether a supervision order (督办) on it waits for the assignee's answer.
    pub supervised: bool,
    /// Supervision orders ever issued on it.
    pub supervision_count: i32,
    /// Times its assignee sent it back to dispatch (`return`).
    pub return_count: i32,
}

/// The clocks it missed, each recorded once (an `sla_breached` event each) at most one job
/// interval after the moment.
#[derive(Debug, Serialize, ToSchema)]
pub struct Breaches {
    /// Not accepted by `response_due_at`.
    pub accept: bool,
    /// Progress feedback periods missed.
    pub feedback: i32,
    /// Not resolved by `due_at`.
    pub resolve: bool,
}

impl From<TicketRow> for Ticket {
    fn from(row: TicketRow) -> Ticket {
        Ticket {
            id: row.id.get(),
            enterprise_id: row.enterprise_id.get(),
            county_code: row.county_code,
            category: row.category,
            priority: row.priority,
            title: row.title,
            description: row.description,
            status: row.status,
            level: row.level,
            assignee_id: row.assignee_id.map(i64::from),
            filed_by: row.filed_by.get(),
            response_due_at: row.response_due_at,
            due_at: row.due_at,
            original_due_at: row.original_due_at,
            first_response_at: row.first_response_at,
            resolved_at: row.resolved_at,
            closed_at: row.closed_at,
            resolution: row.resolution,
            rating: row.rating,
            reopen_count: row.reopen_count,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            feedback_due_at: row.feedback_due_at,
            breaches: Breaches {
                accept: row.accept_breached,
                feedback: row.feedback_breaches,
                resolve: row.resolve_breached,
            },
            paused_at: row.paused_at,
            // To the hundredth of an hour (36 s).
            paused_hours: (row.paused_seconds as f64 / 36.0).round() / 100.0,
            supervised: row.open_supervisions > 0,
            supervision_count: row.supervision_count,
            return_count: row.return_count,
        }
    }
}

/// A ticket as the API shows it: its stored fields, its warning colour now, and whether its
/// enterprise is still active.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketView {
    #[serde(flatten)]
    pub ticket: Ticket,
    /// Open tickets past 75 % of their SLA window are yellow, past it orange, past 150 % red.
    pub warning: Option<Warning>,
    /// False once the enterprise is deactivated: its tickets stay as they are (open ones open,
    /// for supervisors to settle), but it can no longer act on them.
    pub enterprise_active: bool,
}

impl TicketView {
    /// The view of `ticket` with what it is now: its colour and whether its enterprise acts.
    pub fn new(ticket: TicketRow, warning: Option<Warning>, enterprise_active: bool) -> TicketView {
        TicketView {
            ticket: ticket.into(),
            warning,
            enterprise_active,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignTicket {
    pub assignee_id: i64,
    /// Hand the ticket down (city or province level) to a cadre of a lower level whose region
    /// holds its county; the ticket keeps its level, which stays accountable, and the event
    /// says `delegated`. Default `false`: a cadre of the ticket's own level.
    #[serde(default)]
    pub delegate: bool,
}

/// A reason, for escalating, reopening or withdrawing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    #[schema(example = "需市自然资源和规划局协调用地指标")]
    pub reason: String,
}

/// The assignee's question to the enterprise (also a public comment).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInfo {
    #[schema(example = "请补充提供2025年度用电量明细。")]
    pub question: String,
}

/// The enterprise's answer (also a public comment).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvideInfo {
    #[schema(example = "已上传2025年度用电量明细，请查收。")]
    pub answer: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveTicket {
    #[schema(example = "已协调落实用地指标20亩，相关手续办理完毕。")]
    pub resolution: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmTicket {
    /// 1 (poor) to 5 (excellent).
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i32,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileTicket {
    #[schema(example = "land")]
    pub category: String,
    /// `normal` unless given.
    pub priority: Option<Priority>,
    #[schema(example = "新厂房用地指标申请")]
    pub title: String,
    #[schema(example = "我公司计划扩建生产线，需新增工业用地约20亩，请协助协调用地指标。")]
    pub description: String,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortParam {
    /// Newest first.
    Filed,
    /// Soonest due first.
    Due,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListTickets {
    /// One status or several, comma-separated (`assigned,in_progress`).
    #[param(example = "assigned,in_progress")]
    pub status: Option<String>,
    pub category: Option<String>,
    pub priority: Option<Priority>,
    /// Tickets of this region's subtree (any level).
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    pub region: Option<RegionCode>,
    /// A user id, or `me`.
    #[param(example = "me")]
    pub assignee: Option<String>,
    pub warning: Option<Warning>,
    /// Filed on or after this day (programme time, `TIMEZONE`), from 0001-01-01 to 9999-12-31.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub filed_from: Option<Day>,
    /// Filed on or before this day (programme time, `TIMEZONE`), from 0001-01-01 to 9999-12-31.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub filed_to: Option<Day>,
    /// `filed` (newest first, the default) or `due` (soonest due first).
    #[param(inline)]
    pub sort: Option<SortParam>,
    /// `false`: only tickets of deactivated enterprises (their open ones stay open); `true`:
    /// only those of active ones.
    pub enterprise_active: Option<bool>,
    /// Only tickets that missed this clock at least once.
    pub breached: Option<Clock>,
    /// `true`: only tickets with an open supervision order (督办); `false`: only those without.
    pub supervised: Option<bool>,
    /// Only tickets at this level (`county`, `city`, `province`): a level's dispatch queue is
    /// `status=submitted&level=city`.
    pub level: Option<Level>,
    /// Tickets this cadre assists (协办): a user id, or `me`.
    #[param(example = "me")]
    pub collaborating: Option<String>,
    /// Page size, 1 to 200 (larger values are lowered to 200).
    #[param(minimum = 1, default = 50)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The empty body of a move that carries nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}
