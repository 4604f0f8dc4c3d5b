//! Enterprises' API clients: created with a secret shown once, listed, revoked.

use crate::api::clients::{CreateClient, CreatedClient};
use crate::auth::{Principal, policy, token};
use crate::db::api_clients::{self, ApiClient, NewClient};
use crate::db::{DbConnection, write_transaction};
use crate::domain::ids::EnterpriseId;
use crate::domain::page::Page;
use crate::domain::text::Name;
use crate::error::{DbOutcome, Error};
use crate::services::enterprises::{deactivated, facts_for, visible_enterprise};
use crate::services::revocations::{self, revoke_users};
use crate::state::AppState;

/// Checks that the caller may manage the enterprise's clients (404 when it cannot see it).
async fn authorize(
    state: &AppState,
    caller: &Principal,
    enterprise_id: EnterpriseId,
) -> Result<(), Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            let enterprise = visible_enterprise(conn, &caller, enterprise_id)?;
            let facts = facts_for(conn, &caller, &enterprise)?;
            Ok(policy::manage_clients(&caller, &facts)?)
        })
        .await
}

/// Whether the enterprise may have another client: active, and under the cap.
fn check_room(conn: &mut DbConnection, enterprise_id: EnterpriseId, cap: u32) -> Result<(), Error> {
    if !api_clients::lock_enterprise(conn, enterprise_id)? {
        return Err(deactivated());
    }
    if api_clients::count_live(conn, enterprise_id)? >= i64::from(cap) {
        return Err(Error::Conflict(format!(
            "the enterprise has {cap} live API clients, the most allowed; revoke one first"
        )));
    }
    Ok(())
}

/// Creates a client; its secret is hashed only once the cheap checks have passed, and checked
/// again with the insert, so a race cannot pass the cap.
pub async fn create_client(
    state: &AppState,
    caller: &Principal,
    enterprise_id: EnterpriseId,
    input: CreateClient,
) -> Result<CreatedClient, Error> {
    authorize(state, caller, enterprise_id).await?;
    let name = Name::parse(&input.name).map_err(|why| Error::invalid("name", why))?;
    let cap = state.limits.max_clients_per_enterprise;
    state
        .db
        .run(move |conn| check_room(conn, enterprise_id, cap))
        .await?;
    let client_id = format!("eac_{}", &token::random_secret()[..22]);
    let client_secret = token::random_secret();
    let secret_hash = state.hashing.hash(client_secret.clone()).await?;
    let new = NewClient {
        client_id,
        secret_hash,
        name: name.into(),
        enterprise_id,
        created_by: caller.user_id(),
        now: state.clock.now(),
    };
    let client = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                check_room(c, enterprise_id, cap)?;
                Ok::<_, Error>(api_clients::insert(c, new)?)
            })
        })
        .await?;
    tracing::info!(actor = caller.user_id().get(), enterprise_id = enterprise_id.get(), client = %client.client_id, "API client created");
    Ok(CreatedClient {
        id: client.id,
        client_id: client.client_id,
        client_secret,
        name: client.name,
        enterprise_id: client.enterprise_id.get(),
        created_at: client.created_at,
        revoked_at: client.revoked_at,
    })
}

pub async fn list_clients(
    state: &AppState,
    caller: &Principal,
    enterprise_id: EnterpriseId,
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
    enterprise_id: EnterpriseId,
    client_id: String,
) -> Result<(), Error> {
    authorize(state, caller, enterprise_id).await?;
    let now = state.clock.now();
    let id = client_id.clone();
    let ended = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let principal = api_clients::revoke(c, enterprise_id, &id, now)?;
                revoke_users(c, &[principal], now)
            })
        })
        .await
        .or_not_found("no such API client")?;
    revocations::take_effect(state, &ended);
    tracing::info!(actor = caller.user_id().get(), enterprise_id = enterprise_id.get(), client = %client_id, "API client revoked");
    Ok(())
}
