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

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::domain::breach::Clock;
    use crate::domain::calendar::{Calendar, bundled_years};
    use crate::domain::sla::Clocks;
    use crate::domain::work_hours::WorkHours;

    static CALENDAR: LazyLock<Calendar> = LazyLock::new(|| Calendar::new(1, bundled_years()));
    static HOURS: LazyLock<WorkHours> = LazyLock::new(WorkHours::default);

    fn reckon() -> WorkingTime<'static> {
        WorkingTime::new(&CALENDAR, &HOURS, chrono_tz::Asia::Shanghai)
    }

    /// An instant written in programme time (+08:00), as stored (UTC).
    fn cst(text: &str) -> NaiveDateTime {
        chrono::DateTime::parse_from_str(&format!("{text} +08:00"), "%Y-%m-%d %H:%M %z")
            .unwrap()
            .naive_utc()
    }

    fn days(n: u32) -> Duration {
        Duration::new(n, DurationUnit::WorkingDays).unwrap()
    }

    /// A ticket filed Monday 2026-03-02 09:00: accept in 1 working day, feedback every 3,
    /// resolve in 10, each due at the end of its last working day (resolve: Monday
    /// 2026-03-16 17:30); the working day is 09:00-12:00 and 13:30-17:30.
    fn filed() -> (Timing, Terms) {
        let clocks = Clocks {
            accept: days(1),
            feedback: days(3),
            resolve: days(10),
        };
        let at = cst("2026-03-02 09:00");
        let d = sla::deadlines(at, &clocks, &reckon(), Thresholds::default());
        let timing = Timing {
            deadlines: d,
            clocks: ClockState::filed(Status::Assigned, &d),
            paused_at: None,
            paused_seconds: 0,
            original_due_at: d.due_at,
        };
        let terms = Terms {
            filed_at: at,
            feedback: clocks.feedback,
            resolve_unit: DurationUnit::WorkingDays,
        };
        (timing, terms)
    }

    fn to(status: Status) -> Move {
        Move {
            to: status,
            responds: status == Status::InProgress,
            asks: status == Status::AwaitingEnterprise,
        }
    }

    #[test]
    fn a_late_acceptance_records_the_accept_clock_and_starts_the_feedback_clock() {
        let (mut t, terms) = filed();
        assert_eq!(t.deadlines.due_at, cst("2026-03-16 17:30"));
        let at = cst("2026-03-04 10:00");
        let missed = t.after_move(to(Status::InProgress), at, &terms, &reckon());
        assert_eq!(missed.len(), 1);
        assert_eq!(missed[0].clock, Clock::Accept);
        assert_eq!(t.clocks.first_response_at, Some(at));
        // Three working days on: Monday's end.
        assert_eq!(t.clocks.feedback_due_at, Some(cst("2026-03-09 17:30")));
    }

    #[test]
    fn a_wait_moves_the_deadlines_and_the_due_time_as_filed_by_the_working_time_waited() {
        let (mut t, terms) = filed();
        let r = reckon();
        t.after_move(to(Status::InProgress), cst("2026-03-02 10:00"), &terms, &r);
        // Asked on Wednesday 09:00, answered on Friday 09:00: two working days waited.
        t.after_move(
            to(Status::AwaitingEnterprise),
            cst("2026-03-04 09:00"),
            &terms,
            &r,
        );
        assert_eq!(t.paused_at, Some(cst("2026-03-04 09:00")));
        // The question paid the feedback owed.
        assert_eq!(t.clocks.feedback_due_at, Some(cst("2026-03-09 17:30")));
        let missed = t.after_move(to(Status::InProgress), cst("2026-03-06 09:00"), &terms, &r);
        assert!(missed.is_empty());
        assert_eq!(t.paused_at, None);
        assert_eq!(t.paused_seconds, 2 * 7 * 3600);
        assert_eq!(t.deadlines.due_at, cst("2026-03-18 17:30"));
        assert_eq!(t.original_due_at, cst("2026-03-18 17:30"));
        assert_eq!(t.clocks.due_at, t.deadlines.due_at);
        assert_eq!(t.clocks.feedback_due_at, Some(cst("2026-03-11 17:30")));
    }

    #[test]
    fn an_extension_moves_the_due_time_and_the_colours_but_not_the_due_time_as_filed() {
        let (mut t, terms) = filed();
        let r = reckon();
        t.after_move(to(Status::InProgress), cst("2026-03-02 10:00"), &terms, &r);
        let before = t.deadlines;
        let missed = t.extend(
            days(5),
            cst("2026-03-03 10:00"),
            &terms,
            &r,
            Thresholds::default(),
        );
        assert!(missed.is_empty());
        assert_eq!(t.deadlines.due_at, cst("2026-03-23 17:30"));
        assert_eq!(t.clocks.due_at, t.deadlines.due_at);
        assert_eq!(t.original_due_at, before.due_at);
        assert!(t.deadlines.red_at > before.red_at && t.deadlines.yellow_at > before.yellow_at);
        assert_eq!(t.deadlines.response_due_at, before.response_due_at);
    }
}
