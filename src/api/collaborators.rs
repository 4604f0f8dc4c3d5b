//! Assisting cadres (协办) of a ticket as the API takes and shows them.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::collaborators::Collaborator as CollaboratorRow;
use crate::domain::ticket::TaskStatus;

/// An assisting cadre and their task.
#[derive(Debug, Serialize, ToSchema)]
pub struct Collaborator {
    pub user_id: i64,
    #[schema(example = "王芳")]
    pub display_name: Option<String>,
    #[schema(example = "核实项目用地规划条件")]
    pub task: String,
    pub status: TaskStatus,
    /// Who asked for the help: the assignee or a supervisor.
    pub added_by: i64,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub added_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub completed_at: Option<NaiveDateTime>,
    /// What the assisting cadre reported on completing the task.
    pub note: Option<String>,
}

impl Collaborator {
    pub fn new(row: CollaboratorRow, display_name: Option<String>) -> Collaborator {
        Collaborator {
            user_id: row.user_id.get(),
            display_name,
            task: row.task,
            status: row.status,
            added_by: row.added_by.get(),
            added_at: row.added_at,
            completed_at: row.completed_at,
            note: row.note,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddCollaborator {
    /// An active cadre whose region holds the ticket's county (its county, city or province),
    /// not its assignee.
    pub user_id: i64,
    /// What they are asked to do, at most 2,000 characters.
    #[schema(example = "核实项目用地规划条件")]
    pub task: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteTask {
    /// What was done, at most 2,000 characters.
    #[schema(example = "已出具规划条件意见")]
    pub note: String,
}

/// A ticket's assisting cadres, in the order they were added (at most 50 a ticket, so one page).
#[derive(Debug, Serialize, ToSchema)]
pub struct Collaborators {
    pub items: Vec<Collaborator>,
    /// Always null: the list is whole.
    pub next_cursor: Option<String>,
}
