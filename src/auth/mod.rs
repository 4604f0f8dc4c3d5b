//! Who the caller is (tokens, passwords, the request extractor) and what they may do (policy).

pub mod password;
pub mod policy;
mod principal;
pub mod revocation;
pub mod token;

pub use principal::Principal;
