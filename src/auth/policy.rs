//! Who may do what: the one place every permission is decided, from the caller's role, region
//! and enterprise and the object's county and enterprise. Handlers and services ask here and
//! nowhere else.
//!
//! Two answers of "no": an object outside the caller's scope is [`Error::NotFound`], exactly as
//! if it did not exist, so ids cannot be probed; an object the caller may see but not change is
//! [`Error::Forbidden`].

use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::role::Role;
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
}

fn forbidden(what: &str) -> Error {
    Error::Forbidden(format!("your role may not {what}"))
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
    visible
        .then_some(())
        .ok_or_else(|| Error::not_found("no such user"))
}

pub fn update_user(p: &Principal, user: &UserFacts) -> Result<(), Error> {
    read_user(p, user)?;
    (p.role == Role::Admin || supervises(p, user))
        .then_some(())
        .ok_or_else(|| forbidden("change this user"))
}

/// Creating accounts at all: admins and supervisors.
pub fn create_users(p: &Principal) -> Result<(), Error> {
    match p.role {
        Role::Admin | Role::Supervisor => Ok(()),
        _ => Err(forbidden("create users")),
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
                Err(Error::Forbidden("that is outside your region".into()))
            }
        }
        _ => Err(forbidden(&format!("manage {} accounts", role.as_str()))),
    }
}

pub fn list_users(p: &Principal) -> Result<UserScope, Error> {
    match (p.role, &p.region) {
        (Role::Admin, _) => Ok(UserScope::All),
        (Role::Supervisor, Some(region)) => Ok(UserScope::ManagedIn(region.subtree())),
        _ => Err(forbidden("list users")),
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
        .ok_or_else(|| Error::not_found("no such enterprise"))
}

/// Creating an enterprise in `county`, or changing one (then `county` is its county).
pub fn manage_enterprise_in(p: &Principal, county: &RegionCode) -> Result<(), Error> {
    match p.role {
        Role::Admin => Ok(()),
        Role::Supervisor if in_region(p, Some(county)) => Ok(()),
        Role::Supervisor => Err(Error::Forbidden(
            "that county is outside your region".into(),
        )),
        _ => Err(forbidden("manage enterprises")),
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
        _ => Err(forbidden("list enterprises")),
    }
}

/// A cadre's paired enterprises: for whoever may read that cadre, and of those enterprises only
/// the ones the caller may see (a pairing left behind by a move must not widen anyone's view).
pub fn read_paired_enterprises(p: &Principal, cadre: &UserFacts) -> Result<EnterpriseScope, Error> {
    read_user(p, cadre)?;
    if cadre.role != Role::Cadre {
        return Err(Error::not_found("no such cadre"));
    }
    list_enterprises(p)
}

/// Bulk imports: administrators everything, supervisors their region's rows.
pub fn import(p: &Principal) -> Result<ImportScope, Error> {
    match (p.role, &p.region) {
        (Role::Admin, _) => Ok(ImportScope::All),
        (Role::Supervisor, Some(region)) => Ok(ImportScope::Within(region.clone())),
        _ => Err(forbidden("import")),
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
        .ok_or_else(|| forbidden("manage API clients"))
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
