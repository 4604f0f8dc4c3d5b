//! Requests for more time on a ticket (延期) as the API takes and shows them.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::extensions::Extension as ExtensionRow;
use crate::domain::region::RegionCode;
use crate::domain::ticket::ExtensionStatus;

/// The assignee's request for more working days.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestExtension {
    /// Working days to add to the due time, 1 to 30.
    #[schema(minimum = 1, maximum = 30, example = 5)]
    pub working_days: i32,
    #[schema(example = "需等待省自然资源厅批复用地指标")]
    pub reason: String,
}

/// An approval, with a comment if the supervisor has one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveExtension {
    pub comment: Option<String>,
}

/// A rejection, which says why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectExtension {
    #[schema(example = "材料已齐全，请按期办结")]
    pub comment: String,
}

/// A request for more time and its decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct Extension {
    pub id: i64,
    pub ticket_id: i64,
    pub working_days: i32,
    pub reason: String,
    pub status: ExtensionStatus,
    /// The assignee who asked.
    pub requested_by: i64,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub requested_at: NaiveDateTime,
    /// The supervisor (or administrator) who decided; null while pending.
    pub decided_by: Option<i64>,
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<NaiveDateTime>,
    pub decision_comment: Option<String>,
}

impl From<ExtensionRow> for Extension {
    fn from(row: ExtensionRow) -> Extension {
        Extension {
            id: row.id,
            ticket_id: row.ticket_id.get(),
            working_days: row.working_days,
            reason: row.reason,
            status: row.status,
            requested_by: row.requested_by.get(),
            requested_at: row.requested_at,
            decided_by: row.decided_by.map(i64::from),
            decided_at: row.decided_at,
            decision_comment: row.decision_comment,
        }
    }
}

/// The query of the approval queue.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListExtensions {
    /// `pending` (the queue proper), `approved` or `rejected`; every status when absent.
    pub status: Option<ExtensionStatus>,
    /// Extensions of tickets in this region's subtree (any level); default: a supervisor's own
    /// region, the country for admins. A region outside a supervisor's answers 404.
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411602")]
    pub region: Option<RegionCode>,
    /// Page size, 1 to 200 (larger values are lowered to 200).
    #[param(minimum = 1, default = 50)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
