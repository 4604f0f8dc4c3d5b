//! The HTTP contract in one place: request bodies, query parameters and answers.
//!
//! Answers show a stored row apart from the row (crates.io's encodable types): each view is
//! made `From` its row, so storage can change a column without changing an answer, and an
//! answer names no column it does not show. Request bodies are what the use cases take in and
//! validate. This module sits below the use cases and above storage: it imports `db` and
//! `domain`, never `services` or `routes`. The schema names are the contract's
//! (`openapi.yaml`), so views keep their rows' names.

use serde::{Deserialize, Deserializer};
use utoipa::IntoParams;

pub mod calendar;
pub mod categories;
pub mod clients;
pub mod collaborators;
pub mod departments;
pub mod dispatch;
pub mod enterprises;
pub mod extensions;
pub mod imports;
pub mod ops;
pub mod pairings;
pub mod regions;
pub mod reports;
pub mod sessions;
pub mod supervision;
pub mod ticket_activity;
pub mod tickets;
pub mod users;
pub mod workload;

/// Reads a field that may be absent (`None`, with `#[serde(default)]`), null (`Some(None)`) or
/// a value, for changes where null means "take it away".
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The query of a list that has only pages.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 200 (larger values are lowered to 200).
    #[param(minimum = 1, default = 50)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The query of an operation that reads none: any parameter is refused (400).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoParams {}
