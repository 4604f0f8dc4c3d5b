//! Storage: one connection type over PostgreSQL and SQLite, its pool, migrations, and the
//! query modules (one per table group). Nothing here knows about HTTP.

pub mod api_clients;
pub mod categories;
mod connection;
pub mod enterprises;
mod error;
pub mod idempotency;
pub mod pairings;
pub mod regions;
pub mod schema;
pub mod sessions;
pub mod stats;
pub mod ticket_activity;
pub mod tickets;
pub mod users;

pub use connection::{Backend, Database, DbConnection, PoolOptions, write_transaction};
pub use error::DbError;
