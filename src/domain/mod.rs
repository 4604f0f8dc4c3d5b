//! Pure rules, no I/O: what is valid and what follows from what.

pub mod page;
pub mod region;
