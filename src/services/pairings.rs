//! Who assists whom: an enterprise's cadres, set as a whole with exactly one primary, and the
//! enterprises a cadre is paired with.

use std::collections::HashSet;

use crate::api::pairings::SetCadres;
use crate::auth::{Principal, policy};
use crate::db::enterprises::{Enterprise, EnterpriseFilter};
use crate::db::pairings::{PairedCadre, Pairing};
use crate::db::users::User;
use crate::db::{DbConnection, DbError, Optional, enterprises, pairings, users, write_transaction};
use crate::domain::ids::{EnterpriseId, UserId};
use crate::domain::page::{Page, PageRequest};
use crate::domain::pairing::{assist_rule, check_primaries, may_assist};
use crate::domain::region::RegionCode;
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::services::enterprises::{managed_enterprise, visible_enterprise};
use crate::state::AppState;

/// Whether `user` may be paired with an enterprise in `county`.
pub fn can_assist(user: &User, county: &RegionCode) -> bool {
    may_assist(user.role, user.active, user.region_code.as_ref(), county)
}

/// Ends the pairings of these cadres and enterprises that a move (written just before, in the
/// same transaction) has put outside the rule: the cadre is no longer an active cadre whose
/// region holds the enterprise's county. An enterprise whose primary goes keeps its other
/// cadres without a primary, so its new tickets wait for dispatch until a supervisor names one.
/// Returns the ended pairings, for the caller to audit once the transaction commits.
pub fn end_broken(
    conn: &mut DbConnection,
    cadre_ids: &[UserId],
    enterprise_ids: &[EnterpriseId],
) -> Result<Vec<Pairing>, DbError> {
    let mut broken: Vec<Pairing> = pairings::held_by(conn, cadre_ids, enterprise_ids)?
        .into_iter()
        .filter(|held| {
            !may_assist(
                held.role,
                held.active,
                held.region_code.as_ref(),
                &held.county_code,
            )
        })
        .map(|held| Pairing {
            enterprise_id: held.enterprise_id,
            user_id: held.user_id,
            primary: held.primary,
        })
        .collect();
    broken.sort_by_key(|p| (p.enterprise_id, p.user_id));
    broken.dedup();
    pairings::remove(conn, &broken)?;
    Ok(broken)
}

pub async fn list_cadres(
    state: &AppState,
    caller: &Principal,
    enterprise_id: EnterpriseId,
) -> Result<Vec<PairedCadre>, Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            visible_enterprise(conn, &caller, enterprise_id)?;
            Ok(pairings::list_for_enterprise(conn, enterprise_id)?)
        })
        .await
}

pub async fn set_cadres(
    state: &AppState,
    caller: &Principal,
    enterprise_id: EnterpriseId,
    input: SetCadres,
) -> Result<Vec<PairedCadre>, Error> {
    let now = state.clock.now();
    let actor = caller.user_id();
    let caller = caller.clone();
    let (cadres, changes) = state
        .db
        .run(move |conn| {
            write_transaction(conn, |c| {
                let county = managed_enterprise(c, &caller, enterprise_id)?.county_code;
                let mut errors = FieldErrors::default();
                let mut seen = HashSet::new();
                for (i, choice) in input.cadres.iter().enumerate() {
                    let field = format!("cadres[{i}].user_id");
                    if !seen.insert(choice.user_id) {
                        errors.add(&field, "listed twice");
                        continue;
                    }
                    let user = users::find(c, UserId(choice.user_id)).optional()?;
                    if !user.is_some_and(|u| can_assist(&u, &county)) {
                        errors.add(&field, assist_rule(&county));
                    }
                }
                let primaries = input.cadres.iter().filter(|c| c.primary).count();
                errors.check("cadres", check_primaries(input.cadres.len(), primaries));
                errors.into_result()?;
                let wanted: Vec<Pairing> = input
                    .cadres
                    .iter()
                    .map(|choice| Pairing {
                        enterprise_id,
                        user_id: UserId(choice.user_id),
                        primary: choice.primary,
                    })
                    .collect();
                let changes = pairings::replace(c, &[enterprise_id], &wanted, now)?;
                let items = pairings::list_for_enterprise(c, enterprise_id)?;
                Ok::<_, Error>((items, changes))
            })
        })
        .await?;
    tracing::info!(
        target: "audit",
        event = "pairings.set",
        actor_id = actor.get(),
        target_id = enterprise_id.get(),
        ?changes,
        outcome = "success",
        "pairings set"
    );
    Ok(cadres)
}

/// The enterprises a cadre is paired with, as far as the caller may see them, in id order.
pub async fn paired_enterprises(
    state: &AppState,
    caller: &Principal,
    cadre_id: UserId,
    page: PageRequest<i64>,
) -> Result<Page<Enterprise>, Error> {
    let caller = caller.clone();
    let rows = state
        .db
        .run({
            let page = page.clone();
            move |conn| {
                let (_, facts) =
                    users::find_with_facts(conn, cadre_id).or_not_found("no such cadre")?;
                let scope = policy::read_paired_enterprises(&caller, &facts)?;
                let filter = EnterpriseFilter {
                    cadre: Some(cadre_id),
                    ..EnterpriseFilter::default()
                };
                Ok::<_, Error>(enterprises::list(conn, &scope, &filter, &page)?)
            }
        })
        .await?;
    Ok(Page::from_rows(rows, &page, |e| e.id))
}
