//! The four roles of the programme.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Operator: everything.
    Admin,
    /// Leader of a promotion centre, scoped to one region's subtree.
    Supervisor,
    /// Assistance cadre of an agency at a region.
    Cadre,
    /// Staff or API client of one enterprise.
    Enterprise,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Cadre => "cadre",
            Role::Enterprise => "enterprise",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "supervisor" => Some(Role::Supervisor),
            "cadre" => Some(Role::Cadre),
            "enterprise" => Some(Role::Enterprise),
            _ => None,
        }
    }

    /// Supervisors and cadres belong to a region.
    pub fn has_region(self) -> bool {
        matches!(self, Role::Supervisor | Role::Cadre)
    }
}

impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(text: String) -> Result<Role, String> {
        Role::parse(&text).ok_or_else(|| format!("unknown role {text:?}"))
    }
}

impl From<Role> for String {
    fn from(role: Role) -> String {
        role.as_str().to_owned()
    }
}
