//! Enterprise Assist: the service behind an enterprise-assistance programme.
//!
//! Layers, outside in: `routes` (HTTP handlers: parse, authorize, call, respond), `domain`
//! (pure rules), `db` (storage with diesel on PostgreSQL or SQLite), and the wiring
//! (`config`, `startup`, `telemetry`, `metrics`, `openapi`). `error` maps every failure to a
//! problem document in one place.

pub mod api;
pub mod audit;
pub mod auth;
pub mod blocking;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod jobs;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
