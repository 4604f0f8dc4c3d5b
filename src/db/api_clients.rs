//! Enterprises' API clients: a public id, a secret stored as an argon2id hash, and the principal
//! (a user of kind `client`) they act as.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{api_clients, enterprises, users};
use super::users::{self as user_rows, KIND_CLIENT, NewUser, User};
use super::{DbConnection, DbError};
use crate::domain::ids::{EnterpriseId, UserId};
use crate::domain::role::Role;

/// A client as listed: never its secret.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ApiClient {
    pub id: i64,
    /// The public identifier, exchanged with the secret at `/auth/token`.
    pub client_id: String,
    pub name: String,
    pub enterprise_id: EnterpriseId,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub struct NewClient {
    pub client_id: String,
    pub secret_hash: String,
    pub name: String,
    pub enterprise_id: EnterpriseId,
    pub created_by: UserId,
    pub now: NaiveDateTime,
}

/// Creates the client and the principal it acts as; call inside a transaction.
pub fn insert(conn: &mut DbConnection, new: NewClient) -> Result<ApiClient, DbError> {
    let principal = user_rows::insert(
        conn,
        &NewUser {
            username: format!("client:{}", new.client_id),
            password_hash: None,
            role: Role::Enterprise,
            kind: KIND_CLIENT.to_owned(),
            region_code: None,
            enterprise_id: Some(new.enterprise_id),
            department: None,
            display_name: Some(new.name.clone()),
            active: true,
            created_at: new.now,
            updated_at: new.now,
            department_id: None,
        },
    )?;
    let statement = diesel::insert_into(api_clients::table).values((
        api_clients::client_id.eq(new.client_id),
        api_clients::secret_hash.eq(new.secret_hash),
        api_clients::name.eq(new.name),
        api_clients::enterprise_id.eq(new.enterprise_id),
        api_clients::user_id.eq(principal.id),
        api_clients::created_by.eq(new.created_by),
        api_clients::created_at.eq(new.now),
    ));
    Ok(crate::on_backend!(conn, |c| statement
        .returning(ApiClient::as_returning())
        .get_result(c))?)
}

pub fn list(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
) -> Result<Vec<ApiClient>, DbError> {
    Ok(api_clients::table
        .filter(api_clients::enterprise_id.eq(enterprise_id))
        .select(ApiClient::as_select())
        .order(api_clients::id)
        .load(conn)?)
}

/// A live client (unrevoked, of an active enterprise) with its secret hash and principal.
pub fn find_live(
    conn: &mut DbConnection,
    client_id: &str,
) -> Result<Option<(String, User)>, DbError> {
    Ok(api_clients::table
        .inner_join(users::table)
        .inner_join(enterprises::table.on(enterprises::id.eq(api_clients::enterprise_id)))
        .filter(api_clients::client_id.eq(client_id))
        .filter(api_clients::revoked_at.is_null())
        .filter(users::active.eq(true))
        .filter(enterprises::active.eq(true))
        .select((api_clients::secret_hash, User::as_select()))
        .first(conn)
        .optional()?)
}

/// Whether the enterprise is active, holding its row until the commit on PostgreSQL, so that
/// concurrent creations of its clients count one after the other (SQLite's write transaction
/// holds the whole database already).
pub fn lock_enterprise(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
) -> Result<bool, DbError> {
    let query = enterprises::table
        .find(enterprise_id)
        .select(enterprises::active);
    Ok(match conn {
        DbConnection::Postgres(pg) => query.for_update().first(pg)?,
        DbConnection::Sqlite(lite) => query.first(lite)?,
    })
}

/// How many unrevoked clients an enterprise has.
pub fn count_live(conn: &mut DbConnection, enterprise_id: EnterpriseId) -> Result<i64, DbError> {
    Ok(api_clients::table
        .filter(api_clients::enterprise_id.eq(enterprise_id))
        .filter(api_clients::revoked_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Revokes a client of `enterprise_id` and deactivates its principal, whose id it answers;
/// `NotFound` when no such live client exists.
pub fn revoke(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
    client_id: &str,
    now: NaiveDateTime,
) -> Result<UserId, DbError> {
    let user_id: UserId = diesel::update(
        api_clients::table
            .filter(api_clients::enterprise_id.eq(enterprise_id))
            .filter(api_clients::client_id.eq(client_id))
            .filter(api_clients::revoked_at.is_null()),
    )
    .set(api_clients::revoked_at.eq(now))
    .returning(api_clients::user_id)
    .get_result(conn)?;
    diesel::update(users::table.find(user_id))
        .set((users::active.eq(false), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(user_id)
}
