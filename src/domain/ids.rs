//! Ids of the stored things that cross layers, each its own type, so a ticket's id cannot be
//! passed where a user's is wanted. They read and write as plain numbers (JSON and columns).

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )+};
}

id!(
    /// A ticket's id.
    TicketId,
    /// A user's id (people and API clients' principals alike).
    UserId,
    /// An enterprise's id.
    EnterpriseId,
    /// A department's id.
    DepartmentId,
    /// A supervision order's id.
    SupervisionId,
);
