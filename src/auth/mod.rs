//! Who the caller is (tokens, passwords, a request's bearer token) and what they may do (policy).

pub mod bearer;
pub mod password;
pub mod policy;
pub mod revocation;
pub mod token;

pub use crate::domain::access::Principal;
