//! What an import is of, and what it reports.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    Enterprises,
    Departments,
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
    /// Pairings ended: for a pairings file, those of its enterprises that it no longer lists;
    /// for a cadre or enterprise file, those its moves put outside the pairing rule.
    pub removed: usize,
}
