//! HTTP tests: every test runs against the real application, once on SQLite and once on PostgreSQL.

mod helpers;
#[path = "../shared/postgres.rs"]
mod postgres;

mod auth;
mod breaches;
mod calendar;
mod clients;
mod config;
mod connections;
mod container;
mod deactivation;
mod demo;
mod enterprises;
mod errors;
mod existence;
mod extensions;
mod fixtures;
mod headings;
mod imports;
mod limits;
mod lockout;
mod matrix;
mod migrations;
mod monthly;
mod openapi;
mod ops;
mod pairing_moves;
mod pairings;
mod passwords;
mod pause;
mod programme_clock;
mod programme_time;
mod queries;
mod readme;
mod regions;
mod revocation;
mod security;
mod sla;
mod stats;
mod text;
mod ticket_fixtures;
mod ticket_model;
mod ticket_rules;
mod tickets;
mod users;
