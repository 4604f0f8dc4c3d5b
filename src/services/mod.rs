//! Use cases: each validates its input, asks the policy, and runs its writes in one transaction.
//! Handlers call these; these call `auth::policy`, `domain` and `db`.

pub mod breaches;
pub mod calendar;
pub mod categories;
pub mod clients;
pub mod collaborators;
pub mod departments;
pub mod dispatch;
pub mod enterprises;
pub mod extensions;
pub mod imports;
pub mod login_throttle;
pub mod monthly;
pub mod pairings;
pub mod passwords;
pub mod quota;
pub mod reports;
pub mod revocations;
pub mod sessions;
pub mod supervision;
pub mod ticket_activity;
pub mod ticket_moves;
pub mod tickets;
pub mod users;
pub mod warnings;
pub mod workload;
