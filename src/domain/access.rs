//! The words of access control, shared by the policy that decides (`auth::policy`), the storage
//! that filters by its answers and the response that reports a refusal: who is calling, what a
//! decision needs to know about an object, which rows a list may show, and what a "no" says.
//! The decisions themselves are the policy's.

use super::region::{CodeRange, RegionCode};
use super::role::Role;
use super::ticket::Level;
use crate::domain::ids::{EnterpriseId, UserId};

/// Who is calling, each role with exactly what it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Admin {
        user_id: UserId,
    },
    /// Watches and dispatches inside their region's subtree.
    Supervisor {
        user_id: UserId,
        region: RegionCode,
    },
    /// Works tickets at their region's tier.
    Cadre {
        user_id: UserId,
        region: RegionCode,
    },
    /// Acts for one enterprise: a person, or its API client (`client`), which has no password.
    Enterprise {
        user_id: UserId,
        enterprise_id: EnterpriseId,
        client: bool,
    },
}

impl Principal {
    /// The principal of an account with this role, region and enterprise; `None` for a
    /// combination no account can have (a cadre without a region, an administrator with an
    /// enterprise, an API client that is not an enterprise's).
    pub fn new(
        user_id: UserId,
        role: Role,
        region: Option<RegionCode>,
        enterprise_id: Option<EnterpriseId>,
        client: bool,
    ) -> Option<Principal> {
        match (role, region, enterprise_id, client) {
            (Role::Admin, None, None, false) => Some(Principal::Admin { user_id }),
            (Role::Supervisor, Some(region), None, false) => {
                Some(Principal::Supervisor { user_id, region })
            }
            (Role::Cadre, Some(region), None, false) => Some(Principal::Cadre { user_id, region }),
            (Role::Enterprise, None, Some(enterprise_id), client) => Some(Principal::Enterprise {
                user_id,
                enterprise_id,
                client,
            }),
            _ => None,
        }
    }

    pub fn user_id(&self) -> UserId {
        match self {
            Principal::Admin { user_id }
            | Principal::Supervisor { user_id, .. }
            | Principal::Cadre { user_id, .. }
            | Principal::Enterprise { user_id, .. } => *user_id,
        }
    }

    pub fn role(&self) -> Role {
        match self {
            Principal::Admin { .. } => Role::Admin,
            Principal::Supervisor { .. } => Role::Supervisor,
            Principal::Cadre { .. } => Role::Cadre,
            Principal::Enterprise { .. } => Role::Enterprise,
        }
    }
}

/// What the policy needs to know about a user.
#[derive(Debug, Clone)]
pub struct UserFacts {
    pub id: UserId,
    pub role: Role,
    /// A supervisor's or cadre's region; an enterprise user's enterprise county.
    pub home: Option<RegionCode>,
}

/// What the policy needs to know about an enterprise.
#[derive(Debug, Clone)]
pub struct EnterpriseFacts {
    pub id: EnterpriseId,
    pub county: RegionCode,
    /// Whether the caller is one of its paired cadres (looked up only when the caller is a
    /// cadre, the one role it matters to).
    pub paired_with_caller: bool,
}

/// What the policy needs to know about a ticket.
#[derive(Debug, Clone)]
pub struct TicketFacts {
    pub enterprise_id: EnterpriseId,
    pub county: RegionCode,
    pub level: Level,
    pub assignee_id: Option<UserId>,
    /// Whether the caller is a cadre paired with the ticket's enterprise.
    pub caller_paired: bool,
    /// Whether the caller is one of its assisting cadres (协办), their task open or done.
    pub caller_collaborating: bool,
}

/// How a cadre is tied to a ticket besides being its assignee (looked up only for a cadre who
/// is not, the one caller it matters to).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CadreRelation {
    /// Paired with the ticket's enterprise.
    pub paired: bool,
    /// One of the ticket's assisting cadres.
    pub collaborating: bool,
}

/// Which users a list may show.
#[derive(Debug, Clone)]
pub enum UserScope {
    All,
    /// Cadres and enterprise users whose home lies in this range.
    ManagedIn(CodeRange),
}

/// Which enterprises a list may show.
#[derive(Debug, Clone)]
pub enum EnterpriseScope {
    All,
    CountyIn(CodeRange),
    Only(EnterpriseId),
    /// The enterprises this cadre is paired with.
    PairedWith(UserId),
}

/// Which tickets a list may show.
#[derive(Debug, Clone)]
pub enum TicketScope {
    All,
    CountyIn(CodeRange),
    /// Assigned to this cadre, filed by an enterprise paired with them, or assisted by them.
    Cadre(UserId),
    Enterprise(EnterpriseId),
}

/// A "no" from the policy: what the caller is told, and who was refused, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub reason: String,
    pub actor_id: UserId,
    pub actor_role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// The caller may see the object but not do this to it (403).
    Forbidden,
    /// The object lies outside the caller's view: answered as if it did not exist (404), so
    /// ids cannot be probed.
    Hidden,
}

impl RefusalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalKind::Forbidden => "forbidden",
            RefusalKind::Hidden => "hidden",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_principal_holds_only_what_its_role_has() {
        let code = RegionCode::parse("411602").unwrap();
        let cadre =
            Principal::new(UserId(7), Role::Cadre, Some(code.clone()), None, false).unwrap();
        assert_eq!((cadre.user_id(), cadre.role()), (UserId(7), Role::Cadre));
        assert_eq!(
            Principal::new(
                UserId(7),
                Role::Enterprise,
                None,
                Some(EnterpriseId(5)),
                true
            ),
            Some(Principal::Enterprise {
                user_id: UserId(7),
                enterprise_id: EnterpriseId(5),
                client: true
            })
        );
        for impossible in [
            Principal::new(UserId(7), Role::Cadre, None, None, false),
            Principal::new(
                UserId(7),
                Role::Supervisor,
                Some(code.clone()),
                Some(EnterpriseId(5)),
                false,
            ),
            Principal::new(UserId(7), Role::Admin, Some(code.clone()), None, false),
            Principal::new(UserId(7), Role::Admin, None, None, true),
            Principal::new(
                UserId(7),
                Role::Enterprise,
                Some(code),
                Some(EnterpriseId(5)),
                false,
            ),
            Principal::new(UserId(7), Role::Enterprise, None, None, false),
        ] {
            assert_eq!(impossible, None);
        }
    }
}
