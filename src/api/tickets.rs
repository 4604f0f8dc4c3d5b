//! A ticket as the API shows it.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::tickets::Ticket as TicketRow;
use crate::domain::region::RegionCode;
use crate::domain::sla::Warning;
use crate::domain::ticket::{Level, Priority, Status};
use crate::services::tickets::TicketNow;

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
    /// When the resolution is due (the SLA at filing).
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub due_at: NaiveDateTime,
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
}

impl From<TicketRow> for Ticket {
    fn from(row: TicketRow) -> Ticket {
        Ticket {
            id: row.id,
            enterprise_id: row.enterprise_id,
            county_code: row.county_code,
            category: row.category,
            priority: row.priority,
            title: row.title,
            description: row.description,
            status: row.status,
            level: row.level,
            assignee_id: row.assignee_id,
            filed_by: row.filed_by,
            response_due_at: row.response_due_at,
            due_at: row.due_at,
            first_response_at: row.first_response_at,
            resolved_at: row.resolved_at,
            closed_at: row.closed_at,
            resolution: row.resolution,
            rating: row.rating,
            reopen_count: row.reopen_count,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
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

impl From<TicketNow> for TicketView {
    fn from(now: TicketNow) -> TicketView {
        TicketView {
            ticket: now.ticket.into(),
            warning: now.warning,
            enterprise_active: now.enterprise_active,
        }
    }
}
