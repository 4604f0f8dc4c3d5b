//! Bulk import of CSV files, for a county bringing its existing roster: enterprises (matched by
//! USCC), cadres (by username) and pairings (by USCC and username). A file is applied whole in
//! one transaction or not at all; every bad row is reported with its line; a row that matches
//! what is stored changes nothing, so importing a file twice changes nothing the second time.
//! The column lists below are the documented formats (README, OpenAPI). Calendar files
//! (`calendar`, the command line only) replace whole years instead.

pub mod calendar;
pub mod enterprises;
pub mod pairings;
pub mod people;
mod table;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::auth::policy::{self, ImportScope};
use crate::db::enterprises::{self as enterprise_rows, Enterprise};
use crate::db::pairings::Changes;
use crate::db::users::{self as user_rows, User};
use crate::db::{Database, DbConnection, DbError, write_transaction};
use crate::error::{Error, FieldErrors};

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    Enterprises,
    Cadres,
    Pairings,
}

/// What an import did: each row of the file counted once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub kind: ImportKind,
    /// Rows in the file (the header not counted).
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows that matched what was stored.
    pub unchanged: usize,
    /// Pairings only: pairings of the file's enterprises that the file no longer lists.
    pub removed: usize,
}

/// A row and the line of the file it came from.
#[derive(Debug, Clone)]
pub struct Lined<T> {
    pub line: u64,
    pub row: T,
}

/// Which rows the caller may import (403 for those who may import nothing).
pub fn scope_for(caller: &Principal) -> Result<ImportScope, Error> {
    policy::import(caller)
}

/// Imports one file. The command line passes [`ImportScope::All`]: it acts as the operator.
pub async fn import(
    db: &Database,
    scope: ImportScope,
    kind: ImportKind,
    text: String,
    now: NaiveDateTime,
) -> Result<ImportReport, Error> {
    let mut errors = FieldErrors::default();
    let (rows, changes) = match kind {
        ImportKind::Enterprises => {
            let rows = enterprises::parse(&text, now, &mut errors);
            in_one_transaction(db, scope, rows, errors, now, enterprises::apply).await?
        }
        ImportKind::Cadres => {
            let rows = people::parse(&text, &mut errors);
            let rows = people::hash_new_passwords(db, rows).await?;
            in_one_transaction(db, scope, rows, errors, now, people::apply).await?
        }
        ImportKind::Pairings => {
            let rows = pairings::parse(&text, &mut errors);
            in_one_transaction(db, scope, rows, errors, now, pairings::apply).await?
        }
    };
    tracing::info!(?kind, rows, ?changes, "import applied");
    Ok(ImportReport {
        kind,
        rows,
        created: changes.created,
        updated: changes.updated,
        unchanged: changes.unchanged,
        removed: changes.removed,
    })
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

/// The stored people with any of these usernames, by username.
fn people_by_username(
    conn: &mut DbConnection,
    usernames: impl Iterator<Item = String>,
) -> Result<HashMap<String, User>, DbError> {
    let found = user_rows::find_by_usernames(conn, &distinct(usernames))?;
    Ok(found.into_iter().map(|u| (u.username.clone(), u)).collect())
}

/// What applying a file will write: the new rows, the changes to stored ones (by id), and how
/// many rows already match what is stored.
struct Plan<New, Change> {
    new: Vec<New>,
    changed: Vec<(i64, Change)>,
    unchanged: usize,
}

impl<New, Change> Plan<New, Change> {
    fn new() -> Self {
        Plan {
            new: Vec::new(),
            changed: Vec::new(),
            unchanged: 0,
        }
    }

    /// A row matching stored row `id`, and the change it needs to match it, if any.
    fn compare(&mut self, id: i64, change: Option<Change>) {
        match change {
            Some(change) => self.changed.push((id, change)),
            None => self.unchanged += 1,
        }
    }

    /// Inserts the new rows all at once and updates the changed ones.
    fn write<T>(
        self,
        conn: &mut DbConnection,
        insert_many: fn(&mut DbConnection, &[New]) -> Result<(), DbError>,
        update: fn(&mut DbConnection, i64, &Change) -> Result<T, DbError>,
    ) -> Result<Changes, DbError> {
        insert_many(conn, &self.new)?;
        for (id, change) in &self.changed {
            update(conn, *id, change)?;
        }
        Ok(Changes {
            created: self.new.len(),
            updated: self.changed.len(),
            unchanged: self.unchanged,
            removed: 0,
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
) -> Result<Changes, Error>;

/// Runs `apply` in one write transaction, so a failure leaves nothing behind.
async fn in_one_transaction<R: Send + 'static>(
    db: &Database,
    scope: ImportScope,
    rows: Vec<Lined<R>>,
    errors: FieldErrors,
    now: NaiveDateTime,
    apply: Apply<R>,
) -> Result<(usize, Changes), Error> {
    let count = rows.len();
    let changes = db
        .run(move |conn| write_transaction(conn, |c| apply(c, &scope, &rows, errors, now)))
        .await?;
    Ok((count, changes))
}
