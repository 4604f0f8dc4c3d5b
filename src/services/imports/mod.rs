//! Bulk import of CSV files, for a county bringing its existing roster: enterprises (matched by
//! USCC), departments (by region and name), cadres (by username) and pairings (by USCC and
//! username). A file is applied whole in one transaction or not at all; every bad row is
//! reported with its line; a row that matches what is stored changes nothing, so importing a
//! file twice changes nothing the second time. The column lists below are the documented
//! formats (README, OpenAPI). Calendar files (`calendar`, the command line only) replace whole
//! years instead.

pub mod calendar;
pub mod departments;
pub mod enterprises;
pub mod pairings;
pub mod people;
mod table;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;

use crate::api::imports::{ImportKind, ImportReport};
use crate::auth::Principal;
use crate::auth::policy::{self, ImportScope};
use crate::auth::revocation::Revocation;
use crate::db::enterprises::{self as enterprise_rows, Enterprise};
use crate::db::pairings::{Changes, Pairing};
use crate::db::users::{self as user_rows, User};
use crate::db::{Database, DbConnection, DbError, write_transaction};
use crate::domain::access::UserFacts;
use crate::domain::ids::{EnterpriseId, UserId};
use crate::error::{Error, FieldErrors};
use crate::services::pairings::end_broken;
use crate::services::revocations::revoke_users;

/// A row and the line of the file it came from.
#[derive(Debug, Clone)]
pub struct Lined<T> {
    pub line: u64,
    pub row: T,
}

/// Which rows the caller may import (403 for those who may import nothing).
pub fn scope_for(caller: &Principal) -> Result<ImportScope, Error> {
    Ok(policy::import(caller)?)
}

/// Imports one file as `actor` (`None`: the command line, which passes [`ImportScope::All`]:
/// it acts as the operator). With the report come the tokens the file revoked, for the caller
/// to [`take_effect`](crate::services::revocations::take_effect) on its instance.
pub async fn import(
    db: &Database,
    actor: Option<UserId>,
    scope: ImportScope,
    kind: ImportKind,
    text: String,
    now: NaiveDateTime,
) -> Result<(ImportReport, Vec<Revocation>), Error> {
    let mut errors = FieldErrors::default();
    let (
        rows,
        Applied {
            changes,
            ended,
            revoked,
        },
    ) = match kind {
        ImportKind::Enterprises => {
            let rows = enterprises::parse(&text, now, &mut errors);
            in_one_transaction(db, scope, rows, errors, now, enterprises::apply).await?
        }
        ImportKind::Departments => {
            let rows = departments::parse(&text, &mut errors);
            in_one_transaction(db, scope, rows, errors, now, departments::apply).await?
        }
        ImportKind::Cadres => {
            let rows = people::parse(&text, &mut errors);
            let rows = people::check_then_hash(db, &scope, rows, errors, now).await?;
            // The check found no error; the transaction checks again, against what is
            // stored by then.
            let errors = FieldErrors::default();
            in_one_transaction(db, scope, rows, errors, now, people::apply).await?
        }
        ImportKind::Pairings => {
            let rows = pairings::parse(&text, &mut errors);
            in_one_transaction(db, scope, rows, errors, now, pairings::apply).await?
        }
    };
    tracing::info!(?kind, rows, ?changes, "import applied");
    crate::audit::pairings_ended(actor, "import", &ended);
    let report = ImportReport {
        kind,
        rows,
        created: changes.created,
        updated: changes.updated,
        unchanged: changes.unchanged,
        removed: changes.removed,
    };
    Ok((report, revoked))
}

/// Each value once, for looking them up.
fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    values.collect::<HashSet<_>>().into_iter().collect()
}

/// The stored enterprises holding any of these codes, by code.
fn enterprises_by_uscc(
    conn: &mut DbConnection,
    usccs: impl Iterator<Item = String>,
) -> Result<HashMap<String, Enterprise>, DbError> {
    let found = enterprise_rows::find_by_usccs(conn, &distinct(usccs))?;
    Ok(found.into_iter().map(|e| (e.uscc.clone(), e)).collect())
}

/// The stored people with any of these usernames, with their facts, by username.
fn people_by_username(
    conn: &mut DbConnection,
    usernames: impl Iterator<Item = String>,
) -> Result<HashMap<String, (User, UserFacts)>, DbError> {
    let found = user_rows::find_by_usernames(conn, &distinct(usernames))?;
    Ok(found
        .into_iter()
        .map(|(u, facts)| (u.username.clone(), (u, facts)))
        .collect())
}

/// What a row hears of a taken name or code outside the caller's scope: that it cannot have
/// it, and nothing about who has it.
const NOT_AVAILABLE: &str = "not available";

/// Writes rows of a plan, many at a time.
type WriteMany<T> = fn(&mut DbConnection, &[T]) -> Result<(), DbError>;

/// What applying a file will write: the new rows, the changes to stored ones (by id), and how
/// many rows already match what is stored.
struct Plan<Id, New, Change> {
    new: Vec<New>,
    changed: Vec<(Id, Change)>,
    unchanged: usize,
}

impl<Id: Copy, New, Change> Plan<Id, New, Change> {
    fn new() -> Self {
        Plan {
            new: Vec::new(),
            changed: Vec::new(),
            unchanged: 0,
        }
    }

    /// A row matching stored row `id`, and the change it needs to match it, if any.
    fn compare(&mut self, id: Id, change: Option<Change>) {
        match change {
            Some(change) => self.changed.push((id, change)),
            None => self.unchanged += 1,
        }
    }

    /// Inserts the new rows all at once and updates the changed ones.
    fn write<T>(
        self,
        conn: &mut DbConnection,
        insert_many: WriteMany<New>,
        update: fn(&mut DbConnection, Id, &Change) -> Result<T, DbError>,
    ) -> Result<Changes, DbError> {
        insert_many(conn, &self.new)?;
        for (id, change) in &self.changed {
            update(conn, *id, change)?;
        }
        Ok(self.counts())
    }

    /// Inserts the new rows and updates the changed ones, each all at once.
    fn write_all(
        self,
        conn: &mut DbConnection,
        insert_many: WriteMany<New>,
        update_many: WriteMany<(Id, Change)>,
    ) -> Result<Changes, DbError> {
        insert_many(conn, &self.new)?;
        update_many(conn, &self.changed)?;
        Ok(self.counts())
    }

    fn counts(&self) -> Changes {
        Changes {
            created: self.new.len(),
            updated: self.changed.len(),
            unchanged: self.unchanged,
            removed: 0,
        }
    }
}

/// What applying a file did: its counts (`removed` includes the pairings its moves ended), and
/// those ended pairings, audited once the transaction commits.
pub struct Applied {
    pub changes: Changes,
    pub ended: Vec<Pairing>,
    /// The tokens of cadres the file moved, which no longer say where they work.
    pub revoked: Vec<Revocation>,
}

impl Applied {
    /// What a file whose moves end pairings did: a moved cadre or enterprise keeps only the
    /// pairings the rule still allows (see [`end_broken`]).
    fn with_moves(
        conn: &mut DbConnection,
        mut changes: Changes,
        moved_cadres: &[UserId],
        moved_enterprises: &[EnterpriseId],
        now: NaiveDateTime,
    ) -> Result<Applied, DbError> {
        let ended = end_broken(conn, moved_cadres, moved_enterprises)?;
        changes.removed += ended.len();
        // Last in the transaction, as revocations must be.
        let revoked = revoke_users(conn, moved_cadres, now)?;
        Ok(Applied {
            changes,
            ended,
            revoked,
        })
    }
}

/// How each kind applies its rows: checks them against the database (adding to the errors the
/// file's reading found), then writes them, or fails with every error.
type Apply<R> = fn(
    &mut DbConnection,
    &ImportScope,
    &[Lined<R>],
    FieldErrors,
    NaiveDateTime,
) -> Result<Applied, Error>;

/// Runs `apply` in one write transaction, so a failure leaves nothing behind.
async fn in_one_transaction<R: Send + 'static>(
    db: &Database,
    scope: ImportScope,
    rows: Vec<Lined<R>>,
    errors: FieldErrors,
    now: NaiveDateTime,
    apply: Apply<R>,
) -> Result<(usize, Applied), Error> {
    let count = rows.len();
    let applied = db
        .run(move |conn| write_transaction(conn, |c| apply(c, &scope, &rows, errors, now)))
        .await?;
    Ok((count, applied))
}
