//! Service levels: the deadlines a ticket gets when it is filed, and its warning colour.
//!
//! With the SLA window W = due_at − filed_at and elapsed time E = now − filed_at, an open ticket
//! is yellow from E ≥ 0.75 W, orange from E ≥ W (overdue), red from E ≥ 1.5 W (the fractions
//! are configurable). The moments each colour starts are fixed at filing, like `due_at`, so
//! lists filter by colour with plain comparisons.

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Warning {
    Yellow,
    Orange,
    Red,
}

impl Warning {
    pub fn parse(text: &str) -> Option<Warning> {
        match text {
            "yellow" => Some(Warning::Yellow),
            "orange" => Some(Warning::Orange),
            "red" => Some(Warning::Red),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Warning::Yellow => "yellow",
            Warning::Orange => "orange",
            Warning::Red => "red",
        }
    }
}

impl TryFrom<String> for Warning {
    type Error = String;
    fn try_from(text: String) -> Result<Warning, String> {
        Warning::parse(&text).ok_or_else(|| format!("unknown warning {text:?}"))
    }
}

/// Fractions of the SLA window at which each colour starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    pub yellow: f64,
    pub orange: f64,
    pub red: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            yellow: 0.75,
            orange: 1.0,
            red: 1.5,
        }
    }
}

impl Thresholds {
    pub fn new(yellow: f64, orange: f64, red: f64) -> Result<Thresholds, &'static str> {
        if yellow > 0.0 && yellow <= orange && orange <= red && red.is_finite() {
            Ok(Thresholds {
                yellow,
                orange,
                red,
            })
        } else {
            Err("warning thresholds must satisfy 0 < yellow <= orange <= red")
        }
    }
}

/// Hours a category allows for one priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaHours {
    pub response: i32,
    pub resolution: i32,
}

/// Every deadline of a ticket, fixed when it is filed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadlines {
    pub response_due_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub yellow_at: NaiveDateTime,
    pub orange_at: NaiveDateTime,
    pub red_at: NaiveDateTime,
}

pub fn deadlines(filed_at: NaiveDateTime, hours: SlaHours, thresholds: Thresholds) -> Deadlines {
    let window = TimeDelta::hours(i64::from(hours.resolution));
    let at = |fraction: f64| {
        let micros = window.num_microseconds().unwrap_or(i64::MAX) as f64 * fraction;
        filed_at + TimeDelta::microseconds(micros.round() as i64)
    };
    Deadlines {
        response_due_at: filed_at + TimeDelta::hours(i64::from(hours.response)),
        due_at: filed_at + window,
        yellow_at: at(thresholds.yellow),
        orange_at: at(thresholds.orange),
        red_at: at(thresholds.red),
    }
}

/// The colour of a ticket now; closed, resolved and withdrawn tickets have none.
pub fn warning(open: bool, now: NaiveDateTime, d: &Deadlines) -> Option<Warning> {
    if !open {
        None
    } else if now >= d.red_at {
        Some(Warning::Red)
    } else if now >= d.orange_at {
        Some(Warning::Orange)
    } else if now >= d.yellow_at {
        Some(Warning::Yellow)
    } else {
        None
    }
}

/// A ticket's colour as the warning counters hold it, and until when that holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted {
    pub warning: Option<Warning>,
    /// When the next colour starts; `None` when none will (red, or not open).
    pub until: Option<NaiveDateTime>,
}

/// What the counters should hold for a ticket as of `now`.
pub fn counted(open: bool, now: NaiveDateTime, d: &Deadlines) -> Counted {
    let warning = self::warning(open, now, d);
    let until = match (open, warning) {
        (false, _) | (true, Some(Warning::Red)) => None,
        (true, Some(Warning::Orange)) => Some(d.red_at),
        (true, Some(Warning::Yellow)) => Some(d.orange_at),
        (true, None) => Some(d.yellow_at),
    };
    Counted { warning, until }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filed() -> NaiveDateTime {
        chrono::DateTime::parse_from_rfc3339("2024-03-01T08:00:00Z")
            .unwrap()
            .naive_utc()
    }

    #[test]
    fn colours_start_exactly_at_the_thresholds() {
        // 72 hours: yellow at 54 h, orange at 72 h, red at 108 h.
        let d = deadlines(
            filed(),
            SlaHours {
                response: 4,
                resolution: 72,
            },
            Thresholds::default(),
        );
        let at = |h: i64, m: i64| filed() + TimeDelta::hours(h) + TimeDelta::minutes(m);
        assert_eq!(d.due_at, at(72, 0));
        assert_eq!(d.response_due_at, at(4, 0));
        assert_eq!(warning(true, at(53, 59), &d), None);
        assert_eq!(warning(true, at(54, 0), &d), Some(Warning::Yellow));
        assert_eq!(warning(true, at(71, 59), &d), Some(Warning::Yellow));
        assert_eq!(warning(true, at(72, 0), &d), Some(Warning::Orange));
        assert_eq!(warning(true, at(107, 59), &d), Some(Warning::Orange));
        assert_eq!(warning(true, at(108, 0), &d), Some(Warning::Red));
        assert_eq!(warning(false, at(500, 0), &d), None);
    }

    #[test]
    fn a_count_holds_until_the_next_colour_starts() {
        let d = deadlines(
            filed(),
            SlaHours {
                response: 4,
                resolution: 72,
            },
            Thresholds::default(),
        );
        let at = |h: i64| filed() + TimeDelta::hours(h);
        let counted_at = |h| counted(true, at(h), &d);
        assert_eq!(
            counted_at(0),
            Counted {
                warning: None,
                until: Some(d.yellow_at)
            }
        );
        assert_eq!(counted_at(54).until, Some(d.orange_at));
        assert_eq!(counted_at(72).until, Some(d.red_at));
        assert_eq!(
            counted_at(200),
            Counted {
                warning: Some(Warning::Red),
                until: None
            }
        );
        assert_eq!(
            counted(false, at(60), &d),
            Counted {
                warning: None,
                until: None
            }
        );
        // Until the moment the count expires it equals the colour; at it, the colour moves on.
        for h in [0, 53, 54, 71, 72, 107, 108] {
            let c = counted_at(h);
            assert_eq!(c.warning, warning(true, at(h), &d));
            if let Some(until) = c.until {
                let just_before = until - TimeDelta::microseconds(1);
                assert_eq!(warning(true, just_before, &d), c.warning);
                assert_ne!(warning(true, until, &d), c.warning);
            }
        }
    }

    #[test]
    fn thresholds_are_configurable_and_checked() {
        let t = Thresholds::new(0.5, 0.8, 1.0).unwrap();
        let d = deadlines(
            filed(),
            SlaHours {
                response: 24,
                resolution: 10,
            },
            t,
        );
        assert_eq!(
            warning(true, filed() + TimeDelta::hours(5), &d),
            Some(Warning::Yellow)
        );
        assert_eq!(
            warning(true, filed() + TimeDelta::hours(8), &d),
            Some(Warning::Orange)
        );
        assert_eq!(
            warning(true, filed() + TimeDelta::hours(10), &d),
            Some(Warning::Red)
        );
        assert!(Thresholds::new(0.9, 0.8, 1.0).is_err());
        assert!(Thresholds::new(0.0, 0.8, 1.0).is_err());
    }
}
