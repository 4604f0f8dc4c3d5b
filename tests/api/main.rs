//! HTTP tests: every test runs against the real application, once on SQLite and once on PostgreSQL.

mod helpers;

mod auth;
mod clients;
mod config;
mod connections;
mod demo;
mod enterprises;
mod errors;
mod fixtures;
mod imports;
mod limits;
mod matrix;
mod openapi;
mod ops;
mod pairings;
mod queries;
mod regions;
mod security;
mod stats;
mod ticket_fixtures;
mod ticket_model;
mod ticket_rules;
mod tickets;
mod users;
