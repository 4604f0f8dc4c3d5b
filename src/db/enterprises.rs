//! Enterprises: who files tickets.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{enterprise_cadres, enterprises};
use super::search::{ESCAPE, contains_pattern, lower};
use super::users::User;
use super::{DbConnection, DbError, ROWS_PER_STATEMENT};
use crate::domain::access::{EnterpriseFacts, EnterpriseScope};
use crate::domain::ids::{EnterpriseId, UserId};
use crate::domain::page::PageRequest;
use crate::domain::region::{CodeRange, RegionCode};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = enterprises)]
pub struct Enterprise {
    pub id: EnterpriseId,
    pub name: String,
    /// Unified social credit code (GB 32100-2015).
    pub uscc: String,
    pub county_code: RegionCode,
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Enterprise {
    /// The policy's facts; whether the caller is one of its paired cadres is the caller's
    /// to say (`services::enterprises::facts_for` looks it up).
    pub fn facts(&self, paired_with_caller: bool) -> EnterpriseFacts {
        EnterpriseFacts {
            id: self.id,
            county: self.county_code.clone(),
            paired_with_caller,
        }
    }
}

// None binds NULL rather than DEFAULT, which SQLite's multi-row VALUES cannot hold.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = enterprises, treat_none_as_default_value = false)]
pub struct NewEnterprise {
    pub name: String,
    pub uscc: String,
    pub county_code: RegionCode,
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What may change on an enterprise; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Default, PartialEq, AsChangeset)]
#[diesel(table_name = enterprises)]
pub struct EnterpriseChanges {
    pub name: Option<String>,
    pub uscc: Option<String>,
    pub county_code: Option<RegionCode>,
    pub industry: Option<Option<String>>,
    pub contact_name: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
    pub active: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Filters of the enterprise list.
#[derive(Debug, Default)]
pub struct EnterpriseFilter {
    pub region: Option<CodeRange>,
    /// Part of the name, ignoring the case of Latin letters.
    pub name_contains: Option<String>,
    pub industry: Option<String>,
    pub active: Option<bool>,
    /// Only the enterprises this cadre is paired with.
    pub cadre: Option<UserId>,
}

pub fn insert(conn: &mut DbConnection, new: &NewEnterprise) -> Result<Enterprise, DbError> {
    let statement = diesel::insert_into(enterprises::table).values(new);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Enterprise::as_returning())
        .get_result(c))?)
}

/// Inserts many at once, a multi-row statement per chunk.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewEnterprise]) -> Result<(), DbError> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let statement = diesel::insert_into(enterprises::table).values(chunk);
        crate::on_backend!(conn, |c| statement.execute(c))?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: EnterpriseId) -> Result<Enterprise, DbError> {
    Ok(enterprises::table
        .find(id)
        .select(Enterprise::as_select())
        .first(conn)?)
}

/// An enterprise with its primary cadre, if it has one, in one query (filing needs both; the
/// caller decides whether that cadre may still take its tickets).
pub fn find_with_primary_cadre(
    conn: &mut DbConnection,
    id: EnterpriseId,
) -> Result<(Enterprise, Option<User>), DbError> {
    use super::schema::users;
    let primary = enterprise_cadres::table.on(enterprise_cadres::enterprise_id
        .eq(enterprises::id)
        .and(enterprise_cadres::is_primary.eq(true)));
    let cadre = users::table.on(users::id.eq(enterprise_cadres::user_id));
    Ok(enterprises::table
        .left_join(primary)
        .left_join(cadre)
        .filter(enterprises::id.eq(id))
        .select((Enterprise::as_select(), Option::<User>::as_select()))
        .first(conn)?)
}

/// Which of these enterprises are deactivated (tickets say so).
pub fn inactive_among(
    conn: &mut DbConnection,
    ids: &[EnterpriseId],
) -> Result<HashSet<EnterpriseId>, DbError> {
    let mut inactive = HashSet::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        inactive.extend(
            enterprises::table
                .filter(enterprises::id.eq_any(chunk))
                .filter(enterprises::active.eq(false))
                .select(enterprises::id)
                .load::<EnterpriseId>(conn)?,
        );
    }
    Ok(inactive)
}

/// The enterprises holding any of these codes.
pub fn find_by_usccs(
    conn: &mut DbConnection,
    usccs: &[String],
) -> Result<Vec<Enterprise>, DbError> {
    let mut found = Vec::with_capacity(usccs.len());
    for chunk in usccs.chunks(ROWS_PER_STATEMENT) {
        found.extend(
            enterprises::table
                .filter(enterprises::uscc.eq_any(chunk))
                .select(Enterprise::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
}

pub fn update(
    conn: &mut DbConnection,
    id: EnterpriseId,
    changes: &EnterpriseChanges,
) -> Result<Enterprise, DbError> {
    let statement = diesel::update(enterprises::table.find(id)).set(changes);
    Ok(crate::on_backend!(conn, |c| statement
        .returning(Enterprise::as_returning())
        .get_result(c))?)
}

/// One page of enterprises, in id order, inside `scope` and matching `filter`.
pub fn list(
    conn: &mut DbConnection,
    scope: &EnterpriseScope,
    filter: &EnterpriseFilter,
    page: &PageRequest<i64>,
) -> Result<Vec<Enterprise>, DbError> {
    let mut query = enterprises::table
        .select(Enterprise::as_select())
        .order(enterprises::id)
        .limit(page.fetch_limit())
        .into_boxed();
    let paired_with = |cadre: UserId| {
        enterprise_cadres::table
            .filter(enterprise_cadres::user_id.eq(cadre))
            .select(enterprise_cadres::enterprise_id)
    };
    let county_in = |range: &CodeRange| {
        enterprises::county_code.between(range.first.clone(), range.last.clone())
    };
    query = match scope {
        EnterpriseScope::All => query,
        EnterpriseScope::CountyIn(range) => query.filter(county_in(range)),
        EnterpriseScope::Only(id) => query.filter(enterprises::id.eq(*id)),
        EnterpriseScope::PairedWith(cadre) => {
            query.filter(enterprises::id.eq_any(paired_with(*cadre)))
        }
    };
    if let Some(range) = &filter.region {
        query = query.filter(county_in(range));
    }
    if let Some(needle) = &filter.name_contains {
        query = query.filter(
            lower(enterprises::name)
                .like(contains_pattern(needle))
                .escape(ESCAPE),
        );
    }
    if let Some(industry) = &filter.industry {
        query = query.filter(enterprises::industry.eq(industry.clone()));
    }
    if let Some(active) = filter.active {
        query = query.filter(enterprises::active.eq(active));
    }
    if let Some(cadre) = filter.cadre {
        query = query.filter(enterprises::id.eq_any(paired_with(cadre)));
    }
    if let Some(after) = page.after {
        query = query.filter(enterprises::id.gt(after));
    }
    Ok(query.load(conn)?)
}
