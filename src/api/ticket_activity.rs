//! A ticket's comments and events as the API shows them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::NaiveDateTime;

use crate::db::ticket_activity::{Comment as CommentRow, Event as EventRow};

#[derive(Debug, Serialize, ToSchema)]
pub struct Comment {
    pub id: i64,
    pub ticket_id: i64,
    pub author_id: i64,
    pub body: String,
    /// Internal comments are never shown to the enterprise.
    pub internal: bool,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl From<CommentRow> for Comment {
    fn from(row: CommentRow) -> Comment {
        Comment {
            id: row.id,
            ticket_id: row.ticket_id.get(),
            author_id: row.author_id.get(),
            body: row.body,
            internal: row.internal,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Event {
    pub id: i64,
    pub ticket_id: i64,
    /// Null when the service itself acted (auto-close, a missed clock).
    pub actor_id: Option<i64>,
    #[schema(example = "escalate")]
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    /// What the action carried: a reason, a resolution, a rating, an assignee, a level; for
    /// `sla_breached`, the `clock` missed and its `due_at`.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl From<EventRow> for Event {
    fn from(row: EventRow) -> Event {
        Event {
            id: row.id,
            ticket_id: row.ticket_id.get(),
            actor_id: row.actor_id.map(i64::from),
            action: row.action,
            from_status: row.from_status,
            to_status: row.to_status,
            // Details are stored as JSON text (portable) and shown as the object they are.
            details: serde_json::from_str(&row.details).unwrap_or(serde_json::Value::Null),
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    #[schema(example = "已联系市自然资源和规划局，预计本周内答复。")]
    pub body: String,
    /// Internal comments are for the government side only; enterprises cannot write them.
    #[serde(default)]
    pub internal: bool,
}
