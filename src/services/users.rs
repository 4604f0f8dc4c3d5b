//! Managing users: admins everyone; supervisors the cadres and enterprise users of their region.

use std::sync::Arc;

use crate::api::users::{CreateUser, UpdateUser};
use crate::auth::policy;
use crate::auth::{Principal, password};
use crate::clock::Clock;
use crate::db::users::{NewUser, User, UserChanges, UserFilter};
use crate::db::{
    Database, DbConnection, DbError, Optional, departments, enterprises, regions, sessions, users,
    write_transaction,
};
use crate::domain::access::UserScope;
use crate::domain::account::{check_password, normalize_username};
use crate::domain::ids::{DepartmentId, EnterpriseId, UserId};
use crate::domain::page::{Page, PageRequest};
use crate::domain::region::RegionCode;
use crate::domain::role::Role;
use crate::domain::text;
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::enterprises::facts_for;
use crate::services::login_throttle;
use crate::services::pairings;
use crate::services::revocations::{self, revoke_users};
use crate::state::AppState;

const NAME_MAX: usize = 100;

/// A taken username, wherever its holder is (usernames are the users' one unique key).
pub const USERNAME_TAKEN: &str = "that username is not available";

/// A department or display name: optional, one line, at most 100 characters; `None` when
/// invalid (and recorded), `Some(None)` when blank.
pub fn optional_name(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
) -> Option<Option<String>> {
    errors.check(field, text::optional_line(value, NAME_MAX))
}

/// Why a person cannot be placed at a heading.
pub const HEADING: &str = "a heading of the region list (市辖区, 省直辖县级行政区划), not a \
                           government: choose its province or one of its county-level units";

/// Checks a region code field: well formed, existing, and a government (a heading such as
/// 省直辖县级行政区划 or 市辖区 has no agency and holds no ticket).
pub(crate) fn region_field(
    conn: &mut DbConnection,
    errors: &mut FieldErrors,
    code: Option<&str>,
) -> Result<Option<RegionCode>, DbError> {
    let Some(text) = code else { return Ok(None) };
    match RegionCode::parse(text) {
        Ok(code) if code.is_heading() => {
            errors.add("region_code", HEADING);
            Ok(None)
        }
        Ok(code) if regions::exists(conn, &code)? => Ok(Some(code)),
        Ok(_) => {
            errors.add("region_code", "no region has this code");
            Ok(None)
        }
        Err(e) => {
            errors.add("region_code", e.to_string());
            Ok(None)
        }
    }
}

/// The region a new user belongs to (their own, or their enterprise's county), checked
/// against the caller's view: an enterprise the caller cannot see is reported as unknown.
fn resolve_home(
    conn: &mut DbConnection,
    caller: &Principal,
    errors: &mut FieldErrors,
    input: &CreateUser,
) -> Result<Option<RegionCode>, Error> {
    let region = region_field(conn, errors, input.region_code.as_deref())?;
    match input.role {
        Role::Admin => {
            if input.region_code.is_some() || input.enterprise_id.is_some() {
                errors.add("role", "administrators have no region or enterprise");
            }
            Ok(None)
        }
        Role::Supervisor | Role::Cadre => {
            if input.region_code.is_none() {
                errors.add("region_code", "supervisors and cadres need a region");
            }
            if input.enterprise_id.is_some() {
                errors.add("enterprise_id", "only enterprise users have an enterprise");
            }
            Ok(region)
        }
        Role::Enterprise => {
            if input.region_code.is_some() {
                errors.add(
                    "region_code",
                    "enterprise users take their enterprise's county",
                );
            }
            let Some(id) = input.enterprise_id else {
                errors.add("enterprise_id", "enterprise users need an enterprise");
                return Ok(None);
            };
            let visible = match enterprises::find(conn, EnterpriseId(id)).optional()? {
                Some(e) => {
                    let facts = facts_for(conn, caller, &e)?;
                    policy::read_enterprise(caller, &facts)
                        .is_ok()
                        .then_some((facts.county, e.active))
                }
                None => None,
            };
            match visible {
                None => errors.add("enterprise_id", "no such enterprise"),
                Some((_, false)) => return Err(super::enterprises::deactivated()),
                Some(_) => {}
            }
            Ok(visible.map(|(county, _)| county))
        }
    }
}

/// Why a cadre cannot join a department.
pub(crate) const DEPARTMENT_DEACTIVATED: &str = "the department is deactivated";

/// Checks a cadre's department: one of the roster, active, at the cadre's own region.
fn department_field(
    conn: &mut DbConnection,
    role: Role,
    region: Option<&RegionCode>,
    id: i64,
) -> Result<DepartmentId, Error> {
    let bad = |why: &str| Err(Error::invalid("department_id", why));
    if role != Role::Cadre {
        return bad("only cadres belong to a department");
    }
    let Some(department) = departments::find(conn, DepartmentId(id)).optional()? else {
        return bad("no such department");
    };
    if Some(&department.region_code) != region {
        return bad("a department of the cadre's own region");
    }
    if !department.active {
        return bad(DEPARTMENT_DEACTIVATED);
    }
    Ok(department.id)
}

pub async fn create_user(
    state: &AppState,
    caller: &Principal,
    input: CreateUser,
) -> Result<User, Error> {
    policy::create_users(caller)?;
    let mut errors = FieldErrors::default();
    let username = errors.check("username", normalize_username(&input.username));
    errors.check("password", check_password(&input.password));
    let department = optional_name(&mut errors, "department", input.department.as_deref());
    let display_name = optional_name(&mut errors, "display_name", input.display_name.as_deref());
    let caller_for_check = caller.clone();
    let (input, home, department_id, errors) = state
        .db
        .run(move |conn| {
            let home = resolve_home(conn, &caller_for_check, &mut errors, &input)?;
            if errors.is_empty() {
                policy::place_user(&caller_for_check, input.role, home.as_ref())?;
            }
            let department = match input.department_id {
                Some(id) if errors.is_empty() => {
                    Some(department_field(conn, input.role, home.as_ref(), id)?)
                }
                _ => None,
            };
            Ok::<_, Error>((input, home, department, errors))
        })
        .await?;
    let username = errors.finish(username)?;
    let hash = state.hashing.hash(input.password).await?;
    let now = state.clock.now();
    let new = NewUser {
        username,
        password_hash: Some(hash),
        role: input.role,
        kind: users::KIND_PERSON.to_owned(),
        // An enterprise user's home is their enterprise's county, not a region of theirs.
        region_code: home.filter(|_| input.role.has_region()),
        enterprise_id: input.enterprise_id.map(EnterpriseId),
        department: department.flatten(),
        display_name: display_name.flatten(),
        active: true,
        created_at: now,
        updated_at: now,
        department_id,
    };
    let user = state
        .db
        .run(move |conn| users::insert(conn, &new).on_duplicate(USERNAME_TAKEN))
        .await?;
    crate::audit::user_created(Some(caller.user_id()), &user);
    Ok(user)
}

/// Bootstraps an administrator (the `create-admin` command).
pub async fn create_admin(
    db: &Database,
    clock: Arc<dyn Clock>,
    username: String,
    password: String,
) -> Result<User, Error> {
    let mut errors = FieldErrors::default();
    let username = errors.check("username", normalize_username(&username));
    errors.check("password", check_password(&password));
    let username = errors.finish(username)?;
    let hash = password::hash_off_thread(password).await;
    let now = clock.now();
    let new = NewUser {
        username,
        password_hash: Some(hash),
        role: Role::Admin,
        kind: users::KIND_PERSON.to_owned(),
        region_code: None,
        enterprise_id: None,
        department: None,
        display_name: None,
        active: true,
        created_at: now,
        updated_at: now,
        department_id: None,
    };
    let admin = db
        .run(move |conn| users::insert(conn, &new).on_duplicate(USERNAME_TAKEN))
        .await?;
    crate::audit::user_created(None, &admin);
    Ok(admin)
}

pub async fn get_user(state: &AppState, caller: &Principal, id: UserId) -> Result<User, Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            let (user, facts) = users::find_with_facts(conn, id).or_not_found(NO_SUCH_USER)?;
            policy::read_user(&caller, &facts)?;
            Ok(user)
        })
        .await
}

/// The caller's own account (people and API clients alike).
pub async fn get_own(state: &AppState, caller: &Principal) -> Result<User, Error> {
    let id = caller.user_id();
    state
        .db
        .run(move |conn| users::find(conn, id).or_not_found(NO_SUCH_USER))
        .await
}

const NO_SUCH_USER: &str = "no such user";

pub async fn list_users(
    state: &AppState,
    caller: &Principal,
    filter: UserFilter,
    page: PageRequest<i64>,
) -> Result<Page<User>, Error> {
    let scope: UserScope = policy::list_users(caller)?;
    let rows = state
        .db
        .run({
            let page = page.clone();
            move |conn| users::list(conn, &scope, &filter, &page)
        })
        .await?;
    Ok(Page::from_rows(rows, &page, |u| u.id))
}

pub async fn update_user(
    state: &AppState,
    caller: &Principal,
    id: UserId,
    input: UpdateUser,
) -> Result<User, Error> {
    let mut errors = FieldErrors::default();
    if let Some(password) = &input.password {
        errors.check("password", check_password(password));
    }
    let department = optional_name(&mut errors, "department", input.department.as_deref());
    let display_name = optional_name(&mut errors, "display_name", input.display_name.as_deref());
    errors.into_result()?;
    let password_changed = input.password.is_some();
    let password_hash = match input.password {
        Some(password) => Some(state.hashing.hash(password).await?),
        None => None,
    };
    let now = state.clock.now();
    let actor = caller.user_id();
    let caller = caller.clone();
    let (before, user, revoked, ended) = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let (user, facts) = users::find_with_facts(c, id).or_not_found(NO_SUCH_USER)?;
                policy::update_user(&caller, &facts)?;
                let mut errors = FieldErrors::default();
                let region = region_field(c, &mut errors, input.region_code.as_deref())?;
                errors.into_result()?;
                let role = input.role.unwrap_or(user.role);
                if input.role.is_some_and(|r| r != user.role) && caller.role() != Role::Admin {
                    return Err(Error::Forbidden("only administrators change roles".into()));
                }
                if role.has_region() != user.role.has_region() || (role == Role::Enterprise) != (user.role == Role::Enterprise) {
                    return Err(Error::invalid("role", "a role change may not move a user between regional, enterprise and administrator accounts"));
                }
                if region.is_some() {
                    if !role.has_region() {
                        return Err(Error::invalid("region_code", "only supervisors and cadres have a region"));
                    }
                    policy::place_user(&caller, role, region.as_ref())?;
                }
                let region_after = region.clone().or(user.region_code.clone());
                let department_id = match input.department_id {
                    Some(Some(id)) => Some(Some(department_field(c, role, region_after.as_ref(), id)?)),
                    Some(None) => Some(None),
                    // A move to another region, or out of the cadres, leaves the department.
                    None => leaves_department(c, &user, role, region_after.as_ref())?.then_some(None),
                };
                let changes = UserChanges {
                    password_hash,
                    role: input.role,
                    region_code: region,
                    department: department.flatten(),
                    display_name: display_name.flatten(),
                    active: input.active,
                    updated_at: Some(now),
                    department_id,
                };
                let moves = changes.role.is_some() || changes.region_code.is_some() || changes.active.is_some();
                let updated = users::update(c, id, &changes)?;
                let sessions_end = input.active == Some(false) || password_changed;
                if sessions_end {
                    sessions::revoke_user_tokens(c, &[id], now)?;
                }
                let revoked = if sessions_end || claims_changed(&user, &updated) {
                    revoke_users(c, &[id], now)?
                } else {
                    Vec::new()
                };
                let ended = if moves { pairings::end_broken(c, &[id], &[])? } else { Vec::new() };
                Ok::<_, Error>((user, updated, revoked, ended))
            })
        })
        .await?;
    revocations::take_effect(state, &revoked);
    crate::audit::user_changed(actor, &before, &user, password_changed);
    crate::audit::pairings_ended(Some(actor), "user.changed", &ended);
    Ok(user)
}

/// Whether a user's department no longer fits them once they have `role` at `region`.
pub(crate) fn leaves_department(
    conn: &mut DbConnection,
    user: &User,
    role: Role,
    region: Option<&RegionCode>,
) -> Result<bool, Error> {
    let Some(id) = user.department_id else {
        return Ok(false);
    };
    let department = departments::find(conn, id)?;
    Ok(role != Role::Cadre || Some(&department.region_code) != region)
}

/// Whether a change makes what the user's access tokens say about them untrue.
fn claims_changed(before: &User, after: &User) -> bool {
    before.role != after.role
        || before.region_code != after.region_code
        || before.enterprise_id != after.enterprise_id
}

/// Forgets every failed login of a user, from every address: administrators for anyone,
/// supervisors for the cadres and enterprise staff they manage (as they may set a password).
pub async fn unlock_user(state: &AppState, caller: &Principal, id: UserId) -> Result<(), Error> {
    let caller = caller.clone();
    let actor = caller.user_id();
    let cleared = state
        .db
        .run(move |conn| {
            let (user, facts) = users::find_with_facts(conn, id).or_not_found(NO_SUCH_USER)?;
            policy::unlock_user(&caller, &facts)?;
            Ok::<_, Error>(write_transaction(conn, |c| {
                login_throttle::unlock(c, &user.username)
            })?)
        })
        .await?;
    tracing::info!(target: "audit", event = "user.unlocked", actor_id = actor.get(), target_id = id.get(), counters = cleared, outcome = "success", "user unlocked");
    Ok(())
}
