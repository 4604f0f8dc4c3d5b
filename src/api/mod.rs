//! The HTTP contract's answers: what a response shows of a stored row, apart from the row
//! (crates.io's encodable types). Each view is made `From` its row, so storage can change a
//! column without changing an answer, and an answer names no column it does not show.
//! The schema names are the contract's (`openapi.yaml`), so views keep their rows' names.

pub mod categories;
pub mod clients;
pub mod enterprises;
pub mod pairings;
pub mod regions;
pub mod ticket_activity;
pub mod tickets;
pub mod users;
