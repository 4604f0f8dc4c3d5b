//! Storage: one connection type over PostgreSQL and SQLite, its pool, migrations, and the
//! query modules (one per table group). Nothing here knows about HTTP.

pub mod api_clients;
pub mod calendar;
pub mod categories;
pub mod collaborators;
mod connection;
pub mod counters;
pub mod departments;
pub mod enterprises;
mod error;
pub mod extensions;
pub mod idempotency;
mod location;
mod migrate;
pub mod monthly;
pub mod pairings;
pub mod programme_time;
pub mod regions;
pub mod revocations;
pub mod schema;
mod search;
pub mod sessions;
pub mod supervisions;
mod text_enums;
pub mod ticket_activity;
pub mod tickets;
pub mod users;
pub mod workload;

pub use connection::{
    Backend, Database, DbConnection, PoolOptions, checkpoint, read_snapshot, write_transaction,
};
pub use error::{DbError, Optional};

/// Rows per multi-row insert, and keys per `IN (...)` lookup. SQLite allows 32,766 bound
/// parameters in a statement, PostgreSQL 65,535: a thousand rows of up to a dozen columns stay
/// under both, and ten thousand rows take ten statements rather than ten thousand round trips.
pub const ROWS_PER_STATEMENT: usize = 1000;
