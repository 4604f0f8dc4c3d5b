//! A ticket's deadlines and clocks together, as a move, a wait for the enterprise or an
//! approved extension changes them (SPEC section 9). One piece for the service's moves and for
//! the demo's generated lives, so that both reckon a ticket's time the same way.

use chrono::NaiveDateTime;

use crate::domain::breach::{Breach, ClockState};
use crate::domain::sla::{self, Deadlines, Thresholds};
use crate::domain::ticket::Status;
use crate::domain::working_time::{Duration, DurationUnit, WorkingTime};

/// A ticket's clocks as they stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub deadlines: Deadlines,
    pub clocks: ClockState,
    /// When the current wait for the enterprise began.
    pub paused_at: Option<NaiveDateTime>,
    /// The time waited for the enterprise in all, in the resolve clock's unit.
    pub paused_seconds: i64,
    /// The resolve deadline as filed: a wait moves it, an extension does not.
    pub original_due_at: NaiveDateTime,
}

/// The clocks a ticket was filed under, which its times are reckoned in.
#[derive(Clone, Copy, Debug)]
pub struct Terms {
    pub filed_at: NaiveDateTime,
    pub feedback: Duration,
    pub resolve_unit: DurationUnit,
}

/// What a move does to the clocks.
#[derive(Clone, Copy, Debug)]
pub struct Move {
    pub to: Status,
    /// The move answers the enterprise (accept, resolve): the first response, if none yet.
    pub responds: bool,
    /// The move asks the enterprise for information (the wait begins).
    pub asks: bool,
}

impl Timing {
    /// The move at `now`: the clocks that ran out before it are recorded and returned; a
    /// question asked pays the feedback owed and starts the wait; a wait that ends moves the
    /// resolve deadline, the colours, the due time as filed and the feedback owed later by the
    /// time waited; entering and leaving work start and stop the feedback clock.
    pub fn after_move(
        &mut self,
        mv: Move,
        now: NaiveDateTime,
        terms: &Terms,
        reckon: &WorkingTime,
    ) -> Vec<Breach> {
        let next_feedback = |from| reckon.due(from, terms.feedback);
        let before = self.clocks.status;
        let missed = self.clocks.settle(now, next_feedback);
        if let Some(since) = self.paused_at
            && mv.to != Status::AwaitingEnterprise
        {
            let unit = terms.resolve_unit;
            let (moved, waited) = sla::after_wait(&self.deadlines, since, now, unit, reckon);
            self.deadlines = moved;
            self.clocks.due_at = moved.due_at;
            self.clocks.feedback_due_at = self.clocks.feedback_due_at.map(|due| {
                let feedback_unit = terms.feedback.unit();
                let waited = reckon.elapsed(since, now, feedback_unit);
                reckon.later(due, waited, feedback_unit)
            });
            // The due time as filed waits too: only an extension sets the two apart.
            self.original_due_at = reckon.later(self.original_due_at, waited, unit);
            self.paused_at = None;
            self.paused_seconds += waited.num_seconds();
        }
        if mv.asks {
            self.clocks.pay_feedback(now, next_feedback);
            self.paused_at = Some(now);
        }
        if mv.responds {
            self.clocks.first_response_at.get_or_insert(now);
        }
        self.clocks.status = mv.to;
        self.clocks.follow_move(before, now, next_feedback);
        missed
    }

    /// An extension of `days` approved at `now`: the clocks that ran out before it are recorded
    /// and returned; the resolve deadline moves later by `days`, and the colours so that they
    /// measure the new window from filing.
    pub fn extend(
        &mut self,
        days: Duration,
        now: NaiveDateTime,
        terms: &Terms,
        reckon: &WorkingTime,
        thresholds: Thresholds,
    ) -> Vec<Breach> {
        let missed = self
            .clocks
            .settle(now, |from| reckon.due(from, terms.feedback));
        let due_at = reckon.due(self.deadlines.due_at, days);
        let c = sla::colours(
            terms.filed_at,
            due_at,
            terms.resolve_unit,
            reckon,
            thresholds,
        );
        self.deadlines = Deadlines {
            due_at,
            yellow_at: c.yellow_at,
            orange_at: c.orange_at,
            red_at: c.red_at,
            ..self.deadlines
        };
        self.clocks.due_at = due_at;
        missed
    }
}
