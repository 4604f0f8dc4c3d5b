//! Pure rules, no I/O: what is valid and what follows from what.

pub mod access;
pub mod account;
pub mod address;
pub mod breach;
pub mod calendar;
pub mod ids;
pub mod page;
pub mod pairing;
pub mod region;
pub mod role;
pub mod rollup;
pub mod sla;
pub mod text;
pub mod ticket;
pub mod time;
pub mod timing;
pub mod uscc;
pub mod work_hours;
pub mod working_time;
pub mod workload;
