//! The ticket lifecycle (SPEC section 3) as a pure state machine, and the ticket's vocabulary.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::region::RegionCode;
/// A ticket's level is the tier of government handling it: a region level.
pub use super::region::RegionLevel as Level;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(text: String) -> Result<$name, String> {
                $name::parse(&text).ok_or_else(|| format!("unknown {} {text:?}", stringify!($name)))
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }
    };
}

text_enum!(
    /// Where a ticket is in its life.
    Status {
        Submitted = "submitted",
        Assigned = "assigned",
        InProgress = "in_progress",
        // Waiting for the enterprise to answer a question; its clocks stand still.
        AwaitingEnterprise = "awaiting_enterprise",
        Resolved = "resolved",
        Closed = "closed",
        Withdrawn = "withdrawn",
    }
);

text_enum!(
    Priority {
        Normal = "normal",
        Urgent = "urgent",
    }
);

text_enum!(
    /// Everything that can happen to a ticket (each writes one event).
    Action {
        File = "file",
        Assign = "assign",
        Accept = "accept",
        Escalate = "escalate",
        Resolve = "resolve",
        Confirm = "confirm",
        Reopen = "reopen",
        Withdraw = "withdraw",
        AutoClose = "auto_close",
        Comment = "comment",
        // A clock ran out (SPEC section 9), recorded by the service.
        SlaBreached = "sla_breached",
        RequestInfo = "request_info",
        ProvideInfo = "provide_info",
        ExtensionRequested = "extension_requested",
        ExtensionApproved = "extension_approved",
        ExtensionRejected = "extension_rejected",
        // Back to dispatch at the same level (SPEC section 10).
        Return = "return",
        CollaboratorAdded = "collaborator_added",
        CollaboratorCompleted = "collaborator_completed",
        CollaboratorRemoved = "collaborator_removed",
        SupervisionIssued = "supervision_issued",
        SupervisionAnswered = "supervision_answered",
    }
);

text_enum!(
    /// Where an assisting cadre's (协办) task is.
    TaskStatus {
        Open = "open",
        Completed = "completed",
    }
);

text_enum!(
    /// Where a supervision order (督办) is: waiting for the assignee's answer, or answered.
    SupervisionStatus {
        Open = "open",
        Answered = "answered",
    }
);

text_enum!(
    /// Where a request for more time (延期) is: waiting for a supervisor, or decided.
    ExtensionStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
);

/// The working days one extension may add: 1 to this.
pub const MAX_EXTENSION_DAYS: i32 = 30;

impl Status {
    /// Open tickets are the ones not settled yet: the statistics count them as open.
    pub fn is_open(self) -> bool {
        self.clocks_run() || self == Status::AwaitingEnterprise
    }

    /// Tickets waiting for the government: their clocks run and they carry warnings. A ticket
    /// waiting for the enterprise is open but paused.
    pub fn clocks_run(self) -> bool {
        matches!(
            self,
            Status::Submitted | Status::Assigned | Status::InProgress
        )
    }
}

/// Why a move is not possible from where the ticket is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("cannot {action} a ticket that is {status}")]
    WrongState {
        action: &'static str,
        status: &'static str,
    },
    #[error("the ticket is already at province level; there is no level above")]
    NoLevelAbove,
}

/// Where a ticket of `county` goes when `action` happens to it in `status` at `level`. An
/// escalation climbs to the next government above (see [`RegionCode::tier_above`]).
pub fn transition(
    action: Action,
    status: Status,
    level: Level,
    county: &RegionCode,
) -> Result<(Status, Level), TransitionError> {
    use Status::*;
    let to = match (action, status) {
        (Action::Assign, Submitted | Assigned | InProgress) => Assigned,
        (Action::Accept, Assigned) => InProgress,
        (Action::Escalate, Assigned | InProgress | AwaitingEnterprise) => {
            let up = county
                .tier_above(level)
                .ok_or(TransitionError::NoLevelAbove)?;
            return Ok((Submitted, up));
        }
        (Action::Resolve, InProgress) => Resolved,
        (Action::Confirm | Action::AutoClose, Resolved) => Closed,
        (Action::Reopen, Resolved) => InProgress,
        (Action::Withdraw, Submitted | Assigned | InProgress | AwaitingEnterprise) => Withdrawn,
        (Action::RequestInfo, InProgress) => AwaitingEnterprise,
        // Back to this level's dispatch, unassigned; the level stays.
        (Action::Return, Assigned | InProgress) => Submitted,
        (Action::ProvideInfo, AwaitingEnterprise) => InProgress,
        _ => {
            return Err(TransitionError::WrongState {
                action: action.as_str(),
                status: status.as_str(),
            });
        }
    };
    Ok((to, level))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lifecycle table of the specification, row by row: (action, from, to).
    const TABLE: &[(Action, &[Status], Status)] = &[
        (
            Action::Assign,
            &[Status::Submitted, Status::Assigned, Status::InProgress],
            Status::Assigned,
        ),
        (Action::Accept, &[Status::Assigned], Status::InProgress),
        (
            Action::Escalate,
            &[
                Status::Assigned,
                Status::InProgress,
                Status::AwaitingEnterprise,
            ],
            Status::Submitted,
        ),
        (Action::Resolve, &[Status::InProgress], Status::Resolved),
        (Action::Confirm, &[Status::Resolved], Status::Closed),
        (Action::Reopen, &[Status::Resolved], Status::InProgress),
        (
            Action::Withdraw,
            &[
                Status::Submitted,
                Status::Assigned,
                Status::InProgress,
                Status::AwaitingEnterprise,
            ],
            Status::Withdrawn,
        ),
        (Action::AutoClose, &[Status::Resolved], Status::Closed),
        (
            Action::RequestInfo,
            &[Status::InProgress],
            Status::AwaitingEnterprise,
        ),
        (
            Action::ProvideInfo,
            &[Status::AwaitingEnterprise],
            Status::InProgress,
        ),
        (
            Action::Return,
            &[Status::Assigned, Status::InProgress],
            Status::Submitted,
        ),
    ];

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    #[test]
    fn every_pair_of_action_and_state_follows_the_table() {
        for &(action, froms, to) in TABLE {
            for &from in Status::ALL {
                let result = transition(action, from, Level::County, &code("411602"));
                if froms.contains(&from) {
                    assert_eq!(result.map(|r| r.0), Ok(to), "{action:?} from {from:?}");
                } else {
                    assert!(
                        matches!(result, Err(TransitionError::WrongState { .. })),
                        "{action:?} from {from:?} must be refused"
                    );
                }
            }
        }
    }

    #[test]
    fn escalation_climbs_one_level_and_stops_at_the_province() {
        let chuanhui = code("411602");
        assert_eq!(
            transition(Action::Escalate, Status::Assigned, Level::County, &chuanhui),
            Ok((Status::Submitted, Level::City))
        );
        assert_eq!(
            transition(Action::Escalate, Status::InProgress, Level::City, &chuanhui),
            Ok((Status::Submitted, Level::Province))
        );
        assert_eq!(
            transition(
                Action::Escalate,
                Status::Assigned,
                Level::Province,
                &chuanhui
            ),
            Err(TransitionError::NoLevelAbove)
        );
    }

    #[test]
    fn a_return_keeps_the_level() {
        for level in [Level::County, Level::City, Level::Province] {
            for county in ["411602", "419001"] {
                assert_eq!(
                    transition(Action::Return, Status::InProgress, level, &code(county)),
                    Ok((Status::Submitted, level)),
                    "{county} at {level:?}"
                );
            }
        }
    }

    #[test]
    fn a_county_without_a_city_escalates_to_the_province() {
        // Jiyuan (under the heading 419000), a Beijing district, a Chongqing county.
        for county in ["419001", "110101", "500229"] {
            assert_eq!(
                transition(
                    Action::Escalate,
                    Status::InProgress,
                    Level::County,
                    &code(county)
                ),
                Ok((Status::Submitted, Level::Province)),
                "{county}"
            );
        }
    }

    #[test]
    fn wrong_state_names_the_current_state() {
        let error = transition(
            Action::Confirm,
            Status::InProgress,
            Level::County,
            &code("411602"),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot confirm a ticket that is in_progress"
        );
    }
}
