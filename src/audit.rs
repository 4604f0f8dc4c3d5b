//! The security audit trail in the logs: who tried what, on what, and how it ended. Every event
//! has the target `audit` (so a collector can route them apart), an `event` name, the actor and
//! an `outcome`; the request's span adds its id, method and path (the object acted on). Values
//! that come from users are logged as fields, never spliced into the message, so the JSON format
//! escapes them and no input can forge a line.

use crate::db::pairings::Pairing;
use crate::db::users::User;
use crate::domain::access::Refusal;
use crate::domain::ids::{EnterpriseId, UserId};
use crate::domain::region::RegionCode;

/// A policy refusal as it is answered: `decision` is `forbidden` (403) or `hidden` (404, as if
/// absent).
pub fn access_denied(refusal: &Refusal) {
    tracing::warn!(
        target: "audit",
        event = "access.denied",
        actor_id = refusal.actor_id.get(),
        actor_role = refusal.actor_role.as_str(),
        decision = refusal.kind.as_str(),
        reason = refusal.reason.as_str(),
        outcome = "denied",
        "access denied"
    );
}

/// A request whose bearer token was missing, malformed, forged or expired.
pub fn token_rejected(reason: &str) {
    tracing::info!(
        target: "audit",
        event = "auth.token_rejected",
        reason,
        outcome = "failure",
        "bearer token rejected"
    );
}

/// An account created by `actor_id` (`None`: the `create-admin` command).
pub fn user_created(actor_id: Option<UserId>, user: &User) {
    tracing::info!(
        target: "audit",
        event = "user.created",
        actor_id = actor_id.map(UserId::get),
        target_id = user.id.get(),
        role = user.role.as_str(),
        region = user.region_code.as_ref().map(RegionCode::as_str),
        enterprise_id = user.enterprise_id.map(EnterpriseId::get),
        outcome = "success",
        "user created"
    );
}

/// A change to an account, naming what changed; a deactivation is also its own event.
pub fn user_changed(actor_id: UserId, before: &User, after: &User, password_changed: bool) {
    let role_changed = before.role != after.role;
    let region_changed = before.region_code != after.region_code;
    tracing::info!(
        target: "audit",
        event = "user.changed",
        actor_id = actor_id.get(),
        target_id = after.id.get(),
        role_from = role_changed.then(|| before.role.as_str()),
        role_to = role_changed.then(|| after.role.as_str()),
        region_from = region_changed.then_some(before.region_code.as_ref().map(RegionCode::as_str)).flatten(),
        region_to = region_changed.then_some(after.region_code.as_ref().map(RegionCode::as_str)).flatten(),
        active = after.active,
        password_changed,
        outcome = "success",
        "user changed"
    );
    if before.active && !after.active {
        tracing::info!(
            target: "audit",
            event = "user.deactivated",
            actor_id = actor_id.get(),
            target_id = after.id.get(),
            outcome = "success",
            "user deactivated"
        );
    }
}

/// Pairings a move ended in its own transaction (`cause`: what moved), listed as (enterprise,
/// cadre, primary); `actor_id` is `None` for the command line. Nothing when none ended.
pub fn pairings_ended(actor_id: Option<UserId>, cause: &'static str, ended: &[Pairing]) {
    if ended.is_empty() {
        return;
    }
    let pairings: Vec<(i64, i64, bool)> = ended
        .iter()
        .map(|p| (p.enterprise_id.get(), p.user_id.get(), p.primary))
        .collect();
    tracing::info!(
        target: "audit",
        event = "pairings.ended",
        actor_id = actor_id.map(UserId::get),
        cause,
        count = ended.len(),
        ?pairings,
        outcome = "success",
        "pairings ended by a move"
    );
}

/// A year of the working-day calendar replaced by `actor_id` (`None`: the `import calendar`
/// command).
pub fn calendar_replaced(actor_id: Option<UserId>, year: i32, days: usize, working_days: i64) {
    tracing::info!(
        target: "audit",
        event = "calendar.replaced",
        actor_id = actor_id.map(UserId::get),
        year,
        days,
        working_days,
        outcome = "success",
        "calendar year replaced"
    );
}
