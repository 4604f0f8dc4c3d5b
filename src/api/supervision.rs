//! Supervision orders (督办) as the API takes and shows them.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::supervisions::Supervision as SupervisionRow;
use crate::domain::region::RegionCode;
use crate::domain::ticket::SupervisionStatus;
use crate::domain::working_time::Duration;

/// A supervision order and its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Supervision {
    pub id: i64,
    pub ticket_id: i64,
    /// The supervisor (or administrator) who issued it.
    pub issued_by: i64,
    #[schema(example = "请于两个工作日内报告用地指标协调进展")]
    pub instruction: String,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: NaiveDateTime,
    /// When the assignee's answer is due (`respond_within` of issuing, in working time).
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub respond_by: NaiveDateTime,
    /// `open` until the assignee answers, then `answered`.
    pub status: SupervisionStatus,
    pub response: Option<String>,
    /// The assignee who answered.
    pub responded_by: Option<i64>,
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub responded_at: Option<NaiveDateTime>,
    /// Not answered by `respond_by`: still open past it, or answered after it.
    pub overdue: bool,
}

impl Supervision {
    /// The order as of `now` (whether it is overdue depends on the moment).
    pub fn new(row: SupervisionRow, now: NaiveDateTime) -> Supervision {
        let overdue = row.responded_at.unwrap_or(now) > row.respond_by;
        Supervision {
            id: row.id.get(),
            ticket_id: row.ticket_id.get(),
            issued_by: row.issued_by.get(),
            instruction: row.instruction,
            issued_at: row.issued_at,
            respond_by: row.respond_by,
            status: row.status,
            response: row.response,
            responded_by: row.responded_by.map(i64::from),
            responded_at: row.responded_at,
            overdue,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueSupervision {
    /// What the assignee is pressed to do, at most 2,000 characters.
    #[schema(example = "请于两个工作日内报告用地指标协调进展")]
    pub instruction: String,
    /// How long the assignee has to answer, in working time; default 2 working days.
    pub respond_within: Option<Duration>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondSupervision {
    /// The assignee's answer, at most 10,000 characters.
    #[schema(example = "已与市自然资源和规划局会商，本周内完成指标调剂")]
    pub response: String,
}

/// Which orders the supervisors' list shows.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SupervisionState {
    /// Not answered yet (the overdue ones included).
    Open,
    Answered,
    /// Not answered and past `respond_by`.
    Overdue,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListSupervision {
    /// Orders on tickets of this region's subtree (any level); default: a supervisor's own
    /// region, the country for admins. A region outside a supervisor's answers 404.
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    pub region: Option<RegionCode>,
    /// `open`, `answered` or `overdue`; every order when absent.
    #[param(inline)]
    pub status: Option<SupervisionState>,
    /// Page size, 1 to 200 (larger values are lowered to 200).
    #[param(minimum = 1, default = 50)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
