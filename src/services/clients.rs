//! Enterprises' API clients: created with a secret shown once, listed, revoked.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Principal, password, policy, token};
use crate::db::api_clients::{self, ApiClient, NewClient};
use crate::db::{DbError, write_transaction};
use crate::domain::page::Page;
use crate::domain::text;
use crate::error::{Error, FieldErrors};
use crate::services::enterprises::{facts_for, visible_enterprise};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClient {
    #[schema(example = "ERP integration")]
    pub name: String,
}

/// A new client with its secret: the only time the secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedClient {
    pub id: i64,
    pub client_id: String,
    /// Shown once; store it now.
    pub client_secret: String,
    pub name: String,
    pub enterprise_id: i64,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<NaiveDateTime>,
}

/// Checks that the caller may manage the enterprise's clients (404 when it cannot see it).
async fn authorize(state: &AppState, caller: &Principal, enterprise_id: i64) -> Result<(), Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            let enterprise = visible_enterprise(conn, &caller, enterprise_id)?;
            policy::manage_clients(&caller, &facts_for(conn, &caller, &enterprise)?)
        })
        .await
}

pub async fn create_client(
    state: &AppState,
    caller: &Principal,
    enterprise_id: i64,
    input: CreateClient,
) -> Result<CreatedClient, Error> {
    authorize(state, caller, enterprise_id).await?;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", text::single_line(&input.name, 100));
    errors.into_result()?;
    let client_id = format!("eac_{}", &token::random_secret()[..22]);
    let client_secret = token::random_secret();
    let secret_hash = password::hash_off_thread(client_secret.clone()).await;
    let new = NewClient {
        client_id,
        secret_hash,
        name: name.expect("validated"),
        enterprise_id,
        created_by: caller.user_id,
        now: state.clock.now(),
    };
    let client = state
        .db
        .run(move |conn| write_transaction(conn, |c| api_clients::insert(c, new)))
        .await?;
    tracing::info!(actor = caller.user_id, enterprise_id, client = %client.client_id, "API client created");
    Ok(CreatedClient {
        id: client.id,
        client_id: client.client_id,
        client_secret,
        name: client.name,
        enterprise_id: client.enterprise_id,
        created_at: client.created_at,
        revoked_at: client.revoked_at,
    })
}

pub async fn list_clients(
    state: &AppState,
    caller: &Principal,
    enterprise_id: i64,
) -> Result<Page<ApiClient>, Error> {
    authorize(state, caller, enterprise_id).await?;
    let items = state
        .db
        .run(move |conn| api_clients::list(conn, enterprise_id))
        .await?;
    Ok(Page {
        items,
        next_cursor: None,
    })
}

pub async fn revoke_client(
    state: &AppState,
    caller: &Principal,
    enterprise_id: i64,
    client_id: String,
) -> Result<(), Error> {
    authorize(state, caller, enterprise_id).await?;
    let now = state.clock.now();
    let id = client_id.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| api_clients::revoke(c, enterprise_id, &id, now))
        })
        .await
        .map_err(|e: DbError| match e {
            DbError::NotFound => Error::not_found("no such API client"),
            other => other.into(),
        })?;
    tracing::info!(actor = caller.user_id, enterprise_id, client = %client_id, "API client revoked");
    Ok(())
}
