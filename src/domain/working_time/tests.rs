//! Every rule of SPEC section 9's durations, on the bundled calendar (2004–2026) in China
//! Standard Time, and properties over random instants and durations.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::{Duration, DurationUnit, WorkingTime};
use crate::domain::calendar::{Calendar, bundled_years};
use crate::domain::work_hours::WorkHours;

static CALENDAR: LazyLock<Calendar> = LazyLock::new(|| Calendar::new(1, bundled_years()));
static HOURS: LazyLock<WorkHours> = LazyLock::new(WorkHours::default);

fn programme() -> WorkingTime<'static> {
    WorkingTime::new(&CALENDAR, &HOURS, chrono_tz::Asia::Shanghai)
}

/// An instant written in programme time, `2026-02-13 10:00` (+08:00), as stored (UTC).
fn cst(text: &str) -> NaiveDateTime {
    DateTime::parse_from_str(&format!("{text} +08:00"), "%Y-%m-%d %H:%M %z")
        .unwrap()
        .naive_utc()
}

fn days(n: u32) -> Duration {
    Duration::new(n, DurationUnit::WorkingDays).unwrap()
}

fn working_hours(n: u32) -> Duration {
    Duration::new(n, DurationUnit::WorkingHours).unwrap()
}

fn due(from: &str, duration: Duration) -> NaiveDateTime {
    programme().due(cst(from), duration)
}

#[test]
fn the_worked_example_of_the_spec() {
    // 14 Feb is a make-up Saturday; 15–23 Feb are the Spring Festival.
    assert_eq!(due("2026-02-13 10:00", days(3)), cst("2026-02-25 17:30"));
    assert_eq!(
        due("2026-02-13 10:00", days(3)).and_utc().to_rfc3339(),
        "2026-02-25T09:30:00+00:00"
    );
}

#[test]
fn the_filing_date_itself_never_counts() {
    assert_eq!(due("2026-03-10 07:30", days(1)), cst("2026-03-11 17:30"));
    assert_eq!(due("2026-03-10 10:00", days(1)), cst("2026-03-11 17:30"));
    assert_eq!(due("2026-03-10 23:59", days(1)), cst("2026-03-11 17:30"));
    assert_eq!(due("2026-03-10 10:00", days(5)), cst("2026-03-17 17:30"));
}

#[test]
fn filed_at_night() {
    // Friday 22:00: Monday is the first working day.
    assert_eq!(due("2026-03-06 22:00", days(1)), cst("2026-03-09 17:30"));
    assert_eq!(
        due("2026-03-06 22:00", working_hours(4)),
        cst("2026-03-09 14:30")
    );
    // 01:00 on Tuesday: still Tuesday in programme time (Monday 17:00 UTC).
    assert_eq!(
        due("2026-03-10 01:00", working_hours(1)),
        cst("2026-03-10 10:00")
    );
    assert_eq!(due("2026-03-10 01:00", days(1)), cst("2026-03-11 17:30"));
}

#[test]
fn filed_before_opening_or_in_the_lunch_break() {
    assert_eq!(
        due("2026-03-10 07:30", working_hours(2)),
        cst("2026-03-10 11:00")
    );
    assert_eq!(
        due("2026-03-10 12:30", working_hours(2)),
        cst("2026-03-10 15:30")
    );
    assert_eq!(due("2026-03-10 12:30", days(1)), cst("2026-03-11 17:30"));
    // Inside working hours the count starts at once, and runs over lunch and the night.
    assert_eq!(
        due("2026-03-10 11:00", working_hours(2)),
        cst("2026-03-10 14:30")
    );
    assert_eq!(
        due("2026-03-10 16:30", working_hours(4)),
        cst("2026-03-11 12:00")
    );
    assert_eq!(
        due("2026-03-10 16:30", working_hours(7)),
        cst("2026-03-11 16:30")
    );
}

#[test]
fn a_period_ends_at_its_close_not_at_the_next_opening() {
    assert_eq!(
        due("2026-03-10 09:00", working_hours(3)),
        cst("2026-03-10 12:00")
    );
    assert_eq!(
        due("2026-03-10 09:00", working_hours(7)),
        cst("2026-03-10 17:30")
    );
    assert_eq!(
        due("2026-03-09 18:00", working_hours(7)),
        cst("2026-03-10 17:30")
    );
}

#[test]
fn filed_on_a_holiday() {
    assert_eq!(due("2026-02-17 10:00", days(1)), cst("2026-02-24 17:30"));
    assert_eq!(
        due("2026-02-17 10:00", working_hours(4)),
        cst("2026-02-24 14:30")
    );
    // A Sunday inside the stretch, and an ordinary Sunday.
    assert_eq!(due("2026-02-22 10:00", days(1)), cst("2026-02-24 17:30"));
    assert_eq!(due("2026-03-08 10:00", days(1)), cst("2026-03-09 17:30"));
}

#[test]
fn filed_on_a_make_up_saturday() {
    // 14 Feb is worked: its hours count, and the next working day is 24 Feb.
    assert_eq!(
        due("2026-02-14 10:00", working_hours(3)),
        cst("2026-02-14 14:30")
    );
    assert_eq!(due("2026-02-14 10:00", days(1)), cst("2026-02-24 17:30"));
    // Friday 13 Feb in the afternoon runs into the Saturday.
    assert_eq!(
        due("2026-02-13 16:30", working_hours(2)),
        cst("2026-02-14 10:00")
    );
    // 28 Feb is worked too; 7 Mar, an ordinary Saturday, is not.
    assert_eq!(due("2026-02-27 10:00", days(1)), cst("2026-02-28 17:30"));
    assert_eq!(due("2026-03-06 10:00", days(1)), cst("2026-03-09 17:30"));
}

#[test]
fn plain_hours_ignore_the_calendar() {
    let hours = Duration::new(72, DurationUnit::Hours).unwrap();
    assert_eq!(due("2026-02-13 10:00", hours), cst("2026-02-16 10:00"));
}

#[test]
fn a_holiday_stretch_across_new_year() {
    // 29 Dec 2007 (Saturday) worked; 30 Dec 2007 to 1 Jan 2008 off.
    assert_eq!(due("2007-12-28 10:00", days(1)), cst("2007-12-29 17:30"));
    assert_eq!(due("2007-12-28 10:00", days(2)), cst("2008-01-02 17:30"));
    assert_eq!(
        due("2007-12-29 17:00", working_hours(1)),
        cst("2008-01-02 09:30")
    );
    // 1–3 Jan 2026 off, Sunday 4 Jan worked.
    assert_eq!(due("2025-12-31 16:00", days(1)), cst("2026-01-04 17:30"));
    assert_eq!(
        due("2025-12-31 16:00", working_hours(2)),
        cst("2026-01-04 09:30")
    );
}

#[test]
fn a_duration_running_into_a_year_not_loaded() {
    // 2027 is not loaded: Friday 1 Jan 2027 counts as an ordinary weekday.
    assert!(
        CALENDAR
            .year(crate::domain::calendar::Year::new(2027).unwrap())
            .is_none()
    );
    assert_eq!(due("2026-12-30 10:00", days(3)), cst("2027-01-04 17:30"));
    assert_eq!(
        due("2026-12-31 17:00", working_hours(1)),
        cst("2027-01-01 09:30")
    );
    // And back from one: 2003 is not loaded either.
    assert_eq!(due("2003-12-31 10:00", days(1)), cst("2004-01-02 17:30"));
}

#[test]
fn working_time_between_instants() {
    let wt = programme();
    let between = |a: &str, b: &str| wt.between(cst(a), cst(b));
    // Friday 10:00–17:30 is six hours; Saturday 14 Feb seven; Tuesday 24 Feb 09:00–10:00 one.
    assert_eq!(
        between("2026-02-13 10:00", "2026-02-24 10:00"),
        TimeDelta::hours(14)
    );
    assert_eq!(
        between("2026-02-15 00:00", "2026-02-23 23:00"),
        TimeDelta::zero()
    );
    assert_eq!(
        between("2026-03-10 12:10", "2026-03-10 13:20"),
        TimeDelta::zero()
    );
    assert_eq!(
        between("2026-03-10 10:00", "2026-03-10 10:00"),
        TimeDelta::zero()
    );
    assert_eq!(
        between("2026-03-10 11:00", "2026-03-10 09:00"),
        TimeDelta::hours(-2)
    );
    let from = cst("2026-02-13 10:00");
    let to = cst("2026-02-16 10:00");
    assert_eq!(
        wt.elapsed(from, to, DurationUnit::Hours),
        TimeDelta::hours(72)
    );
    assert_eq!(
        wt.elapsed(from, to, DurationUnit::WorkingDays),
        TimeDelta::hours(13)
    );
}

#[test]
fn nothing_to_add_leaves_the_instant_where_it_is() {
    let wt = programme();
    let night = cst("2026-03-10 22:00");
    assert_eq!(wt.add_working(night, TimeDelta::zero()), night);
    assert_eq!(wt.add_working(night, TimeDelta::hours(-3)), night);
    assert_eq!(wt.within_working_days(night, 0), night);
}

#[test]
fn the_ends_of_time_do_not_panic() {
    let wt = programme();
    for at in [NaiveDateTime::MIN, NaiveDateTime::MAX] {
        for d in [
            days(365),
            working_hours(2920),
            Duration::new(8784, DurationUnit::Hours).unwrap(),
        ] {
            let _ = wt.due(at, d);
        }
        let _ = wt.between(NaiveDateTime::MIN, at);
        let _ = wt.add_working(at, TimeDelta::MAX);
    }
}

#[test]
fn a_zone_with_daylight_saving_still_lands_in_working_hours() {
    let hours: WorkHours = "01:00-03:30,08:00-12:00".parse().unwrap();
    let calendar = Calendar::weekends_only();
    let wt = WorkingTime::new(&calendar, &hours, chrono_tz::America::New_York);
    // Clocks went forward at 02:00 on Sunday 8 March 2026 and back on 1 November.
    let start = NaiveDate::from_ymd_opt(2026, 3, 6)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    for h in 1..40 {
        let end = wt.add_working(start, TimeDelta::hours(h));
        assert!(end > start);
    }
    let autumn = NaiveDate::from_ymd_opt(2026, 10, 30)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let _ = wt.due(autumn, days(3));
}

#[test]
fn durations_are_valid_on_arrival() {
    let parse = |text: &str| serde_json::from_str::<Duration>(text);
    let d = parse(r#"{"value": 3, "unit": "working_days"}"#).unwrap();
    assert_eq!((d.value(), d.unit()), (3, DurationUnit::WorkingDays));
    assert_eq!(
        serde_json::to_value(d).unwrap(),
        serde_json::json!({"value": 3, "unit": "working_days"})
    );
    assert!(parse(r#"{"value": 8784, "unit": "hours"}"#).is_ok());
    assert!(parse(r#"{"value": 2920, "unit": "working_hours"}"#).is_ok());
    for bad in [
        r#"{"value": 0, "unit": "working_days"}"#,
        r#"{"value": -1, "unit": "hours"}"#,
        r#"{"value": 366, "unit": "working_days"}"#,
        r#"{"value": 2921, "unit": "working_hours"}"#,
        r#"{"value": 8785, "unit": "hours"}"#,
        r#"{"value": 3, "unit": "days"}"#,
        r#"{"value": 3}"#,
        r#"{"value": 3, "unit": "hours", "extra": 1}"#,
        r#"{"value": 1.5, "unit": "hours"}"#,
    ] {
        assert!(parse(bad).is_err(), "{bad} accepted");
    }
    let message = parse(r#"{"value": 400, "unit": "working_days"}"#)
        .unwrap_err()
        .to_string();
    assert!(message.contains("1 to 365"), "{message}");
}

/// Whether a programme-time moment is inside working hours (a period's close included) of a
/// working day.
fn in_working_hours(at: NaiveDateTime) -> bool {
    let local = at
        .and_utc()
        .with_timezone(&Tz::Asia__Shanghai)
        .naive_local();
    let minutes = local.time().num_seconds_from_midnight() as f64 / 60.0;
    let inside = (540.0..=720.0).contains(&minutes) || (810.0..=1050.0).contains(&minutes);
    CALENDAR.is_working_day(local.date()) && inside
}

/// Any instant from 2003 (not loaded) to the end of 2027 (not loaded), to the microsecond.
fn instant() -> impl Strategy<Value = NaiveDateTime> {
    let from = cst("2003-06-01 00:00").and_utc().timestamp_micros();
    let to = cst("2027-12-31 00:00").and_utc().timestamp_micros();
    (from..to).prop_map(|micros| DateTime::from_timestamp_micros(micros).unwrap().naive_utc())
}

fn working_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        (1..=365u32).prop_map(days),
        (1..=2920u32).prop_map(working_hours),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn working_time_between_t_and_t_plus_d_is_d(t in instant(), h in 1..=2920u32) {
        let wt = programme();
        let end = wt.due(t, working_hours(h));
        prop_assert_eq!(wt.between(t, end), TimeDelta::hours(h.into()));
        // Arbitrary amounts to the microsecond too (what a pause adds back).
        let amount = TimeDelta::microseconds(i64::from(h) * 1_234_567);
        prop_assert_eq!(wt.between(t, wt.add_working(t, amount)), amount);
    }

    #[test]
    fn due_dates_land_inside_working_hours_after_the_start(t in instant(), d in working_duration()) {
        let end = programme().due(t, d);
        prop_assert!(end > t);
        prop_assert!(in_working_hours(end), "{} + {} = {}", t, d, end);
    }

    #[test]
    fn adding_is_monotonic(a in instant(), b in instant(), d in working_duration(), e in working_duration()) {
        let wt = programme();
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(wt.due(early, d) <= wt.due(late, d));
        if d.unit() == e.unit() && d.value() <= e.value() {
            prop_assert!(wt.due(a, d) <= wt.due(a, e));
        }
    }

    #[test]
    fn working_days_end_at_the_close_of_the_nth_working_day(t in instant(), n in 1..=365u32) {
        let wt = programme();
        let end = wt.due(t, days(n));
        let local = |at: NaiveDateTime| at.and_utc().with_timezone(&Tz::Asia__Shanghai).naive_local();
        prop_assert_eq!(local(end).time(), HOURS.closing());
        // Exactly n working days after t's date, that date excluded.
        let start = local(t).date();
        let counted = CALENDAR.working_days_before(local(end).date().succ_opt().unwrap())
            - CALENDAR.working_days_before(start.succ_opt().unwrap());
        prop_assert_eq!(counted, i64::from(n));
        prop_assert!(CALENDAR.is_working_day(local(end).date()));
    }
}

/// How long a due date takes to compute: `cargo test --release --lib due_dates_cost -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check; run it in release"]
fn due_dates_cost_microseconds() {
    let wt = programme();
    let start = cst("2026-01-05 08:00");
    let rounds = 1_000_000u32;
    for (label, duration) in [
        ("3 working days", days(3)),
        ("15 working days", days(15)),
        ("4 working hours", working_hours(4)),
        ("100 working hours", working_hours(100)),
    ] {
        let began = std::time::Instant::now();
        let mut sink = start;
        for i in 0..rounds {
            let from = start + TimeDelta::minutes(i64::from(i % 500_000));
            sink = sink.max(std::hint::black_box(
                wt.due(std::hint::black_box(from), duration),
            ));
        }
        let per_call = began.elapsed().as_nanos() as f64 / f64::from(rounds);
        println!("{label:>18}: {per_call:.0} ns per due date (latest {sink})");
    }
    let began = std::time::Instant::now();
    let mut total = TimeDelta::zero();
    for i in 0..rounds {
        let from = start + TimeDelta::minutes(i64::from(i % 500_000));
        total += std::hint::black_box(wt.between(from, from + TimeDelta::days(20)));
    }
    let per_call = began.elapsed().as_nanos() as f64 / f64::from(rounds);
    println!(
        "{:>18}: {per_call:.0} ns per call ({} h in all)",
        "between",
        total.num_hours()
    );
}
