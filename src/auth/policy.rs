//! Who may do what: the one place every permission is decided, from the caller's role, region
//! and enterprise and the object's county and enterprise. Handlers and services ask here and
//! nowhere else. Decisions only: the words they are made in are `domain::access`'s, and a
//! refusal is recorded in the audit log where it becomes a response (`error`).
//!
//! Two answers of "no": an object outside the caller's scope is [`RefusalKind::Hidden`] (404),
//! exactly as if it did not exist, so ids cannot be probed; an object the caller may see but
//! not change is [`RefusalKind::Forbidden`] (403).

use crate::domain::access::{
    EnterpriseFacts, EnterpriseScope, Principal, Refusal, RefusalKind, TicketFacts, TicketScope,
    UserFacts, UserScope,
};
use crate::domain::ids::{EnterpriseId, UserId};
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::role::Role;
use crate::domain::ticket::Action;

/// Which rows a bulk import may write: everything (administrators, and the command line, which
/// acts as the operator), or only enterprises, cadres and pairings inside one region.
#[derive(Debug, Clone)]
pub enum ImportScope {
    All,
    Within(RegionCode),
}

impl ImportScope {
    pub fn allows(&self, code: &RegionCode) -> bool {
        match self {
            ImportScope::All => true,
            ImportScope::Within(region) => region.contains(code),
        }
    }

    /// Whether an import may learn what a stored account is (its role, its region): the
    /// operator always; a supervisor only for the cadres and enterprise users at home in their
    /// region, whom they manage anyway. Any other taken name is just "not available".
    pub fn sees_person(&self, person: &UserFacts) -> bool {
        match self {
            ImportScope::All => true,
            ImportScope::Within(region) => manages(region, person),
        }
    }
}

fn refusal(p: &Principal, kind: RefusalKind, reason: String) -> Refusal {
    Refusal {
        kind,
        reason,
        actor_id: p.user_id(),
        actor_role: p.role(),
    }
}

/// A refusal the caller may know about (403).
fn refuse(p: &Principal, reason: String) -> Refusal {
    refusal(p, RefusalKind::Forbidden, reason)
}

/// A refusal disguised as absence (404).
fn hide(p: &Principal, reason: &str) -> Refusal {
    refusal(p, RefusalKind::Hidden, reason.to_owned())
}

fn forbidden(p: &Principal, what: &str) -> Refusal {
    refuse(p, format!("your role may not {what}"))
}

/// The users a supervisor of `region` manages: cadres and enterprise users at home in it.
fn manages(region: &RegionCode, user: &UserFacts) -> bool {
    matches!(user.role, Role::Cadre | Role::Enterprise)
        && user.home.as_ref().is_some_and(|home| region.contains(home))
}

fn supervises(p: &Principal, user: &UserFacts) -> bool {
    matches!(p, Principal::Supervisor { region, .. } if manages(region, user))
}

fn is_admin(p: &Principal) -> bool {
    matches!(p, Principal::Admin { .. })
}

pub fn read_user(p: &Principal, user: &UserFacts) -> Result<(), Refusal> {
    let visible = is_admin(p) || user.id == p.user_id() || supervises(p, user);
    visible.then_some(()).ok_or_else(|| hide(p, "no such user"))
}

pub fn update_user(p: &Principal, user: &UserFacts) -> Result<(), Refusal> {
    read_user(p, user)?;
    (is_admin(p) || supervises(p, user))
        .then_some(())
        .ok_or_else(|| forbidden(p, "change this user"))
}

/// Unlocking a user's logins (forgetting their failed attempts): whoever may change the user,
/// so administrators for anyone and supervisors for the cadres and enterprise staff of their
/// region, who may set those users' passwords anyway.
pub fn unlock_user(p: &Principal, user: &UserFacts) -> Result<(), Refusal> {
    update_user(p, user)
}

/// Changing one's own password: people; an API client has a secret instead.
pub fn change_own_password(p: &Principal) -> Result<(), Refusal> {
    if matches!(p, Principal::Enterprise { client: true, .. }) {
        return Err(refuse(
            p,
            "API clients have no password; they use their client secret".into(),
        ));
    }
    Ok(())
}

/// Creating accounts at all: admins and supervisors.
pub fn create_users(p: &Principal) -> Result<(), Refusal> {
    match p {
        Principal::Admin { .. } | Principal::Supervisor { .. } => Ok(()),
        Principal::Cadre { .. } | Principal::Enterprise { .. } => Err(forbidden(p, "create users")),
    }
}

/// Whether the caller may give a user this role and home (on creation, or by a change).
pub fn place_user(p: &Principal, role: Role, home: Option<&RegionCode>) -> Result<(), Refusal> {
    match p {
        Principal::Admin { .. } => Ok(()),
        Principal::Supervisor { region, .. } if matches!(role, Role::Cadre | Role::Enterprise) => {
            if home.is_some_and(|home| region.contains(home)) {
                Ok(())
            } else {
                Err(refuse(p, "that is outside your region".into()))
            }
        }
        Principal::Supervisor { .. } | Principal::Cadre { .. } | Principal::Enterprise { .. } => {
            Err(forbidden(p, &format!("manage {} accounts", role.as_str())))
        }
    }
}

pub fn list_users(p: &Principal) -> Result<UserScope, Refusal> {
    match p {
        Principal::Admin { .. } => Ok(UserScope::All),
        Principal::Supervisor { region, .. } => Ok(UserScope::ManagedIn(region.subtree())),
        Principal::Cadre { .. } | Principal::Enterprise { .. } => Err(forbidden(p, "list users")),
    }
}

fn sees_enterprise(p: &Principal, e: &EnterpriseFacts) -> bool {
    match p {
        Principal::Admin { .. } => true,
        Principal::Supervisor { region, .. } => region.contains(&e.county),
        Principal::Enterprise { enterprise_id, .. } => *enterprise_id == e.id,
        Principal::Cadre { .. } => e.paired_with_caller,
    }
}

pub fn read_enterprise(p: &Principal, e: &EnterpriseFacts) -> Result<(), Refusal> {
    sees_enterprise(p, e)
        .then_some(())
        .ok_or_else(|| hide(p, "no such enterprise"))
}

/// Creating an enterprise in `county`, or changing one (then `county` is its county).
pub fn manage_enterprise_in(p: &Principal, county: &RegionCode) -> Result<(), Refusal> {
    match p {
        Principal::Admin { .. } => Ok(()),
        Principal::Supervisor { region, .. } if region.contains(county) => Ok(()),
        Principal::Supervisor { .. } => Err(refuse(p, "that county is outside your region".into())),
        Principal::Cadre { .. } | Principal::Enterprise { .. } => {
            Err(forbidden(p, "manage enterprises"))
        }
    }
}

/// Changing an enterprise or its pairings: 404 outside the caller's view, 403 when visible but
/// not theirs to manage.
pub fn manage_enterprise(p: &Principal, e: &EnterpriseFacts) -> Result<(), Refusal> {
    read_enterprise(p, e)?;
    manage_enterprise_in(p, &e.county)
}

/// Every role lists the enterprises it may see.
pub fn list_enterprises(p: &Principal) -> EnterpriseScope {
    match p {
        Principal::Admin { .. } => EnterpriseScope::All,
        Principal::Supervisor { region, .. } => EnterpriseScope::CountyIn(region.subtree()),
        Principal::Enterprise { enterprise_id, .. } => EnterpriseScope::Only(*enterprise_id),
        Principal::Cadre { user_id, .. } => EnterpriseScope::PairedWith(*user_id),
    }
}

/// A cadre's paired enterprises: for whoever may read that cadre, and of those enterprises only
/// the ones the caller may see (a pairing left behind by a move must not widen anyone's view).
pub fn read_paired_enterprises(
    p: &Principal,
    cadre: &UserFacts,
) -> Result<EnterpriseScope, Refusal> {
    read_user(p, cadre)?;
    if cadre.role != Role::Cadre {
        return Err(hide(p, "no such cadre"));
    }
    Ok(list_enterprises(p))
}

/// Bulk imports: administrators everything, supervisors their region's rows.
pub fn import(p: &Principal) -> Result<ImportScope, Refusal> {
    match p {
        Principal::Admin { .. } => Ok(ImportScope::All),
        Principal::Supervisor { region, .. } => Ok(ImportScope::Within(region.clone())),
        Principal::Cadre { .. } | Principal::Enterprise { .. } => Err(forbidden(p, "import")),
    }
}

/// Creating, listing and revoking an enterprise's API clients: its own staff (people, not
/// other clients), its supervisors, admins.
pub fn manage_clients(p: &Principal, e: &EnterpriseFacts) -> Result<(), Refusal> {
    read_enterprise(p, e)?;
    let allowed = match p {
        Principal::Admin { .. } | Principal::Supervisor { .. } => true,
        Principal::Enterprise { client, .. } => !client,
        Principal::Cadre { .. } => false,
    };
    allowed
        .then_some(())
        .ok_or_else(|| forbidden(p, "manage API clients"))
}

fn assigned_to_caller(p: &Principal, t: &TicketFacts) -> bool {
    t.assignee_id == Some(p.user_id())
}

fn own_enterprise(p: &Principal, t: &TicketFacts) -> bool {
    matches!(p, Principal::Enterprise { enterprise_id, .. } if *enterprise_id == t.enterprise_id)
}

/// A supervisor covers a ticket whose county lies in their region, at or above its level.
fn covers(p: &Principal, t: &TicketFacts) -> bool {
    matches!(p, Principal::Supervisor { region, .. }
        if region.contains(&t.county) && region.level() <= t.level)
}

fn sees_ticket(p: &Principal, t: &TicketFacts) -> bool {
    match p {
        Principal::Admin { .. } => true,
        Principal::Supervisor { region, .. } => region.contains(&t.county),
        Principal::Cadre { .. } => {
            assigned_to_caller(p, t) || t.caller_paired || t.caller_collaborating
        }
        Principal::Enterprise { .. } => own_enterprise(p, t),
    }
}

pub fn read_ticket(p: &Principal, t: &TicketFacts) -> Result<(), Refusal> {
    sees_ticket(p, t)
        .then_some(())
        .ok_or_else(|| hide(p, "no such ticket"))
}

/// The lifecycle table's "who" column.
pub fn move_ticket(p: &Principal, action: Action, t: &TicketFacts) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    let allowed = match action {
        Action::Assign => is_admin(p) || covers(p, t),
        Action::Accept | Action::Resolve | Action::RequestInfo | Action::Return => {
            assigned_to_caller(p, t)
        }
        Action::Escalate => assigned_to_caller(p, t) || covers(p, t),
        Action::Confirm | Action::Reopen | Action::Withdraw | Action::ProvideInfo => {
            own_enterprise(p, t)
        }
        // Not moves of the lifecycle: comments, missed clocks and extensions have rules of
        // their own.
        Action::File
        | Action::AutoClose
        | Action::Comment
        | Action::SlaBreached
        | Action::ExtensionRequested
        | Action::ExtensionApproved
        | Action::ExtensionRejected
        | Action::CollaboratorAdded
        | Action::CollaboratorCompleted
        | Action::CollaboratorRemoved
        | Action::SupervisionIssued
        | Action::SupervisionAnswered => false,
    };
    allowed
        .then_some(())
        .ok_or_else(|| refuse(p, format!("you may not {} this ticket", action.as_str())))
}

/// Asking for more time on a ticket (延期): its assignee.
pub fn request_extension(p: &Principal, t: &TicketFacts) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    assigned_to_caller(p, t)
        .then_some(())
        .ok_or_else(|| refuse(p, "only the ticket's assignee may ask for more time".into()))
}

/// Deciding (approving or rejecting) a request for more time: a supervisor whose region holds
/// the ticket's county, at whatever tier the ticket is, and administrators, as for dispatch;
/// never the one who asked.
pub fn decide_extension(
    p: &Principal,
    t: &TicketFacts,
    requested_by: UserId,
) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    if p.user_id() == requested_by {
        return Err(refuse(
            p,
            "you may not decide your own request for more time".into(),
        ));
    }
    let allowed = match p {
        Principal::Admin { .. } => true,
        Principal::Supervisor { region, .. } => region.contains(&t.county),
        Principal::Cadre { .. } | Principal::Enterprise { .. } => false,
    };
    allowed
        .then_some(())
        .ok_or_else(|| forbidden(p, "decide requests for more time"))
}

/// A ticket's extensions: whoever may see the ticket (its events say as much).
pub fn read_extensions(p: &Principal, t: &TicketFacts) -> Result<(), Refusal> {
    read_ticket(p, t)
}

/// The approval queue of requests for more time, for `region` (default: a supervisor's own,
/// the country for admins): admins anywhere, supervisors inside their own region, where a
/// region outside it answers as if it did not exist (as for statistics). Returns the counties
/// the queue holds.
pub fn read_extension_queue(
    p: &Principal,
    region: Option<&RegionCode>,
) -> Result<CodeRange, Refusal> {
    oversight_range(p, region, "read the approval queue")
}

/// A region's oversight (statistics, approval queues, supervision orders, workload) for
/// `region` (the country when `None`): admins anywhere, supervisors inside their own region,
/// which is also their default (a region outside it answers as if it did not exist). Returns
/// the region to look at.
fn oversight_region(
    p: &Principal,
    region: Option<&RegionCode>,
    what: &str,
) -> Result<Option<RegionCode>, Refusal> {
    match (p, region) {
        (Principal::Admin { .. }, region) => Ok(region.cloned()),
        (Principal::Supervisor { region: own, .. }, None) => Ok(Some(own.clone())),
        (Principal::Supervisor { region: own, .. }, Some(asked)) if own.contains(asked) => {
            Ok(Some(asked.clone()))
        }
        (Principal::Supervisor { .. }, Some(_)) => Err(hide(p, "no such region in your scope")),
        (Principal::Cadre { .. } | Principal::Enterprise { .. }, _) => Err(forbidden(p, what)),
    }
}

/// [`oversight_region`] as the counties it covers.
fn oversight_range(
    p: &Principal,
    region: Option<&RegionCode>,
    what: &str,
) -> Result<CodeRange, Refusal> {
    Ok(oversight_region(p, region, what)?.map_or_else(CodeRange::all, |r| r.subtree()))
}

/// The workload report of `region`'s cadres (default: a supervisor's own region, the country
/// for admins), as for statistics. Returns the region to report on.
pub fn read_workload(
    p: &Principal,
    region: Option<&RegionCode>,
) -> Result<Option<RegionCode>, Refusal> {
    oversight_region(p, region, "read workloads")
}

/// Reading the departments of the rosters: the government side (they are public rosters of
/// bureaus, which cadres need to find whom to ask for help).
pub fn read_departments(p: &Principal) -> Result<(), Refusal> {
    match p {
        Principal::Enterprise { .. } => Err(forbidden(p, "read departments")),
        Principal::Admin { .. } | Principal::Supervisor { .. } | Principal::Cadre { .. } => Ok(()),
    }
}

/// Managing departments at all: admins and supervisors.
pub fn manage_departments(p: &Principal) -> Result<(), Refusal> {
    match p {
        Principal::Admin { .. } | Principal::Supervisor { .. } => Ok(()),
        Principal::Cadre { .. } | Principal::Enterprise { .. } => {
            Err(forbidden(p, "manage departments"))
        }
    }
}

/// Creating or changing a department of `region`: admins, and supervisors whose region holds it.
pub fn manage_department(p: &Principal, region: &RegionCode) -> Result<(), Refusal> {
    match p {
        Principal::Admin { .. } => Ok(()),
        Principal::Supervisor { region: own, .. } if own.contains(region) => Ok(()),
        Principal::Supervisor { .. } => Err(refuse(p, "that region is outside your own".into())),
        Principal::Cadre { .. } | Principal::Enterprise { .. } => {
            Err(forbidden(p, "manage departments"))
        }
    }
}

/// The cadres who could take a ticket (dispatch candidates): whoever may assign it.
pub fn read_candidates(p: &Principal, t: &TicketFacts) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    (is_admin(p) || covers(p, t))
        .then_some(())
        .ok_or_else(|| forbidden(p, "dispatch this ticket"))
}

/// Adding or removing an assisting cadre (协办): the assignee, a supervisor covering the
/// ticket (at or above its level), and admins.
pub fn manage_collaborators(p: &Principal, t: &TicketFacts) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    (is_admin(p) || covers(p, t) || assigned_to_caller(p, t))
        .then_some(())
        .ok_or_else(|| refuse(p, "only the assignee or a supervisor covering the ticket manages its assisting cadres".into()))
}

/// Completing an assisting task: the assisting cadre themselves.
pub fn complete_task(p: &Principal, t: &TicketFacts, collaborator: UserId) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    (p.user_id() == collaborator)
        .then_some(())
        .ok_or_else(|| refuse(p, "only the assisting cadre completes their task".into()))
}

/// A ticket's assisting cadres and supervision orders: the government side of whoever may see
/// the ticket (an enterprise reads neither: both are internal coordination).
pub fn read_coordination(p: &Principal, t: &TicketFacts) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    sees_internal(p)
        .then_some(())
        .ok_or_else(|| forbidden(p, "read the government's coordination of a ticket"))
}

/// Issuing a supervision order (督办): a supervisor whose region holds the ticket's county, at
/// whatever tier the ticket is (typically from above), and admins.
pub fn issue_supervision(p: &Principal, t: &TicketFacts) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    let allowed = match p {
        Principal::Admin { .. } => true,
        Principal::Supervisor { region, .. } => region.contains(&t.county),
        Principal::Cadre { .. } | Principal::Enterprise { .. } => false,
    };
    allowed
        .then_some(())
        .ok_or_else(|| forbidden(p, "issue supervision orders"))
}

/// Answering a supervision order: the ticket's assignee.
pub fn answer_supervision(p: &Principal, t: &TicketFacts) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    assigned_to_caller(p, t).then_some(()).ok_or_else(|| {
        refuse(
            p,
            "only the ticket's assignee answers a supervision order".into(),
        )
    })
}

/// The supervision orders of `region`'s tickets (default: a supervisor's own region, the
/// country for admins); the counties covered.
pub fn read_supervision_list(
    p: &Principal,
    region: Option<&RegionCode>,
) -> Result<CodeRange, Refusal> {
    oversight_range(p, region, "read supervision orders")
}

/// Delegating (`assign` with `delegate`): whoever may assign the ticket. The cadre must be of
/// a lower level than the ticket's, of a region holding its county (see [`may_be_delegated`]).
pub fn may_be_delegated(cadre_region: &RegionCode, t: &TicketFacts) -> bool {
    cadre_region.level() > t.level && cadre_region.contains(&t.county) && !cadre_region.is_heading()
}

/// Enterprises comment publicly on their own tickets; the assignee, its assisting cadres,
/// supervisors and admins also internally.
pub fn comment_on_ticket(p: &Principal, t: &TicketFacts, internal: bool) -> Result<(), Refusal> {
    read_ticket(p, t)?;
    let allowed = match p {
        Principal::Admin { .. } | Principal::Supervisor { .. } => true,
        Principal::Cadre { .. } => assigned_to_caller(p, t) || t.caller_collaborating,
        Principal::Enterprise { .. } => !internal,
    };
    allowed.then_some(()).ok_or_else(|| {
        forbidden(
            p,
            if internal {
                "write internal comments"
            } else {
                "comment on this ticket"
            },
        )
    })
}

/// Internal comments and their events are for the government side only.
pub fn sees_internal(p: &Principal) -> bool {
    !matches!(p, Principal::Enterprise { .. })
}

/// Only an enterprise (a person or an API client) files, and only for itself.
pub fn file_ticket(p: &Principal) -> Result<EnterpriseId, Refusal> {
    match p {
        Principal::Enterprise { enterprise_id, .. } => Ok(*enterprise_id),
        Principal::Admin { .. } | Principal::Supervisor { .. } | Principal::Cadre { .. } => {
            Err(forbidden(p, "file tickets"))
        }
    }
}

/// Which tickets a list may show when it is filtered to the tickets of `assignee` (if any).
pub fn list_tickets(p: &Principal, assignee: Option<UserId>) -> TicketScope {
    match p {
        Principal::Admin { .. } => TicketScope::All,
        Principal::Supervisor { region, .. } => TicketScope::CountyIn(region.subtree()),
        Principal::Cadre { user_id, .. } if lists_own_queue(*user_id, assignee) => TicketScope::All,
        Principal::Cadre { user_id, .. } => TicketScope::Cadre(*user_id),
        Principal::Enterprise { enterprise_id, .. } => TicketScope::Enterprise(*enterprise_id),
    }
}

/// A cadre listing their own queue needs no scope: the filter on the assignee keeps the list to
/// tickets assigned to them, all of which they may see. Dropping the scope's "or paired"
/// condition is for speed: the query runs straight down the assignee index.
fn lists_own_queue(cadre: UserId, assignee: Option<UserId>) -> bool {
    assignee == Some(cadre)
}

/// A cadre may take tickets at their own tier for the region that holds the county.
pub fn may_be_assigned(cadre_region: &RegionCode, t: &TicketFacts) -> bool {
    *cadre_region == t.county.ancestor_at(t.level)
}

/// Statistics of `region` (the country when `None`): admins anywhere, supervisors inside their
/// own region (which is also their default). Returns the region to report on.
pub fn read_stats(
    p: &Principal,
    region: Option<&RegionCode>,
) -> Result<Option<RegionCode>, Refusal> {
    oversight_region(p, region, "read statistics")
}

pub fn manage_categories(p: &Principal) -> Result<(), Refusal> {
    is_admin(p)
        .then_some(())
        .ok_or_else(|| forbidden(p, "manage categories"))
}

/// Replacing a year of the working-day calendar: admins (anyone signed in reads it).
pub fn manage_calendar(p: &Principal) -> Result<(), Refusal> {
    is_admin(p)
        .then_some(())
        .ok_or_else(|| forbidden(p, "change the calendar"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ticket::Level;

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    fn principal(role: Role, region: Option<&str>, enterprise_id: Option<i64>) -> Principal {
        Principal::new(
            UserId(1),
            role,
            region.map(code),
            enterprise_id.map(EnterpriseId),
            false,
        )
        .unwrap()
    }

    fn client_of(enterprise_id: i64) -> Principal {
        Principal::Enterprise {
            user_id: UserId(1),
            enterprise_id: EnterpriseId(enterprise_id),
            client: true,
        }
    }

    fn user(id: i64, role: Role, home: &str) -> UserFacts {
        UserFacts {
            id: UserId(id),
            role,
            home: Some(code(home)),
        }
    }

    fn enterprise(id: i64, county: &str, paired_with_caller: bool) -> EnterpriseFacts {
        EnterpriseFacts {
            id: EnterpriseId(id),
            county: code(county),
            paired_with_caller,
        }
    }

    #[test]
    fn supervisors_see_and_manage_their_subtree_only() {
        let sup = principal(Role::Supervisor, Some("411600"), None);
        let inside = user(2, Role::Cadre, "411602");
        let outside = user(3, Role::Cadre, "410102");
        let peer = user(4, Role::Supervisor, "411602");
        assert!(update_user(&sup, &inside).is_ok());
        assert!(matches!(
            read_user(&sup, &outside),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        assert!(matches!(
            read_user(&sup, &peer),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        assert!(place_user(&sup, Role::Cadre, Some(&code("411681"))).is_ok());
        assert!(matches!(
            place_user(&sup, Role::Cadre, Some(&code("410102"))),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        assert!(matches!(
            place_user(&sup, Role::Supervisor, Some(&code("411602"))),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
    }

    #[test]
    fn unlocking_follows_managing_and_clients_have_no_password() {
        let sup = principal(Role::Supervisor, Some("411600"), None);
        assert!(unlock_user(&sup, &user(2, Role::Cadre, "411602")).is_ok());
        assert!(matches!(
            unlock_user(&sup, &user(1, Role::Supervisor, "411600")),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        assert!(matches!(
            unlock_user(&sup, &user(3, Role::Cadre, "410102")),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        let staff = principal(Role::Enterprise, None, Some(5));
        assert!(change_own_password(&staff).is_ok());
        let client = client_of(5);
        assert!(matches!(
            change_own_password(&client),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
    }

    #[test]
    fn people_read_themselves_but_do_not_manage() {
        let cadre = principal(Role::Cadre, Some("411602"), None);
        let me = user(1, Role::Cadre, "411602");
        assert!(read_user(&cadre, &me).is_ok());
        assert!(matches!(
            update_user(&cadre, &me),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        assert!(matches!(
            read_user(&cadre, &user(9, Role::Cadre, "411602")),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        assert!(matches!(
            list_users(&cadre),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
    }

    #[test]
    fn enterprise_staff_see_their_own_enterprise_and_clients_cannot_mint_clients() {
        let own = enterprise(5, "411602", false);
        let other = enterprise(6, "411602", false);
        let staff = principal(Role::Enterprise, None, Some(5));
        assert!(manage_clients(&staff, &own).is_ok());
        assert!(matches!(
            read_enterprise(&staff, &other),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        let client = client_of(5);
        assert!(matches!(
            manage_clients(&client, &own),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
    }

    fn ticket(level: Level, assignee: Option<i64>) -> TicketFacts {
        TicketFacts {
            enterprise_id: EnterpriseId(5),
            county: code("411602"),
            level,
            assignee_id: assignee.map(UserId),
            caller_paired: false,
            caller_collaborating: false,
        }
    }

    #[test]
    fn supervisors_dispatch_at_or_below_their_tier() {
        let county_sup = principal(Role::Supervisor, Some("411602"), None);
        let city_sup = principal(Role::Supervisor, Some("411600"), None);
        assert!(move_ticket(&county_sup, Action::Assign, &ticket(Level::County, None)).is_ok());
        assert!(matches!(
            move_ticket(&county_sup, Action::Assign, &ticket(Level::City, None)),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        assert!(move_ticket(&city_sup, Action::Assign, &ticket(Level::City, None)).is_ok());
        assert!(move_ticket(&city_sup, Action::Escalate, &ticket(Level::County, Some(9))).is_ok());
        let foreign = principal(Role::Supervisor, Some("410100"), None);
        assert!(matches!(
            move_ticket(&foreign, Action::Assign, &ticket(Level::County, None)),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
    }

    #[test]
    fn only_the_assignee_works_a_ticket_and_only_the_enterprise_closes_it() {
        let cadre = principal(Role::Cadre, Some("411602"), None);
        assert!(move_ticket(&cadre, Action::Accept, &ticket(Level::County, Some(1))).is_ok());
        assert!(matches!(
            move_ticket(&cadre, Action::Accept, &ticket(Level::County, Some(2))),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        let paired = TicketFacts {
            caller_paired: true,
            ..ticket(Level::County, Some(2))
        };
        assert!(matches!(
            move_ticket(&cadre, Action::Resolve, &paired),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        let owner = principal(Role::Enterprise, None, Some(5));
        assert!(move_ticket(&owner, Action::Confirm, &ticket(Level::County, Some(1))).is_ok());
        assert!(matches!(
            comment_on_ticket(&owner, &ticket(Level::County, None), true),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        assert!(may_be_assigned(&code("411600"), &ticket(Level::City, None)));
        assert!(!may_be_assigned(
            &code("411600"),
            &ticket(Level::County, None)
        ));
    }

    #[test]
    fn cadres_read_their_paired_enterprises_and_manage_none() {
        let cadre = principal(Role::Cadre, Some("411602"), None);
        let paired = enterprise(5, "411602", true);
        assert!(read_enterprise(&cadre, &paired).is_ok());
        assert!(matches!(
            manage_enterprise(&cadre, &paired),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        assert!(matches!(
            read_enterprise(&cadre, &enterprise(6, "411602", false)),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        assert!(matches!(
            list_enterprises(&cadre),
            EnterpriseScope::PairedWith(UserId(1))
        ));
    }

    #[test]
    fn supervisors_manage_and_import_only_inside_their_region() {
        let sup = principal(Role::Supervisor, Some("411600"), None);
        assert!(manage_enterprise(&sup, &enterprise(5, "411602", false)).is_ok());
        assert!(matches!(
            manage_enterprise(&sup, &enterprise(6, "410102", false)),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        let scope = import(&sup).unwrap();
        assert!(scope.allows(&code("411681")) && !scope.allows(&code("410102")));
        let cadre = principal(Role::Cadre, Some("411602"), None);
        assert!(matches!(
            import(&cadre),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        let staff = user(7, Role::Enterprise, "411602");
        assert!(matches!(
            read_paired_enterprises(&sup, &staff),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
    }

    #[test]
    fn a_cadre_listing_their_own_queue_needs_no_scope() {
        let cadre = principal(Role::Cadre, Some("411602"), None);
        assert!(matches!(
            list_tickets(&cadre, Some(UserId(1))),
            TicketScope::All
        ));
        assert!(matches!(
            list_tickets(&cadre, None),
            TicketScope::Cadre(UserId(1))
        ));
        assert!(matches!(
            list_tickets(&cadre, Some(UserId(2))),
            TicketScope::Cadre(UserId(1))
        ));
        let sup = principal(Role::Supervisor, Some("411600"), None);
        assert!(matches!(
            list_tickets(&sup, Some(UserId(1))),
            TicketScope::CountyIn(_)
        ));
    }

    #[test]
    fn the_assignee_asks_for_more_time_and_a_covering_supervisor_decides() {
        let cadre = principal(Role::Cadre, Some("411602"), None);
        assert!(request_extension(&cadre, &ticket(Level::County, Some(1))).is_ok());
        let paired = TicketFacts {
            caller_paired: true,
            ..ticket(Level::County, Some(2))
        };
        assert!(matches!(
            request_extension(&cadre, &paired),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        assert!(matches!(
            request_extension(&cadre, &ticket(Level::County, Some(2))),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        let admin = principal(Role::Admin, None, None);
        assert!(request_extension(&admin, &ticket(Level::County, None)).is_err());

        // The requester is user 9; the deciders are user 1.
        let asked = UserId(9);
        let county_sup = principal(Role::Supervisor, Some("411602"), None);
        let city_sup = principal(Role::Supervisor, Some("411600"), None);
        // At whatever tier the ticket is: a county supervisor decides for a city-level ticket
        // of their county too.
        assert!(decide_extension(&county_sup, &ticket(Level::City, Some(9)), asked).is_ok());
        assert!(decide_extension(&city_sup, &ticket(Level::County, Some(9)), asked).is_ok());
        assert!(decide_extension(&admin, &ticket(Level::County, Some(9)), asked).is_ok());
        let foreign = principal(Role::Supervisor, Some("410100"), None);
        assert!(matches!(
            decide_extension(&foreign, &ticket(Level::County, Some(9)), asked),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        // Never the one who asked, whatever their role now.
        assert!(matches!(
            decide_extension(&city_sup, &ticket(Level::County, Some(1)), UserId(1)),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        let assignee = principal(Role::Cadre, Some("411602"), None);
        assert!(matches!(
            decide_extension(&assignee, &ticket(Level::County, Some(1)), asked),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
        let owner = principal(Role::Enterprise, None, Some(5));
        assert!(read_extensions(&owner, &ticket(Level::County, Some(9))).is_ok());
        assert!(matches!(
            decide_extension(&owner, &ticket(Level::County, Some(9)), asked),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
    }

    #[test]
    fn the_approval_queue_is_for_supervisors_in_their_region_and_admins() {
        let sup = principal(Role::Supervisor, Some("411600"), None);
        assert_eq!(
            read_extension_queue(&sup, None),
            Ok(code("411600").subtree())
        );
        assert_eq!(
            read_extension_queue(&sup, Some(&code("411602"))),
            Ok(code("411602").subtree())
        );
        assert!(matches!(
            read_extension_queue(&sup, Some(&code("410000"))),
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        ));
        let admin = principal(Role::Admin, None, None);
        assert_eq!(read_extension_queue(&admin, None), Ok(CodeRange::all()));
        assert_eq!(
            read_extension_queue(&admin, Some(&code("410100"))),
            Ok(code("410100").subtree())
        );
        let cadre = principal(Role::Cadre, Some("411602"), None);
        assert!(matches!(
            read_extension_queue(&cadre, None),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        ));
    }

    fn hidden(result: Result<(), Refusal>) -> bool {
        matches!(
            result,
            Err(Refusal {
                kind: RefusalKind::Hidden,
                ..
            })
        )
    }

    fn forbidden_(result: Result<(), Refusal>) -> bool {
        matches!(
            result,
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                ..
            })
        )
    }

    #[test]
    fn an_assisting_cadre_reads_and_comments_and_nothing_else() {
        let helper = principal(Role::Cadre, Some("411600"), None);
        let assisted = TicketFacts {
            caller_collaborating: true,
            ..ticket(Level::County, Some(2))
        };
        assert!(read_ticket(&helper, &assisted).is_ok());
        assert!(comment_on_ticket(&helper, &assisted, true).is_ok());
        assert!(read_coordination(&helper, &assisted).is_ok());
        assert!(complete_task(&helper, &assisted, UserId(1)).is_ok());
        assert!(forbidden_(complete_task(&helper, &assisted, UserId(7))));
        for action in [
            Action::Accept,
            Action::Resolve,
            Action::Escalate,
            Action::Return,
            Action::Assign,
        ] {
            assert!(
                forbidden_(move_ticket(&helper, action, &assisted)),
                "{action:?}"
            );
        }
        assert!(forbidden_(manage_collaborators(&helper, &assisted)));
        assert!(forbidden_(request_extension(&helper, &assisted)));
        assert!(forbidden_(issue_supervision(&helper, &assisted)));
        assert!(forbidden_(answer_supervision(&helper, &assisted)));
        // Removed from the ticket, they see nothing of it.
        assert!(hidden(read_ticket(
            &helper,
            &ticket(Level::County, Some(2))
        )));
    }

    #[test]
    fn the_assignee_and_covering_supervisors_ask_for_help() {
        let assignee = principal(Role::Cadre, Some("411602"), None);
        assert!(manage_collaborators(&assignee, &ticket(Level::County, Some(1))).is_ok());
        let city_sup = principal(Role::Supervisor, Some("411600"), None);
        let county_sup = principal(Role::Supervisor, Some("411602"), None);
        assert!(manage_collaborators(&city_sup, &ticket(Level::County, Some(9))).is_ok());
        // A county supervisor does not cover a city-level ticket.
        assert!(forbidden_(manage_collaborators(
            &county_sup,
            &ticket(Level::City, Some(9))
        )));
        let owner = principal(Role::Enterprise, None, Some(5));
        assert!(forbidden_(read_coordination(
            &owner,
            &ticket(Level::County, Some(9))
        )));
    }

    #[test]
    fn supervision_comes_from_any_level_holding_the_county_and_the_assignee_answers() {
        let t = ticket(Level::County, Some(1));
        for region in ["411602", "411600", "410000"] {
            let sup = principal(Role::Supervisor, Some(region), None);
            assert!(issue_supervision(&sup, &t).is_ok(), "{region}");
            assert!(read_supervision_list(&sup, Some(&code("411602"))).is_ok());
        }
        let foreign = principal(Role::Supervisor, Some("410100"), None);
        assert!(hidden(issue_supervision(&foreign, &t)));
        assert!(read_supervision_list(&foreign, Some(&code("411602"))).is_err());
        let assignee = principal(Role::Cadre, Some("411602"), None);
        assert!(answer_supervision(&assignee, &t).is_ok());
        assert!(forbidden_(issue_supervision(&assignee, &t)));
        let other_sup = Principal::Supervisor {
            user_id: UserId(3),
            region: code("411600"),
        };
        assert!(forbidden_(answer_supervision(&other_sup, &t)));
    }

    #[test]
    fn delegation_goes_below_the_ticket_level_inside_its_county() {
        let city_level = ticket(Level::City, None);
        assert!(may_be_delegated(&code("411602"), &city_level));
        assert!(
            !may_be_delegated(&code("411600"), &city_level),
            "its own level"
        );
        assert!(
            !may_be_delegated(&code("411621"), &city_level),
            "another county"
        );
        assert!(!may_be_delegated(
            &code("411602"),
            &ticket(Level::County, None)
        ));
        let province_level = ticket(Level::Province, None);
        assert!(may_be_delegated(&code("411600"), &province_level));
        assert!(may_be_delegated(&code("411602"), &province_level));
        // Departments: the government side reads, supervisors manage their subtree's.
        let sup = principal(Role::Supervisor, Some("411600"), None);
        assert!(manage_department(&sup, &code("411602")).is_ok());
        assert!(forbidden_(manage_department(&sup, &code("410000"))));
        let cadre = principal(Role::Cadre, Some("411602"), None);
        assert!(read_departments(&cadre).is_ok());
        assert!(forbidden_(manage_departments(&cadre)));
        assert!(forbidden_(read_departments(&principal(
            Role::Enterprise,
            None,
            Some(5)
        ))));
    }

    #[test]
    fn a_refusal_names_who_was_refused_and_why() {
        let cadre = principal(Role::Cadre, Some("411602"), None);
        assert_eq!(
            manage_categories(&cadre),
            Err(Refusal {
                kind: RefusalKind::Forbidden,
                reason: "your role may not manage categories".into(),
                actor_id: UserId(1),
                actor_role: Role::Cadre,
            })
        );
    }
}
