//! Who may do what: the one place every permission is decided, from the caller's role, region
//! and enterprise and the object's county and enterprise. Handlers and services ask here and
//! nowhere else.
//!
//! Two answers of "no": an object outside the caller's scope is [`Error::NotFound`], exactly as
//! if it did not exist, so ids cannot be probed; an object the caller may see but not change is
//! [`Error::Forbidden`].

use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::role::Role;
use crate::domain::ticket::{Action, Level};
use crate::error::Error;

use super::Principal;

/// What the policy needs to know about a user.
#[derive(Debug, Clone)]
pub struct UserFacts {
    pub id: i64,
    pub role: Role,
    /// A supervisor's or cadre's region; an enterprise user's enterprise county.
    pub home: Option<RegionCode>,
}

/// What the policy needs to know about an enterprise.
#[derive(Debug, Clone)]
pub struct EnterpriseFacts {
    pub id: i64,
    pub county: RegionCode,
    /// Whether the caller is one of its paired cadres (looked up only when the caller is a
    /// cadre, the one role it matters to).
    pub paired_with_caller: bool,
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
    Only(i64),
    /// The enterprises this cadre is paired with.
    PairedWith(i64),
}

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
            ImportScope::Within(region) => {
                matches!(person.role, Role::Cadre | Role::Enterprise)
                    && person
                        .home
                        .as_ref()
                        .is_some_and(|home| region.contains(home))
            }
        }
    }
}

/// A refusal the caller may know about (403), recorded in the audit log.
fn refuse(p: &Principal, detail: String) -> Error {
    crate::audit::access_denied(p, "forbidden", &detail);
    Error::Forbidden(detail)
}

/// A refusal disguised as absence (404), recorded in the audit log.
fn hide(p: &Principal, detail: &str) -> Error {
    crate::audit::access_denied(p, "hidden", detail);
    Error::not_found(detail)
}

fn forbidden(p: &Principal, what: &str) -> Error {
    refuse(p, format!("your role may not {what}"))
}

/// Whether `code` lies in the caller's region subtree (only supervisors and cadres have one).
fn in_region(p: &Principal, code: Option<&RegionCode>) -> bool {
    match (&p.region, code) {
        (Some(region), Some(code)) => region.contains(code),
        _ => false,
    }
}

/// Users a supervisor manages: cadres and enterprise users at home in their region.
fn supervises(p: &Principal, user: &UserFacts) -> bool {
    p.role == Role::Supervisor
        && matches!(user.role, Role::Cadre | Role::Enterprise)
        && in_region(p, user.home.as_ref())
}

pub fn read_user(p: &Principal, user: &UserFacts) -> Result<(), Error> {
    let visible = p.role == Role::Admin || user.id == p.user_id || supervises(p, user);
    visible.then_some(()).ok_or_else(|| hide(p, "no such user"))
}

pub fn update_user(p: &Principal, user: &UserFacts) -> Result<(), Error> {
    read_user(p, user)?;
    (p.role == Role::Admin || supervises(p, user))
        .then_some(())
        .ok_or_else(|| forbidden(p, "change this user"))
}

/// Unlocking a user's logins (forgetting their failed attempts): whoever may change the user,
/// so administrators for anyone and supervisors for the cadres and enterprise staff of their
/// region, who may set those users' passwords anyway.
pub fn unlock_user(p: &Principal, user: &UserFacts) -> Result<(), Error> {
    update_user(p, user)
}

/// Changing one's own password: people; an API client has a secret instead.
pub fn change_own_password(p: &Principal) -> Result<(), Error> {
    (!p.is_client).then_some(()).ok_or_else(|| {
        refuse(
            p,
            "API clients have no password; they use their client secret".into(),
        )
    })
}

/// Creating accounts at all: admins and supervisors.
pub fn create_users(p: &Principal) -> Result<(), Error> {
    match p.role {
        Role::Admin | Role::Supervisor => Ok(()),
        _ => Err(forbidden(p, "create users")),
    }
}

/// Whether the caller may give a user this role and home (on creation, or by a change).
pub fn place_user(p: &Principal, role: Role, home: Option<&RegionCode>) -> Result<(), Error> {
    match p.role {
        Role::Admin => Ok(()),
        Role::Supervisor if matches!(role, Role::Cadre | Role::Enterprise) => {
            if in_region(p, home) {
                Ok(())
            } else {
                Err(refuse(p, "that is outside your region".into()))
            }
        }
        _ => Err(forbidden(p, &format!("manage {} accounts", role.as_str()))),
    }
}

pub fn list_users(p: &Principal) -> Result<UserScope, Error> {
    match (p.role, &p.region) {
        (Role::Admin, _) => Ok(UserScope::All),
        (Role::Supervisor, Some(region)) => Ok(UserScope::ManagedIn(region.subtree())),
        _ => Err(forbidden(p, "list users")),
    }
}

fn sees_enterprise(p: &Principal, e: &EnterpriseFacts) -> bool {
    match p.role {
        Role::Admin => true,
        Role::Supervisor => in_region(p, Some(&e.county)),
        Role::Enterprise => p.enterprise_id == Some(e.id),
        Role::Cadre => e.paired_with_caller,
    }
}

pub fn read_enterprise(p: &Principal, e: &EnterpriseFacts) -> Result<(), Error> {
    sees_enterprise(p, e)
        .then_some(())
        .ok_or_else(|| hide(p, "no such enterprise"))
}

/// Creating an enterprise in `county`, or changing one (then `county` is its county).
pub fn manage_enterprise_in(p: &Principal, county: &RegionCode) -> Result<(), Error> {
    match p.role {
        Role::Admin => Ok(()),
        Role::Supervisor if in_region(p, Some(county)) => Ok(()),
        Role::Supervisor => Err(refuse(p, "that county is outside your region".into())),
        _ => Err(forbidden(p, "manage enterprises")),
    }
}

/// Changing an enterprise or its pairings: 404 outside the caller's view, 403 when visible but
/// not theirs to manage.
pub fn manage_enterprise(p: &Principal, e: &EnterpriseFacts) -> Result<(), Error> {
    read_enterprise(p, e)?;
    manage_enterprise_in(p, &e.county)
}

pub fn list_enterprises(p: &Principal) -> Result<EnterpriseScope, Error> {
    match (p.role, &p.region, p.enterprise_id) {
        (Role::Admin, _, _) => Ok(EnterpriseScope::All),
        (Role::Supervisor, Some(region), _) => Ok(EnterpriseScope::CountyIn(region.subtree())),
        (Role::Enterprise, _, Some(id)) => Ok(EnterpriseScope::Only(id)),
        (Role::Cadre, _, _) => Ok(EnterpriseScope::PairedWith(p.user_id)),
        _ => Err(forbidden(p, "list enterprises")),
    }
}

/// A cadre's paired enterprises: for whoever may read that cadre, and of those enterprises only
/// the ones the caller may see (a pairing left behind by a move must not widen anyone's view).
pub fn read_paired_enterprises(p: &Principal, cadre: &UserFacts) -> Result<EnterpriseScope, Error> {
    read_user(p, cadre)?;
    if cadre.role != Role::Cadre {
        return Err(hide(p, "no such cadre"));
    }
    list_enterprises(p)
}

/// Bulk imports: administrators everything, supervisors their region's rows.
pub fn import(p: &Principal) -> Result<ImportScope, Error> {
    match (p.role, &p.region) {
        (Role::Admin, _) => Ok(ImportScope::All),
        (Role::Supervisor, Some(region)) => Ok(ImportScope::Within(region.clone())),
        _ => Err(forbidden(p, "import")),
    }
}

/// Creating, listing and revoking an enterprise's API clients: its own staff (people, not
/// other clients), its supervisors, admins.
pub fn manage_clients(p: &Principal, e: &EnterpriseFacts) -> Result<(), Error> {
    read_enterprise(p, e)?;
    let allowed = match p.role {
        Role::Admin | Role::Supervisor => true,
        Role::Enterprise => !p.is_client,
        Role::Cadre => false,
    };
    allowed
        .then_some(())
        .ok_or_else(|| forbidden(p, "manage API clients"))
}

/// What the policy needs to know about a ticket.
#[derive(Debug, Clone)]
pub struct TicketFacts {
    pub enterprise_id: i64,
    pub county: RegionCode,
    pub level: Level,
    pub assignee_id: Option<i64>,
    /// Whether the caller is a cadre paired with the ticket's enterprise.
    pub caller_paired: bool,
}

/// Which tickets a list may show.
#[derive(Debug, Clone)]
pub enum TicketScope {
    All,
    CountyIn(CodeRange),
    /// Assigned to this cadre or filed by an enterprise paired with them.
    Cadre(i64),
    Enterprise(i64),
}

fn assigned_to_caller(p: &Principal, t: &TicketFacts) -> bool {
    t.assignee_id == Some(p.user_id)
}

/// A supervisor covers a ticket whose county lies in their region, at or above its level.
fn covers(p: &Principal, t: &TicketFacts) -> bool {
    p.role == Role::Supervisor
        && p.region
            .as_ref()
            .is_some_and(|r| r.contains(&t.county) && r.level() <= t.level)
}

fn sees_ticket(p: &Principal, t: &TicketFacts) -> bool {
    match p.role {
        Role::Admin => true,
        Role::Supervisor => in_region(p, Some(&t.county)),
        Role::Cadre => assigned_to_caller(p, t) || t.caller_paired,
        Role::Enterprise => p.enterprise_id == Some(t.enterprise_id),
    }
}

pub fn read_ticket(p: &Principal, t: &TicketFacts) -> Result<(), Error> {
    sees_ticket(p, t)
        .then_some(())
        .ok_or_else(|| hide(p, "no such ticket"))
}

/// The lifecycle table's "who" column.
pub fn move_ticket(p: &Principal, action: Action, t: &TicketFacts) -> Result<(), Error> {
    read_ticket(p, t)?;
    let own_enterprise = p.role == Role::Enterprise && p.enterprise_id == Some(t.enterprise_id);
    let allowed = match action {
        Action::Assign => p.role == Role::Admin || covers(p, t),
        Action::Accept | Action::Resolve => assigned_to_caller(p, t),
        Action::Escalate => assigned_to_caller(p, t) || covers(p, t),
        Action::Confirm | Action::Reopen | Action::Withdraw => own_enterprise,
        Action::File | Action::AutoClose | Action::Comment => false,
    };
    allowed
        .then_some(())
        .ok_or_else(|| refuse(p, format!("you may not {} this ticket", action.as_str())))
}

/// Enterprises comment publicly on their own tickets; the assignee, supervisors and admins
/// also internally.
pub fn comment_on_ticket(p: &Principal, t: &TicketFacts, internal: bool) -> Result<(), Error> {
    read_ticket(p, t)?;
    let allowed = match p.role {
        Role::Admin | Role::Supervisor => true,
        Role::Cadre => assigned_to_caller(p, t),
        Role::Enterprise => !internal,
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
    p.role != Role::Enterprise
}

/// Only an enterprise (a person or an API client) files, and only for itself.
pub fn file_ticket(p: &Principal) -> Result<i64, Error> {
    match (p.role, p.enterprise_id) {
        (Role::Enterprise, Some(id)) => Ok(id),
        _ => Err(forbidden(p, "file tickets")),
    }
}

pub fn list_tickets(p: &Principal) -> Result<TicketScope, Error> {
    match (p.role, &p.region, p.enterprise_id) {
        (Role::Admin, _, _) => Ok(TicketScope::All),
        (Role::Supervisor, Some(region), _) => Ok(TicketScope::CountyIn(region.subtree())),
        (Role::Cadre, _, _) => Ok(TicketScope::Cadre(p.user_id)),
        (Role::Enterprise, _, Some(id)) => Ok(TicketScope::Enterprise(id)),
        _ => Err(forbidden(p, "list tickets")),
    }
}

/// A cadre may take tickets at their own tier for the region that holds the county.
pub fn may_be_assigned(cadre_region: &RegionCode, t: &TicketFacts) -> bool {
    *cadre_region == t.county.ancestor_at(t.level)
}

/// Statistics of `region` (the country when `None`): admins anywhere, supervisors inside their
/// own region (which is also their default). Returns the region to report on.
pub fn read_stats(p: &Principal, region: Option<&RegionCode>) -> Result<Option<RegionCode>, Error> {
    match (p.role, &p.region, region) {
        (Role::Admin, _, region) => Ok(region.cloned()),
        (Role::Supervisor, Some(own), None) => Ok(Some(own.clone())),
        (Role::Supervisor, Some(own), Some(asked)) if own.contains(asked) => {
            Ok(Some(asked.clone()))
        }
        (Role::Supervisor, _, _) => Err(hide(p, "no such region in your scope")),
        _ => Err(forbidden(p, "read statistics")),
    }
}

pub fn manage_categories(p: &Principal) -> Result<(), Error> {
    (p.role == Role::Admin)
        .then_some(())
        .ok_or_else(|| forbidden(p, "manage categories"))
}

/// Replacing a year of the working-day calendar: admins (anyone signed in reads it).
pub fn manage_calendar(p: &Principal) -> Result<(), Error> {
    (p.role == Role::Admin)
        .then_some(())
        .ok_or_else(|| forbidden(p, "change the calendar"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    fn principal(role: Role, region: Option<&str>, enterprise_id: Option<i64>) -> Principal {
        Principal {
            user_id: 1,
            role,
            region: region.map(code),
            enterprise_id,
            is_client: false,
        }
    }

    fn user(id: i64, role: Role, home: &str) -> UserFacts {
        UserFacts {
            id,
            role,
            home: Some(code(home)),
        }
    }

    fn enterprise(id: i64, county: &str, paired_with_caller: bool) -> EnterpriseFacts {
        EnterpriseFacts {
            id,
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
        assert!(matches!(read_user(&sup, &outside), Err(Error::NotFound(_))));
        assert!(matches!(read_user(&sup, &peer), Err(Error::NotFound(_))));
        assert!(place_user(&sup, Role::Cadre, Some(&code("411681"))).is_ok());
        assert!(matches!(
            place_user(&sup, Role::Cadre, Some(&code("410102"))),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            place_user(&sup, Role::Supervisor, Some(&code("411602"))),
            Err(Error::Forbidden(_))
        ));
    }

    #[test]
    fn unlocking_follows_managing_and_clients_have_no_password() {
        let sup = principal(Role::Supervisor, Some("411600"), None);
        assert!(unlock_user(&sup, &user(2, Role::Cadre, "411602")).is_ok());
        assert!(matches!(
            unlock_user(&sup, &user(1, Role::Supervisor, "411600")),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            unlock_user(&sup, &user(3, Role::Cadre, "410102")),
            Err(Error::NotFound(_))
        ));
        let staff = principal(Role::Enterprise, None, Some(5));
        assert!(change_own_password(&staff).is_ok());
        let client = Principal {
            is_client: true,
            ..staff
        };
        assert!(matches!(
            change_own_password(&client),
            Err(Error::Forbidden(_))
        ));
    }

    #[test]
    fn people_read_themselves_but_do_not_manage() {
        let cadre = principal(Role::Cadre, Some("411602"), None);
        let me = user(1, Role::Cadre, "411602");
        assert!(read_user(&cadre, &me).is_ok());
        assert!(matches!(update_user(&cadre, &me), Err(Error::Forbidden(_))));
        assert!(matches!(
            read_user(&cadre, &user(9, Role::Cadre, "411602")),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(list_users(&cadre), Err(Error::Forbidden(_))));
    }

    #[test]
    fn enterprise_staff_see_their_own_enterprise_and_clients_cannot_mint_clients() {
        let own = enterprise(5, "411602", false);
        let other = enterprise(6, "411602", false);
        let staff = principal(Role::Enterprise, None, Some(5));
        assert!(manage_clients(&staff, &own).is_ok());
        assert!(matches!(
            read_enterprise(&staff, &other),
            Err(Error::NotFound(_))
        ));
        let client = Principal {
            is_client: true,
            ..staff
        };
        assert!(matches!(
            manage_clients(&client, &own),
            Err(Error::Forbidden(_))
        ));
    }

    fn ticket(level: Level, assignee: Option<i64>) -> TicketFacts {
        TicketFacts {
            enterprise_id: 5,
            county: code("411602"),
            level,
            assignee_id: assignee,
            caller_paired: false,
        }
    }

    #[test]
    fn supervisors_dispatch_at_or_below_their_tier() {
        let county_sup = principal(Role::Supervisor, Some("411602"), None);
        let city_sup = principal(Role::Supervisor, Some("411600"), None);
        assert!(move_ticket(&county_sup, Action::Assign, &ticket(Level::County, None)).is_ok());
        assert!(matches!(
            move_ticket(&county_sup, Action::Assign, &ticket(Level::City, None)),
            Err(Error::Forbidden(_))
        ));
        assert!(move_ticket(&city_sup, Action::Assign, &ticket(Level::City, None)).is_ok());
        assert!(move_ticket(&city_sup, Action::Escalate, &ticket(Level::County, Some(9))).is_ok());
        let foreign = principal(Role::Supervisor, Some("410100"), None);
        assert!(matches!(
            move_ticket(&foreign, Action::Assign, &ticket(Level::County, None)),
            Err(Error::NotFound(_))
        ));
    }

    #[test]
    fn only_the_assignee_works_a_ticket_and_only_the_enterprise_closes_it() {
        let cadre = principal(Role::Cadre, Some("411602"), None);
        assert!(move_ticket(&cadre, Action::Accept, &ticket(Level::County, Some(1))).is_ok());
        assert!(matches!(
            move_ticket(&cadre, Action::Accept, &ticket(Level::County, Some(2))),
            Err(Error::NotFound(_))
        ));
        let paired = TicketFacts {
            caller_paired: true,
            ..ticket(Level::County, Some(2))
        };
        assert!(matches!(
            move_ticket(&cadre, Action::Resolve, &paired),
            Err(Error::Forbidden(_))
        ));
        let owner = principal(Role::Enterprise, None, Some(5));
        assert!(move_ticket(&owner, Action::Confirm, &ticket(Level::County, Some(1))).is_ok());
        assert!(matches!(
            comment_on_ticket(&owner, &ticket(Level::County, None), true),
            Err(Error::Forbidden(_))
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
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            read_enterprise(&cadre, &enterprise(6, "411602", false)),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            list_enterprises(&cadre),
            Ok(EnterpriseScope::PairedWith(1))
        ));
    }

    #[test]
    fn supervisors_manage_and_import_only_inside_their_region() {
        let sup = principal(Role::Supervisor, Some("411600"), None);
        assert!(manage_enterprise(&sup, &enterprise(5, "411602", false)).is_ok());
        assert!(matches!(
            manage_enterprise(&sup, &enterprise(6, "410102", false)),
            Err(Error::NotFound(_))
        ));
        let scope = import(&sup).unwrap();
        assert!(scope.allows(&code("411681")) && !scope.allows(&code("410102")));
        let cadre = principal(Role::Cadre, Some("411602"), None);
        assert!(matches!(import(&cadre), Err(Error::Forbidden(_))));
        let staff = user(7, Role::Enterprise, "411602");
        assert!(matches!(
            read_paired_enterprises(&sup, &staff),
            Err(Error::NotFound(_))
        ));
    }
}
