//! Bulk import of CSV files, for a county bringing its existing roster: enterprises (matched by
//! USCC), cadres (by username) and pairings (by USCC and username). A file is applied whole in
//! one transaction or not at all; every bad row is reported with its line; a row that matches
//! what is stored changes nothing, so importing a file twice changes nothing the second time.
//! The column lists below are the documented formats (README, OpenAPI).

pub mod enterprises;
pub mod pairings;
pub mod people;
mod table;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::auth::policy::{self, ImportScope};
use crate::db::pairings::Changes;
use crate::db::{Database, DbConnection, write_transaction};
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
