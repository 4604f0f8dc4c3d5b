//! Pairings: which cadres assist which enterprise.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{enterprise_cadres, enterprises, users};
use super::{DbConnection, DbError, ROWS_PER_STATEMENT};
use crate::domain::ids::{EnterpriseId, UserId};
use crate::domain::region::RegionCode;
use crate::domain::role::Role;

/// Whether the cadre is paired with the enterprise (primary or not).
pub fn is_paired(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
    user_id: UserId,
) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        enterprise_cadres::table.find((enterprise_id, user_id)),
    ))
    .get_result(conn)?)
}

/// One wanted pairing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairing {
    pub enterprise_id: EnterpriseId,
    pub user_id: UserId,
    pub primary: bool,
}

/// A cadre paired with an enterprise, as the pairing list shows them.
#[derive(Debug, Queryable)]
pub struct PairedCadre {
    pub user_id: UserId,
    pub username: String,
    pub display_name: Option<String>,
    pub department: Option<String>,
    pub region_code: Option<String>,
    pub primary: bool,
}

/// What [`replace`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// The enterprise's cadres, the primary first.
pub fn list_for_enterprise(
    conn: &mut DbConnection,
    enterprise_id: EnterpriseId,
) -> Result<Vec<PairedCadre>, DbError> {
    Ok(enterprise_cadres::table
        .inner_join(users::table)
        .filter(enterprise_cadres::enterprise_id.eq(enterprise_id))
        .order((enterprise_cadres::is_primary.desc(), users::id))
        .select((
            users::id,
            users::username,
            users::display_name,
            users::department,
            users::region_code,
            enterprise_cadres::is_primary,
        ))
        .load(conn)?)
}

/// Makes the pairings of `enterprise_ids` exactly `wanted` (each of whose enterprises must be
/// among them), touching only what differs so a repeated call changes nothing. Call inside a
/// transaction; `wanted` must already satisfy the one-primary rule.
pub fn replace(
    conn: &mut DbConnection,
    enterprise_ids: &[EnterpriseId],
    wanted: &[Pairing],
    now: NaiveDateTime,
) -> Result<Changes, DbError> {
    let mut existing: HashMap<(EnterpriseId, UserId), bool> = HashMap::new();
    for chunk in enterprise_ids.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<(EnterpriseId, UserId, bool)> = enterprise_cadres::table
            .filter(enterprise_cadres::enterprise_id.eq_any(chunk))
            .select((
                enterprise_cadres::enterprise_id,
                enterprise_cadres::user_id,
                enterprise_cadres::is_primary,
            ))
            .load(conn)?;
        existing.extend(rows.into_iter().map(|(e, u, p)| ((e, u), p)));
    }
    let wanted_keys: HashSet<(EnterpriseId, UserId)> = wanted
        .iter()
        .map(|p| (p.enterprise_id, p.user_id))
        .collect();
    let mut changes = Changes::default();

    // Removals and demotions first, so no enterprise holds two primaries at any moment (a
    // unique index allows one).
    let mut stale: BTreeMap<EnterpriseId, Vec<UserId>> = BTreeMap::new();
    for (enterprise_id, user_id) in existing.keys().filter(|k| !wanted_keys.contains(k)) {
        stale.entry(*enterprise_id).or_default().push(*user_id);
    }
    for (enterprise_id, user_ids) in &stale {
        changes.removed += diesel::delete(
            enterprise_cadres::table
                .filter(enterprise_cadres::enterprise_id.eq(enterprise_id))
                .filter(enterprise_cadres::user_id.eq_any(user_ids)),
        )
        .execute(conn)?;
    }
    let (mut demote, mut promote, mut new) = (Vec::new(), Vec::new(), Vec::new());
    for pairing in wanted {
        match existing.get(&(pairing.enterprise_id, pairing.user_id)) {
            None => new.push(NewPairing {
                enterprise_id: pairing.enterprise_id,
                user_id: pairing.user_id,
                is_primary: pairing.primary,
                created_at: now,
            }),
            Some(&was) if was == pairing.primary => changes.unchanged += 1,
            Some(_) if pairing.primary => promote.push(*pairing),
            Some(_) => demote.push(*pairing),
        }
    }
    for pairing in demote.iter().chain(&promote) {
        diesel::update(enterprise_cadres::table.find((pairing.enterprise_id, pairing.user_id)))
            .set(enterprise_cadres::is_primary.eq(pairing.primary))
            .execute(conn)?;
    }
    changes.updated = demote.len() + promote.len();
    for chunk in new.chunks(ROWS_PER_STATEMENT) {
        let statement = diesel::insert_into(enterprise_cadres::table).values(chunk);
        crate::on_backend!(conn, |c| statement.execute(c))?;
    }
    changes.created = new.len();
    Ok(changes)
}

/// A stored pairing with what its rule looks at: the cadre's role, activity and region, and
/// the enterprise's county.
#[derive(Debug, Queryable)]
pub struct HeldPairing {
    pub enterprise_id: EnterpriseId,
    pub user_id: UserId,
    pub primary: bool,
    pub role: Role,
    pub active: bool,
    pub region_code: Option<RegionCode>,
    pub county_code: RegionCode,
}

/// The pairings of any of these cadres or any of these enterprises.
pub fn held_by(
    conn: &mut DbConnection,
    cadre_ids: &[UserId],
    enterprise_ids: &[EnterpriseId],
) -> Result<Vec<HeldPairing>, DbError> {
    let query = || {
        enterprise_cadres::table
            .inner_join(users::table.on(users::id.eq(enterprise_cadres::user_id)))
            .inner_join(enterprises::table.on(enterprises::id.eq(enterprise_cadres::enterprise_id)))
            .select((
                enterprise_cadres::enterprise_id,
                enterprise_cadres::user_id,
                enterprise_cadres::is_primary,
                users::role,
                users::active,
                users::region_code,
                enterprises::county_code,
            ))
    };
    let mut found = Vec::new();
    for chunk in cadre_ids.chunks(ROWS_PER_STATEMENT) {
        found.extend(
            query()
                .filter(enterprise_cadres::user_id.eq_any(chunk))
                .load::<HeldPairing>(conn)?,
        );
    }
    for chunk in enterprise_ids.chunks(ROWS_PER_STATEMENT) {
        found.extend(
            query()
                .filter(enterprise_cadres::enterprise_id.eq_any(chunk))
                .load::<HeldPairing>(conn)?,
        );
    }
    Ok(found)
}

/// Deletes these pairings; returns how many there were.
pub fn remove(conn: &mut DbConnection, pairings: &[Pairing]) -> Result<usize, DbError> {
    let mut removed = 0;
    for p in pairings {
        removed += diesel::delete(enterprise_cadres::table.find((p.enterprise_id, p.user_id)))
            .execute(conn)?;
    }
    Ok(removed)
}

#[derive(Debug, Insertable)]
#[diesel(table_name = enterprise_cadres)]
struct NewPairing {
    enterprise_id: EnterpriseId,
    user_id: UserId,
    is_primary: bool,
    created_at: NaiveDateTime,
}
