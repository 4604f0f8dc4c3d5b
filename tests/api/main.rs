//! HTTP tests: every test runs against the real application, once on SQLite and once on PostgreSQL.

mod helpers;

mod errors;
mod openapi;
mod ops;
mod regions;
