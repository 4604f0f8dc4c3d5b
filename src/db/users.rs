//! Users: people with a role, and the principals behind enterprises' API clients.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{departments, enterprises, users};
use super::search::{ESCAPE, contains_pattern, lower};
use super::{DbConnection, DbError, ROWS_PER_STATEMENT};
use crate::domain::access::{Principal, UserFacts, UserScope};
use crate::domain::ids::{DepartmentId, EnterpriseId, UserId};
use crate::domain::page::PageRequest;
use crate::domain::region::{CodeRange, RegionCode};
use crate::domain::role::Role;

pub const KIND_PERSON: &str = "person";
pub const KIND_CLIENT: &str = "client";

/// A user as stored, without the password hash (read apart, for logins).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    /// A supervisor's or cadre's region.
    pub region_code: Option<RegionCode>,
    /// An enterprise user's enterprise.
    pub enterprise_id: Option<EnterpriseId>,
    /// A cadre's department.
    pub department: Option<String>,
    pub display_name: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Access tokens carry it; raising it revokes those issued before.
    pub token_generation: i64,
    /// A cadre's department of the roster (of their own region), if they belong to one.
    pub department_id: Option<DepartmentId>,
}

// None binds NULL rather than DEFAULT, which SQLite's multi-row VALUES cannot hold.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct NewUser {
    pub username: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub kind: String,
    pub region_code: Option<RegionCode>,
    pub enterprise_id: Option<EnterpriseId>,
    pub department: Option<String>,
    pub display_name: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub department_id: Option<DepartmentId>,
}

/// What may change on a user; `None` leaves a field as it is.
#[derive(Debug, Default, PartialEq, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub password_hash: Option<String>,
    pub role: Option<Role>,
    pub region_code: Option<RegionCode>,
    pub department: Option<String>,
    pub display_name: Option<String>,
    pub active: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
    /// `Some(None)` leaves the department.
    pub department_id: Option<Option<DepartmentId>>,
}

/// Filters of the user list.
#[derive(Debug, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub region: Option<CodeRange>,
    pub enterprise_id: Option<EnterpriseId>,
    pub active: Option<bool>,
    /// Part of the department's name, ignoring the case of Latin letters.
    pub department: Option<String>,
    /// Members of this department of the roster.
    pub department_id: Option<DepartmentId>,
    /// Part of the username or the display name, ignoring the case of Latin letters.
    pub q: Option<String>,
}

pub fn insert(conn: &mut DbConnection, new: &NewUser) -> Result<User, DbError> {
    let statement = diesel::insert_into(users::table).values(new);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(User::as_returning())
        .get_result(c))?)
}

/// Inserts many at once, a multi-row statement per chunk.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewUser]) -> Result<(), DbError> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let statement = diesel::insert_into(users::table).values(chunk);
        crate::on_backend!(conn, |c| statement.execute(c))?;
    }
    Ok(())
}

/// The people with any of these usernames, each with the facts the policy needs.
pub fn find_by_usernames(
    conn: &mut DbConnection,
    usernames: &[String],
) -> Result<Vec<(User, UserFacts)>, DbError> {
    let mut found = Vec::with_capacity(usernames.len());
    for chunk in usernames.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<(User, Option<RegionCode>)> = users::table
            .left_join(enterprises::table)
            .filter(users::kind.eq(KIND_PERSON))
            .filter(users::username.eq_any(chunk))
            .select((User::as_select(), enterprises::county_code.nullable()))
            .load(conn)?;
        found.extend(rows.into_iter().map(with_facts));
    }
    Ok(found)
}

/// A user and its facts, from the row and its enterprise's county (for enterprise users).
fn with_facts((user, county): (User, Option<RegionCode>)) -> (User, UserFacts) {
    let facts = UserFacts {
        id: user.id,
        role: user.role,
        home: user.region_code.clone().or(county),
    };
    (user, facts)
}

/// A user of either kind (a person, or the principal behind an API client).
pub fn find(conn: &mut DbConnection, id: UserId) -> Result<User, DbError> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)?)
}

/// A person with the facts the policy needs (their home region).
pub fn find_with_facts(conn: &mut DbConnection, id: UserId) -> Result<(User, UserFacts), DbError> {
    let row = users::table
        .left_join(enterprises::table)
        .filter(users::id.eq(id))
        .filter(users::kind.eq(KIND_PERSON))
        .select((User::as_select(), enterprises::county_code.nullable()))
        .first(conn)?;
    Ok(with_facts(row))
}

/// The user and password hash for a login, if a person of that name exists.
pub fn find_credentials(
    conn: &mut DbConnection,
    username: &str,
) -> Result<Option<(User, Option<String>)>, DbError> {
    Ok(users::table
        .filter(users::username.eq(username))
        .filter(users::kind.eq(KIND_PERSON))
        .select((User::as_select(), users::password_hash))
        .first(conn)
        .optional()?)
}

/// A user who may hold a session now: active, and of an active enterprise when they have one.
pub fn find_usable(conn: &mut DbConnection, id: UserId) -> Result<Option<User>, DbError> {
    let found: Option<(User, Option<bool>)> = users::table
        .left_join(enterprises::table)
        .filter(users::id.eq(id))
        .select((User::as_select(), enterprises::active.nullable()))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(user, enterprise_active)| {
        (user.active && enterprise_active != Some(false)).then_some(user)
    }))
}

/// The ids of an enterprise's users, people and API clients alike.
pub fn ids_of_enterprise(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
) -> Result<Vec<UserId>, DbError> {
    Ok(users::table
        .filter(users::enterprise_id.eq(enterprise_id))
        .select(users::id)
        .load(conn)?)
}

/// A person and their password hash, by id.
pub fn find_credentials_of(
    conn: &mut DbConnection,
    id: UserId,
) -> Result<(User, Option<String>), DbError> {
    Ok(users::table
        .find(id)
        .filter(users::kind.eq(KIND_PERSON))
        .select((User::as_select(), users::password_hash))
        .first(conn)?)
}

pub fn update(conn: &mut DbConnection, id: UserId, changes: &UserChanges) -> Result<User, DbError> {
    let statement = diesel::update(users::table.find(id)).set(changes);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(User::as_returning())
        .get_result(c))?)
}

/// The principal a user acts as; an error only for a row its table's constraints forbid (a
/// role without the region or enterprise it needs).
pub fn principal_of(user: &User, is_client: bool) -> Result<Principal, DbError> {
    Principal::new(
        user.id,
        user.role,
        user.region_code.clone(),
        user.enterprise_id,
        is_client,
    )
    .ok_or_else(|| {
        let contradiction = format!("user {} has a role its columns contradict", user.id);
        DbError::Query(diesel::result::Error::DeserializationError(
            contradiction.into(),
        ))
    })
}

/// One page of people, in id order, inside `scope` and matching `filter`.
pub fn list(
    conn: &mut DbConnection,
    scope: &UserScope,
    filter: &UserFilter,
    page: &PageRequest<i64>,
) -> Result<Vec<User>, DbError> {
    let mut query = users::table
        .filter(users::kind.eq(KIND_PERSON))
        .select(User::as_select())
        .order(users::id)
        .limit(page.fetch_limit())
        .into_boxed();
    if let UserScope::ManagedIn(range) = scope {
        query = query.filter(users::role.eq_any([Role::Cadre, Role::Enterprise]));
        query = query.filter(home_in(range));
    }
    if let Some(range) = &filter.region {
        query = query.filter(home_in(range));
    }
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(enterprise_id) = filter.enterprise_id {
        query = query.filter(users::enterprise_id.eq(enterprise_id));
    }
    if let Some(active) = filter.active {
        query = query.filter(users::active.eq(active));
    }
    if let Some(needle) = &filter.department {
        query = query.filter(
            lower(users::department.assume_not_null())
                .like(contains_pattern(needle))
                .escape(ESCAPE),
        );
    }
    if let Some(department_id) = filter.department_id {
        query = query.filter(users::department_id.eq(department_id));
    }
    if let Some(needle) = &filter.q {
        let pattern = contains_pattern(needle);
        query = query.filter(
            lower(users::username)
                .like(pattern.clone())
                .escape(ESCAPE)
                .or(lower(users::display_name.assume_not_null())
                    .like(pattern)
                    .escape(ESCAPE)),
        );
    }
    if let Some(after) = page.after {
        query = query.filter(users::id.gt(after));
    }
    Ok(query.load(conn)?)
}

type HomeIn = diesel::dsl::Or<
    diesel::dsl::Between<users::region_code, String, String>,
    diesel::dsl::EqAny<
        users::enterprise_id,
        diesel::dsl::Select<
            diesel::dsl::Filter<
                enterprises::table,
                diesel::dsl::Between<enterprises::county_code, String, String>,
            >,
            diesel::dsl::Nullable<enterprises::id>,
        >,
    >,
>;

/// Users whose home (their region, or their enterprise's county) lies in `range`.
fn home_in(range: &CodeRange) -> HomeIn {
    let enterprises_in = enterprises::table
        .filter(enterprises::county_code.between(range.first.clone(), range.last.clone()))
        .select(enterprises::id.nullable());
    users::region_code
        .between(range.first.clone(), range.last.clone())
        .or(users::enterprise_id.eq_any(enterprises_in))
}

/// An active cadre of one of the regions a ticket may go to, with their department.
#[derive(Debug, Queryable)]
pub struct CadreAt {
    pub id: UserId,
    pub display_name: Option<String>,
    /// The free-text department (a display name).
    pub department: Option<String>,
    pub department_id: Option<DepartmentId>,
    /// The name of their department of the roster, and whether it is active.
    pub department_name: Option<String>,
    pub department_active: Option<bool>,
    pub region_code: RegionCode,
}

/// The active cadres of these regions, in id order.
pub fn active_cadres_at(
    conn: &mut DbConnection,
    regions: &[RegionCode],
) -> Result<Vec<CadreAt>, DbError> {
    Ok(users::table
        .left_join(departments::table)
        .filter(users::role.eq(Role::Cadre))
        .filter(users::active.eq(true))
        .filter(users::kind.eq(KIND_PERSON))
        .filter(users::region_code.eq_any(regions))
        .order(users::id)
        .select((
            users::id,
            users::display_name,
            users::department,
            users::department_id,
            departments::name.nullable(),
            departments::active.nullable(),
            users::region_code.assume_not_null(),
        ))
        .load(conn)?)
}
