//! Dispatch candidates of a ticket as the API shows them.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::region::RegionCode;

/// An active cadre who may take the ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct Candidate {
    pub user_id: i64,
    #[schema(example = "李明")]
    pub display_name: Option<String>,
    /// The cadre's department of the roster (its name), else their department as a display name.
    #[schema(example = "周口市自然资源和规划局")]
    pub department: Option<String>,
    pub department_id: Option<i64>,
    /// The cadre's region: the ticket's level, or a lower one when delegating.
    #[schema(value_type = String, example = "411600")]
    pub region_code: RegionCode,
    /// Tickets assigned to the cadre and not settled (submitted, assigned, in progress,
    /// awaiting the enterprise), all levels and counties together.
    pub open_tickets: i64,
    /// Whether the cadre's department (active) handles the ticket's category.
    pub matches_category: bool,
}

/// The candidates, best first: those whose department handles the ticket's category, then the
/// least loaded, then by id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Candidates {
    pub items: Vec<Candidate>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListCandidates {
    /// `true`: cadres of the levels below the ticket's whose region holds its county (for
    /// `assign` with `delegate`); default: cadres of the ticket's own level.
    pub delegate: Option<bool>,
    /// `true`: cadres who may assist (协办, `POST /tickets/{id}/collaborators`): those of every
    /// level whose region holds the ticket's county, but its assignee; for whoever may add
    /// assisting cadres (the assignee too). Not with `delegate`.
    pub assist: Option<bool>,
    /// How many, 1 to 200 (larger values are lowered to 200); default 50.
    #[param(minimum = 1, default = 50)]
    pub limit: Option<i64>,
}
