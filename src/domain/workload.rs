//! Who carries how much (SPEC section 10): a cadre's workload as counts that add up over cadres,
//! so a department's figures are sums of its members' counts (never averages of their means),
//! exactly as the statistics of `rollup` are.

use std::ops::Add;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::sla::Warning;
use super::ticket::Status;

/// The counts of a cadre's workload, or of many cadres summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkloadCounts {
    /// Open tickets assigned now, and of those the ones orange and red now.
    pub open: i64,
    pub orange: i64,
    pub red: i64,
    /// Tickets of the period ever resolved, and the sum of their minutes from filing to the
    /// first resolution (whole minutes, as the statistics count them).
    pub resolved: i64,
    pub resolution_minutes: i64,
    /// Of those, the closed ones with a rating, and the sum of their ratings.
    pub rated: i64,
    pub rating_sum: i64,
    /// Open assisting tasks (协办).
    pub assisting: i64,
}

/// What of a ticket its assignee's workload looks at.
#[derive(Debug, Clone, Copy)]
pub struct AssignedFacts {
    pub status: Status,
    /// Its colour now (`sla::warning`).
    pub warning: Option<Warning>,
    pub created_at: NaiveDateTime,
    pub first_resolved_at: Option<NaiveDateTime>,
    pub rating: Option<i32>,
}

impl WorkloadCounts {
    /// What a ticket adds to its assignee's snapshot: one open ticket, with its colour now.
    pub fn snapshot(t: &AssignedFacts) -> WorkloadCounts {
        let one = |yes: bool| i64::from(yes);
        let open = t.status.is_open();
        WorkloadCounts {
            open: one(open),
            orange: one(open && t.warning == Some(Warning::Orange)),
            red: one(open && t.warning == Some(Warning::Red)),
            ..WorkloadCounts::default()
        }
    }

    /// What a ticket filed in the period adds to its assignee's resolutions: once it was ever
    /// resolved, its time to the first resolution, and its rating once closed.
    pub fn resolution(t: &AssignedFacts) -> WorkloadCounts {
        let Some(resolved_at) = t.first_resolved_at else {
            return WorkloadCounts::default();
        };
        let rating = t.rating.filter(|_| t.status == Status::Closed);
        WorkloadCounts {
            resolved: 1,
            resolution_minutes: (resolved_at - t.created_at).num_minutes(),
            rated: i64::from(rating.is_some()),
            rating_sum: rating.map_or(0, i64::from),
            ..WorkloadCounts::default()
        }
    }

    /// One open assisting task.
    pub fn assisting_task() -> WorkloadCounts {
        WorkloadCounts {
            assisting: 1,
            ..WorkloadCounts::default()
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == WorkloadCounts::default()
    }
}

impl Add for WorkloadCounts {
    type Output = WorkloadCounts;
    fn add(self, o: WorkloadCounts) -> WorkloadCounts {
        WorkloadCounts {
            open: self.open + o.open,
            orange: self.orange + o.orange,
            red: self.red + o.red,
            resolved: self.resolved + o.resolved,
            resolution_minutes: self.resolution_minutes + o.resolution_minutes,
            rated: self.rated + o.rated,
            rating_sum: self.rating_sum + o.rating_sum,
            assisting: self.assisting + o.assisting,
        }
    }
}

impl std::iter::Sum for WorkloadCounts {
    fn sum<I: Iterator<Item = WorkloadCounts>>(iter: I) -> WorkloadCounts {
        iter.fold(WorkloadCounts::default(), Add::add)
    }
}

/// The figures of a workload row (a cadre's, or a department's sums).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WorkloadFigures {
    /// Open tickets assigned now (submitted, assigned, in progress, awaiting the enterprise): a
    /// snapshot, not bound to the period.
    pub open: i64,
    /// Of those, the ones orange now (overdue, not yet red).
    pub orange: i64,
    /// Of those, the ones red now.
    pub red: i64,
    /// Tickets filed in the period, assigned to the cadre now, that were ever resolved.
    pub resolved: i64,
    /// Their mean hours from filing to the first resolution (whole minutes summed, as in the
    /// statistics); null when `resolved` is 0.
    pub avg_resolution_hours: Option<f64>,
    /// Mean rating of the rated closed ones among them; null when none is rated.
    pub satisfaction_avg: Option<f64>,
    /// Open assisting tasks (协办) on other cadres' tickets: a snapshot.
    pub assisting: i64,
}

fn ratio(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator != 0).then(|| numerator as f64 / denominator as f64)
}

impl From<WorkloadCounts> for WorkloadFigures {
    fn from(c: WorkloadCounts) -> WorkloadFigures {
        WorkloadFigures {
            open: c.open,
            orange: c.orange,
            red: c.red,
            resolved: c.resolved,
            avg_resolution_hours: ratio(c.resolution_minutes, c.resolved).map(|m| m / 60.0),
            satisfaction_avg: ratio(c.rating_sum, c.rated),
            assisting: c.assisting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeDelta};

    fn facts(status: Status, resolved_after_minutes: Option<i64>) -> AssignedFacts {
        let filed = NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        AssignedFacts {
            status,
            warning: None,
            created_at: filed,
            first_resolved_at: resolved_after_minutes.map(|m| filed + TimeDelta::minutes(m)),
            rating: None,
        }
    }

    #[test]
    fn an_open_ticket_counts_in_the_snapshot_with_its_colour() {
        let red = AssignedFacts {
            warning: Some(Warning::Red),
            ..facts(Status::InProgress, None)
        };
        let counts = WorkloadCounts::snapshot(&red);
        assert_eq!((counts.open, counts.orange, counts.red), (1, 0, 1));
        assert!(WorkloadCounts::resolution(&red).is_zero());
        assert!(WorkloadCounts::snapshot(&facts(Status::Resolved, Some(5))).is_zero());
    }

    #[test]
    fn a_resolution_counts_its_minutes_and_a_rating_once_closed() {
        let closed = AssignedFacts {
            rating: Some(4),
            ..facts(Status::Closed, Some(90))
        };
        let counted = WorkloadCounts::resolution(&closed);
        assert_eq!(
            (
                counted.resolved,
                counted.resolution_minutes,
                counted.rated,
                counted.rating_sum
            ),
            (1, 90, 1, 4)
        );
        // Reopened after a resolution: resolved once, open again, its old rating not counted.
        let reopened = AssignedFacts {
            rating: Some(2),
            ..facts(Status::InProgress, Some(30))
        };
        let counted = WorkloadCounts::resolution(&reopened);
        assert_eq!((counted.resolved, counted.rated), (1, 0));
        assert_eq!(WorkloadCounts::snapshot(&reopened).open, 1);
    }

    #[test]
    fn means_come_from_the_sums() {
        let a = WorkloadCounts {
            resolved: 1,
            resolution_minutes: 60,
            rated: 1,
            rating_sum: 5,
            ..WorkloadCounts::default()
        };
        let b = WorkloadCounts {
            resolved: 3,
            resolution_minutes: 540,
            rated: 3,
            rating_sum: 6,
            ..WorkloadCounts::default()
        };
        let figures = WorkloadFigures::from(a + b);
        assert_eq!(
            figures.avg_resolution_hours,
            Some(2.5),
            "600 minutes over 4"
        );
        assert_eq!(
            figures.satisfaction_avg,
            Some(2.75),
            "11 over 4, not (5 + 2) / 2"
        );
        assert_eq!(
            WorkloadFigures::from(WorkloadCounts::default()).avg_resolution_hours,
            None
        );
    }
}
