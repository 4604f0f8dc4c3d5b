//! Which of a ticket's three clocks (SPEC section 9) have run out, each recorded once.
//!
//! The accept clock is owed until the ticket is first accepted, the resolve clock while the
//! ticket is open, the feedback clock while it is in progress and `feedback_due_at` is set (a
//! public comment by the assignee pays it and starts the next one). A missed accept or resolve
//! clock is recorded once per ticket. A missed feedback is recorded once, and the next feedback
//! falls due one feedback period after the missed moment, so a cadre who stays silent for three
//! periods has three breaches.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::sla::Deadlines;
use super::ticket::Status;

/// One of the three clocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    Accept,
    Feedback,
    Resolve,
}

impl Clock {
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Accept => "accept",
            Clock::Feedback => "feedback",
            Clock::Resolve => "resolve",
        }
    }

    pub fn parse(text: &str) -> Option<Clock> {
        [Clock::Accept, Clock::Feedback, Clock::Resolve]
            .into_iter()
            .find(|clock| clock.as_str() == text)
    }
}

/// What a ticket has missed so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Breaches {
    pub accept: bool,
    pub feedback: i32,
    pub resolve: bool,
}

/// One missed clock: which, and the moment it ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Breach {
    pub clock: Clock,
    pub due_at: NaiveDateTime,
}

/// A missed feedback recorded this many times in one go is enough: the rest are recorded at
/// the next round (a ticket left alone for years would otherwise loop for long).
const MOST_FEEDBACK_AT_ONCE: usize = 100;

/// A ticket's clocks as they stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockState {
    pub status: Status,
    pub response_due_at: NaiveDateTime,
    pub first_response_at: Option<NaiveDateTime>,
    pub due_at: NaiveDateTime,
    /// When the next progress feedback is owed.
    pub feedback_due_at: Option<NaiveDateTime>,
    pub breaches: Breaches,
}

impl ClockState {
    /// The clocks of a ticket just filed in `status` with `deadlines`: nothing recorded yet.
    pub fn filed(status: Status, deadlines: &Deadlines) -> ClockState {
        ClockState {
            status,
            response_due_at: deadlines.response_due_at,
            first_response_at: None,
            due_at: deadlines.due_at,
            feedback_due_at: None,
            breaches: Breaches::default(),
        }
    }

    fn accept_owed(&self) -> bool {
        self.first_response_at.is_none()
            && matches!(self.status, Status::Submitted | Status::Assigned)
    }

    fn resolve_owed(&self) -> bool {
        self.status.clocks_run()
    }

    fn feedback_owed(&self) -> Option<NaiveDateTime> {
        self.feedback_due_at
            .filter(|_| self.status == Status::InProgress)
    }

    /// Records every clock that ran out by `now` and was not recorded yet, oldest first.
    /// `next_feedback` gives the end of one feedback period from an instant.
    pub fn settle(
        &mut self,
        now: NaiveDateTime,
        next_feedback: impl Fn(NaiveDateTime) -> NaiveDateTime,
    ) -> Vec<Breach> {
        let mut missed = vec![];
        if self.accept_owed() && !self.breaches.accept && self.response_due_at <= now {
            self.breaches.accept = true;
            missed.push(Breach {
                clock: Clock::Accept,
                due_at: self.response_due_at,
            });
        }
        while let Some(due_at) = self.feedback_owed().filter(|due| *due <= now) {
            if missed.len() >= MOST_FEEDBACK_AT_ONCE {
                break;
            }
            self.breaches.feedback += 1;
            missed.push(Breach {
                clock: Clock::Feedback,
                due_at,
            });
            // Never the same moment again, even for a period of nothing.
            self.feedback_due_at =
                Some(next_feedback(due_at).max(due_at + chrono::TimeDelta::seconds(1)));
        }
        if self.resolve_owed() && !self.breaches.resolve && self.due_at <= now {
            self.breaches.resolve = true;
            missed.push(Breach {
                clock: Clock::Resolve,
                due_at: self.due_at,
            });
        }
        missed.sort_by_key(|breach| breach.due_at);
        missed
    }

    /// When the next clock not yet recorded runs out; `None` when none is owed.
    pub fn next_breach_at(&self) -> Option<NaiveDateTime> {
        let accept = (self.accept_owed() && !self.breaches.accept).then_some(self.response_due_at);
        let resolve = (self.resolve_owed() && !self.breaches.resolve).then_some(self.due_at);
        [accept, self.feedback_owed(), resolve]
            .into_iter()
            .flatten()
            .min()
    }

    /// The feedback clock after the ticket moved from `before` to its status at `now`:
    /// entering work (accept, reopen) starts it, leaving work stops it, and a wait for the
    /// enterprise keeps it (moved later by the wait when work resumes, see `sla::after_wait`).
    pub fn follow_move(
        &mut self,
        before: Status,
        now: NaiveDateTime,
        next_feedback: impl Fn(NaiveDateTime) -> NaiveDateTime,
    ) {
        let paused = |status| status == Status::AwaitingEnterprise;
        let working = |status| status == Status::InProgress || paused(status);
        if working(self.status) && !working(before) {
            self.feedback_due_at = Some(next_feedback(now));
        } else if !working(self.status) {
            self.feedback_due_at = None;
        }
    }

    /// A public comment by the assignee at `now`: the feedback owed is paid and the next one
    /// starts. Nothing when no feedback is owed.
    pub fn pay_feedback(
        &mut self,
        now: NaiveDateTime,
        next_feedback: impl Fn(NaiveDateTime) -> NaiveDateTime,
    ) -> bool {
        if self.feedback_owed().is_none() {
            return false;
        }
        self.feedback_due_at = Some(next_feedback(now));
        true
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeDelta};
    use proptest::prelude::*;

    use super::*;

    fn at(hour: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            + TimeDelta::hours(hour)
    }

    /// A period of three hours.
    fn period(t: NaiveDateTime) -> NaiveDateTime {
        t + TimeDelta::hours(3)
    }

    fn filed(status: Status) -> ClockState {
        ClockState {
            status,
            response_due_at: at(4),
            first_response_at: None,
            due_at: at(20),
            feedback_due_at: None,
            breaches: Breaches::default(),
        }
    }

    fn accepted_at(hour: i64) -> ClockState {
        let mut state = filed(Status::Assigned);
        state.status = Status::InProgress;
        state.first_response_at = Some(at(hour));
        state.follow_move(Status::Assigned, at(hour), period);
        state
    }

    #[test]
    fn the_accept_clock_runs_out_once() {
        let mut state = filed(Status::Assigned);
        assert_eq!(state.next_breach_at(), Some(at(4)));
        assert!(state.settle(at(3), period).is_empty());
        let missed = state.settle(at(5), period);
        assert_eq!(
            missed,
            vec![Breach {
                clock: Clock::Accept,
                due_at: at(4)
            }]
        );
        assert!(state.settle(at(6), period).is_empty(), "recorded once");
        assert_eq!(
            state.next_breach_at(),
            Some(at(20)),
            "then the resolve clock"
        );
    }

    #[test]
    fn an_accepted_ticket_owes_no_acceptance() {
        let state = accepted_at(2);
        assert_eq!(state.next_breach_at(), Some(at(5)), "the first feedback");
        assert_eq!(state.feedback_due_at, Some(at(5)));
    }

    #[test]
    fn feedback_paid_in_time_is_no_breach_and_starts_the_next() {
        let mut state = accepted_at(2);
        assert!(state.pay_feedback(at(4), period));
        assert_eq!(state.feedback_due_at, Some(at(7)));
        assert!(state.settle(at(6), period).is_empty());
    }

    #[test]
    fn each_missed_feedback_period_is_one_breach() {
        let mut state = accepted_at(2);
        // Due at 5, then 8, then 11: at 12 three are missed, the next falls due at 14.
        let missed = state.settle(at(12), period);
        let clocks: Vec<_> = missed.iter().map(|b| (b.clock, b.due_at)).collect();
        assert_eq!(
            clocks,
            vec![
                (Clock::Feedback, at(5)),
                (Clock::Feedback, at(8)),
                (Clock::Feedback, at(11))
            ]
        );
        assert_eq!(state.breaches.feedback, 3);
        assert_eq!(state.feedback_due_at, Some(at(14)));
        assert!(state.settle(at(12), period).is_empty());
    }

    #[test]
    fn resolving_stops_feedback_and_resolve_clocks() {
        let mut state = accepted_at(2);
        state.status = Status::Resolved;
        state.follow_move(Status::InProgress, at(3), period);
        assert_eq!(state.feedback_due_at, None);
        assert_eq!(state.next_breach_at(), None);
        assert!(state.settle(at(100), period).is_empty());
        assert!(!state.pay_feedback(at(4), period), "nothing owed");
    }

    #[test]
    fn reopening_starts_feedback_again_and_a_late_resolve_is_missed() {
        let mut state = accepted_at(2);
        state.status = Status::Resolved;
        state.follow_move(Status::InProgress, at(3), period);
        state.status = Status::InProgress;
        state.follow_move(Status::Resolved, at(21), period);
        assert_eq!(state.feedback_due_at, Some(at(24)));
        let missed = state.settle(at(21), period);
        assert_eq!(
            missed,
            vec![Breach {
                clock: Clock::Resolve,
                due_at: at(20)
            }]
        );
    }

    #[test]
    fn missed_clocks_come_oldest_first() {
        let mut state = filed(Status::Submitted);
        let missed = state.settle(at(30), period);
        let clocks: Vec<_> = missed.iter().map(|b| b.clock).collect();
        assert_eq!(clocks, vec![Clock::Accept, Clock::Resolve]);
        assert_eq!(state.next_breach_at(), None);
    }

    #[test]
    fn a_withdrawn_ticket_owes_nothing() {
        let mut state = filed(Status::Withdrawn);
        assert_eq!(state.next_breach_at(), None);
        assert!(state.settle(at(30), period).is_empty());
    }

    #[test]
    fn clock_names_round_trip() {
        for clock in [Clock::Accept, Clock::Feedback, Clock::Resolve] {
            assert_eq!(Clock::parse(clock.as_str()), Some(clock));
        }
        assert_eq!(Clock::parse("respond"), None);
    }

    proptest! {
        /// However the job's rounds fall, the breaches recorded are the same: settling at
        /// many moments equals settling once at the last.
        #[test]
        fn settling_in_rounds_equals_settling_once(
            mut rounds in proptest::collection::vec(0i64..60, 1..8),
            accepted in proptest::option::of(0i64..10),
        ) {
            rounds.sort();
            let start = match accepted {
                Some(hour) => accepted_at(hour),
                None => filed(Status::Assigned),
            };
            let last = *rounds.last().unwrap();
            let mut once = start;
            let all_at_once = once.settle(at(last), period);
            let mut stepwise = start;
            let mut in_rounds = vec![];
            for hour in rounds {
                in_rounds.extend(stepwise.settle(at(hour), period));
            }
            in_rounds.sort_by_key(|b| b.due_at);
            prop_assert_eq!(once, stepwise);
            prop_assert_eq!(all_at_once, in_rounds);
            // Nothing due is left unrecorded.
            prop_assert!(stepwise.next_breach_at().is_none_or(|next| next > at(last)));
        }
    }
}
