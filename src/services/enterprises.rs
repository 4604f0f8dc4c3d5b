//! Registering, listing and changing enterprises.

use chrono::NaiveDateTime;

use crate::api::enterprises::{CreateEnterprise, UpdateEnterprise};
use crate::auth::Principal;
use crate::auth::policy;
use crate::auth::revocation::Revocation;
use crate::db::enterprises::{Enterprise, EnterpriseChanges, EnterpriseFilter, NewEnterprise};
use crate::db::{
    DbConnection, DbError, enterprises, pairings, regions, sessions, users, write_transaction,
};
use crate::domain::access::EnterpriseFacts;
use crate::domain::ids::EnterpriseId;
use crate::domain::page::{Page, PageRequest};
use crate::domain::region::RegionCode;
use crate::domain::role::Role;
use crate::domain::{text, uscc};
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::revocations::{self, revoke_users};
use crate::state::AppState;

/// A taken code, wherever its holder is (the code is the enterprises' one unique key).
pub const USCC_TAKEN: &str = "that unified social credit code is not available";

/// Longest value of each free-text field, in characters.
fn max_chars(field: &str) -> usize {
    match field {
        "name" => 200,
        "contact_phone" => 40,
        _ => 100,
    }
}

/// An optional text field: `None` when invalid (recorded) or blank, else the trimmed text.
fn optional_field(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> Option<String> {
    errors
        .check(field, text::optional_line(value, max_chars(field)))
        .flatten()
}

/// A new enterprise from its fields, each bad one recorded under its own name; whether the
/// county holds enterprises, and whether it is the caller's, is for the database to say after.
pub fn checked_new(
    errors: &mut FieldErrors,
    input: CreateEnterprise,
    now: NaiveDateTime,
) -> Option<NewEnterprise> {
    let name = errors.check("name", text::single_line(&input.name, max_chars("name")));
    let code = errors.check("uscc", uscc::validate(&input.uscc));
    let county = errors.check("county_code", RegionCode::parse(&input.county_code));
    let new = NewEnterprise {
        industry: optional_field(errors, "industry", input.industry.as_deref()),
        contact_name: optional_field(errors, "contact_name", input.contact_name.as_deref()),
        contact_phone: optional_field(errors, "contact_phone", input.contact_phone.as_deref()),
        name: name?,
        uscc: code.map(|()| input.uscc)?,
        county_code: county?,
        active: true,
        created_at: now,
        updated_at: now,
    };
    errors.is_empty().then_some(new)
}

/// Checks that enterprises may sit in `county` and that the caller may put one there.
fn check_county(
    conn: &mut DbConnection,
    caller: &Principal,
    county: &RegionCode,
) -> Result<(), Error> {
    if !regions::holds_enterprises(conn, county)? {
        return Err(Error::invalid("county_code", "not a county-level region"));
    }
    Ok(policy::manage_enterprise_in(caller, county)?)
}

pub async fn create_enterprise(
    state: &AppState,
    caller: &Principal,
    input: CreateEnterprise,
) -> Result<Enterprise, Error> {
    let mut errors = FieldErrors::default();
    let new = checked_new(&mut errors, input, state.clock.now());
    let new = errors.finish(new)?;
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                check_county(c, &caller, &new.county_code)?;
                enterprises::insert(c, &new).on_duplicate(USCC_TAKEN)
            })
        })
        .await
}

/// An enterprise the caller may see (else 404).
pub async fn get_enterprise(
    state: &AppState,
    caller: &Principal,
    id: EnterpriseId,
) -> Result<Enterprise, Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| visible_enterprise(conn, &caller, id))
        .await
}

pub async fn list_enterprises(
    state: &AppState,
    caller: &Principal,
    filter: EnterpriseFilter,
    page: PageRequest<i64>,
) -> Result<Page<Enterprise>, Error> {
    let scope = policy::list_enterprises(caller);
    let rows = state
        .db
        .run({
            let page = page.clone();
            move |conn| enterprises::list(conn, &scope, &filter, &page)
        })
        .await?;
    Ok(Page::from_rows(rows, &page, |e| e.id))
}

pub async fn update_enterprise(
    state: &AppState,
    caller: &Principal,
    id: EnterpriseId,
    input: UpdateEnterprise,
) -> Result<Enterprise, Error> {
    let mut errors = FieldErrors::default();
    let name = input
        .name
        .as_deref()
        .and_then(|v| errors.check("name", text::single_line(v, max_chars("name"))));
    if let Some(code) = &input.uscc {
        errors.check("uscc", uscc::validate(code));
    }
    let county = input
        .county_code
        .as_deref()
        .and_then(|v| errors.check("county_code", RegionCode::parse(v)));
    // Present and blank clears a field (`Some(None)`); absent leaves it (`None`).
    let mut optional = |field: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| optional_field(&mut errors, field, Some(v)))
    };
    let changes = EnterpriseChanges {
        industry: optional("industry", &input.industry),
        contact_name: optional("contact_name", &input.contact_name),
        contact_phone: optional("contact_phone", &input.contact_phone),
        name,
        uscc: input.uscc,
        county_code: county.clone(),
        active: input.active,
        updated_at: Some(state.clock.now()),
    };
    errors.into_result()?;
    let actor = caller.user_id();
    let caller = caller.clone();
    let now = state.clock.now();
    let (enterprise, revoked, ended) = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let current = managed_enterprise(c, &caller, id)?;
                let moved = county.filter(|county| *county != current.county_code);
                if let Some(county) = &moved {
                    check_county(c, &caller, county)?;
                }
                let updated = enterprises::update(c, id, &changes).on_duplicate(USCC_TAKEN)?;
                let revoked = if current.active && !updated.active {
                    end_sessions_of(c, id, now)?
                } else {
                    Vec::new()
                };
                let ended = match moved {
                    Some(_) => super::pairings::end_broken(c, &[], &[id])?,
                    None => Vec::new(),
                };
                Ok::<_, Error>((updated, revoked, ended))
            })
        })
        .await?;
    revocations::take_effect(state, &revoked);
    tracing::info!(
        target: "audit",
        event = "enterprise.changed",
        actor_id = actor.get(),
        target_id = enterprise.id.get(),
        active = enterprise.active,
        outcome = "success",
        "enterprise changed"
    );
    crate::audit::pairings_ended(Some(actor), "enterprise.changed", &ended);
    Ok(enterprise)
}

/// Ends every session and token of an enterprise's staff and clients (it was deactivated);
/// last in the transaction.
fn end_sessions_of(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
    now: NaiveDateTime,
) -> Result<Vec<Revocation>, DbError> {
    let people = users::ids_of_enterprise(conn, enterprise_id)?;
    sessions::revoke_user_tokens(conn, &people, now)?;
    revoke_users(conn, &people, now)
}

/// The answer to adding an account or client to a deactivated enterprise.
pub fn deactivated() -> Error {
    Error::Conflict("the enterprise is deactivated; reactivate it first".into())
}

/// The policy's facts about `enterprise` as `caller` sees it.
pub fn facts_for(
    conn: &mut DbConnection,
    caller: &Principal,
    enterprise: &Enterprise,
) -> Result<EnterpriseFacts, DbError> {
    // Only a cadre's view depends on pairings; everyone else is spared the lookup.
    let paired =
        caller.role() == Role::Cadre && pairings::is_paired(conn, enterprise.id, caller.user_id())?;
    Ok(enterprise.facts(paired))
}

/// The enterprise and the policy's facts about it, whoever may see it.
fn find_with_facts(
    conn: &mut DbConnection,
    caller: &Principal,
    id: EnterpriseId,
) -> Result<(Enterprise, EnterpriseFacts), Error> {
    let enterprise = enterprises::find(conn, id).or_not_found("no such enterprise")?;
    let facts = facts_for(conn, caller, &enterprise)?;
    Ok((enterprise, facts))
}

/// An enterprise the caller may change: 404 when they cannot see it, 403 when they may only look.
pub fn managed_enterprise(
    conn: &mut DbConnection,
    caller: &Principal,
    id: EnterpriseId,
) -> Result<Enterprise, Error> {
    let (enterprise, facts) = find_with_facts(conn, caller, id)?;
    policy::manage_enterprise(caller, &facts)?;
    Ok(enterprise)
}

/// An enterprise the caller may see (else 404).
pub fn visible_enterprise(
    conn: &mut DbConnection,
    caller: &Principal,
    id: EnterpriseId,
) -> Result<Enterprise, Error> {
    let (enterprise, facts) = find_with_facts(conn, caller, id)?;
    policy::read_enterprise(caller, &facts)?;
    Ok(enterprise)
}
