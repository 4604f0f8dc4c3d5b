//! Pure rules, no I/O: what is valid and what follows from what.

pub mod account;
pub mod page;
pub mod pairing;
pub mod region;
pub mod role;
pub mod text;
pub mod time;
pub mod uscc;
