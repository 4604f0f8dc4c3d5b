//! The loaded calendar and the table computed from it once: one bit and one running count per
//! day from the first loaded year to the last. Counting the working days before a date is then
//! an array read, and finding the n-th working day a binary search over the counts, without
//! allocating. Outside the table the weekend rule is arithmetic.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{DayKind, Year, YearCalendar};

/// Day numbers count from Monday 1 January of year 1, so a day's weekday is its number mod 7.
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 1
}

fn date_of(number: i64) -> Option<NaiveDate> {
    i32::try_from(number + 1)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Monday to Friday among the days numbered before `number`.
fn weekdays_before(number: i64) -> i64 {
    5 * number.div_euclid(7) + number.rem_euclid(7).min(5)
}

/// Monday to Friday from `from` up to `to` (excluded).
pub(super) fn weekdays_between(from: NaiveDate, to: NaiveDate) -> i64 {
    weekdays_before(day_number(to)) - weekdays_before(day_number(from))
}

/// The number of the weekday that has `count` weekdays before it.
fn weekday_with(count: i64) -> i64 {
    7 * count.div_euclid(5) + count.rem_euclid(5)
}

/// The loaded years, and the table computed from them.
#[derive(Clone, Debug)]
pub struct Calendar {
    /// Which stored state this is (see `db::calendar`); -1 before anything was read.
    version: i64,
    years: BTreeMap<Year, YearCalendar>,
    /// Number of the first day the table covers (1 January of the first loaded year).
    first: i64,
    /// One bit per day of the table: a working day.
    working: Vec<u64>,
    /// `before[i]`: working days among the table's first `i` days; one entry more than days.
    before: Vec<u32>,
}

impl Calendar {
    /// Weekends only, until the stored calendar is read.
    pub fn weekends_only() -> Calendar {
        Calendar::new(-1, Vec::new())
    }

    pub fn new(version: i64, years: Vec<YearCalendar>) -> Calendar {
        let years: BTreeMap<Year, YearCalendar> =
            years.into_iter().map(|y| (y.year(), y)).collect();
        let (first, len) = match (years.keys().next(), years.keys().next_back()) {
            (Some(first), Some(last)) => {
                let start = day_number(first.first_day());
                (start, (day_number(last.end()) - start) as usize)
            }
            _ => (0, 0),
        };
        let mut working = vec![0u64; len.div_ceil(64)];
        let mut set = |i: usize, on: bool| {
            if on {
                working[i / 64] |= 1 << (i % 64);
            } else {
                working[i / 64] &= !(1 << (i % 64));
            }
        };
        for i in 0..len {
            set(i, (first + i as i64).rem_euclid(7) < 5);
        }
        for day in years.values().flat_map(|y| y.days()) {
            let i = (day_number(day.date) - first) as usize;
            set(i, day.kind == DayKind::Workday);
        }
        let mut before = Vec::with_capacity(len + 1);
        before.push(0u32);
        let mut count = 0;
        for i in 0..len {
            count += u32::from(working[i / 64] & (1 << (i % 64)) != 0);
            before.push(count);
        }
        Calendar {
            version,
            years,
            first,
            working,
            before,
        }
    }

    pub fn version(&self) -> i64 {
        self.version
    }

    /// The loaded year, or `None` for a year with weekends only.
    pub fn year(&self, year: Year) -> Option<&YearCalendar> {
        self.years.get(&year)
    }

    pub fn loaded_years(&self) -> impl Iterator<Item = Year> + '_ {
        self.years.keys().copied()
    }

    fn days_in_table(&self) -> i64 {
        self.before.len() as i64 - 1
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        let n = day_number(date);
        let i = n - self.first;
        if (0..self.days_in_table()).contains(&i) {
            let i = i as usize;
            self.working[i / 64] & (1 << (i % 64)) != 0
        } else {
            n.rem_euclid(7) < 5
        }
    }

    /// Working days before `date`, counted from a fixed origin: the difference between two
    /// dates' counts is the working days from the one up to the other.
    pub fn working_days_before(&self, date: NaiveDate) -> i64 {
        let n = day_number(date);
        let len = self.days_in_table();
        let at_start = weekdays_before(self.first);
        let i = n - self.first;
        if i <= 0 {
            weekdays_before(n)
        } else if i < len {
            at_start + i64::from(self.before[i as usize])
        } else {
            let at_end = at_start + i64::from(self.before[len as usize]);
            at_end + weekdays_before(n) - weekdays_before(self.first + len)
        }
    }

    /// The working day with `index` working days before it: the inverse of
    /// [`Calendar::working_days_before`]. `None` past the dates chrono can represent.
    pub fn working_day(&self, index: i64) -> Option<NaiveDate> {
        let len = self.days_in_table();
        let at_start = weekdays_before(self.first);
        let at_end = at_start + i64::from(self.before[len as usize]);
        let number = if index < at_start {
            weekday_with(index)
        } else if index < at_end {
            let wanted = index - at_start;
            // The first prefix holding more than `wanted` working days ends on that day.
            let prefix = self.before.partition_point(|&c| i64::from(c) <= wanted);
            self.first + prefix as i64 - 1
        } else {
            weekday_with(index - at_end + weekdays_before(self.first + len))
        };
        date_of(number)
    }

    /// Working days of a year, as the calendar has them (weekends only when not loaded).
    pub fn working_days_in(&self, year: Year) -> i64 {
        self.working_days_before(year.end()) - self.working_days_before(year.first_day())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;
    use crate::domain::calendar::CalendarDay;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn year(y: i32) -> Year {
        Year::new(y).unwrap()
    }

    /// 2026's Spring Festival: 14 Feb (Saturday) worked, 15–23 Feb off, 28 Feb (Saturday) worked.
    fn spring_festival_2026() -> YearCalendar {
        let day = |d: u32, kind| CalendarDay {
            date: NaiveDate::from_ymd_opt(2026, 2, d).unwrap(),
            kind,
            name: Some("春节".to_owned()),
        };
        let mut days = vec![day(14, DayKind::Workday), day(28, DayKind::Workday)];
        days.extend((15..=23).map(|d| day(d, DayKind::Holiday)));
        YearCalendar::new(year(2026), days).unwrap()
    }

    #[test]
    fn day_numbers_start_on_a_monday() {
        assert_eq!(day_number(date("0001-01-01")), 0);
        assert_eq!(date("0001-01-01").weekday(), Weekday::Mon);
        for text in ["2026-02-13", "2026-02-14", "1969-12-31", "2199-12-31"] {
            let d = date(text);
            let n = day_number(d);
            assert_eq!(n.rem_euclid(7) as u32, d.weekday().num_days_from_monday());
            assert_eq!(date_of(n), Some(d));
        }
    }

    #[test]
    fn weekday_arithmetic_is_its_own_inverse() {
        for count in -30..30 {
            let n = weekday_with(count);
            assert!(n.rem_euclid(7) < 5);
            assert_eq!(weekdays_before(n), count);
            assert_eq!(weekdays_before(n + 1), count + 1);
        }
    }

    #[test]
    fn a_year_not_loaded_has_weekends_only() {
        let calendar = Calendar::new(1, vec![spring_festival_2026()]);
        assert!(calendar.year(year(2027)).is_none());
        assert!(calendar.is_working_day(date("2027-02-15")));
        assert!(!calendar.is_working_day(date("2027-02-13")));
        assert_eq!(calendar.working_days_in(year(2027)), 261);
        assert_eq!(calendar.working_days_in(year(2025)), 261);
        assert_eq!(Calendar::weekends_only().working_days_in(year(2026)), 261);
    }

    #[test]
    fn exceptions_turn_days_over() {
        let calendar = Calendar::new(1, vec![spring_festival_2026()]);
        assert!(calendar.is_working_day(date("2026-02-13")), "a Friday");
        assert!(
            calendar.is_working_day(date("2026-02-14")),
            "a make-up Saturday"
        );
        assert!(
            !calendar.is_working_day(date("2026-02-15")),
            "a Sunday off anyway"
        );
        assert!(
            !calendar.is_working_day(date("2026-02-16")),
            "a Monday holiday"
        );
        assert!(!calendar.is_working_day(date("2026-02-21")));
        assert!(
            calendar.is_working_day(date("2026-02-24")),
            "the first day back"
        );
        // 261 weekdays less the six off (16–20 and 23 Feb), plus two Saturdays worked.
        assert_eq!(calendar.working_days_in(year(2026)), 261 - 6 + 2);
    }

    /// Every day from before the table to after it: the count steps by one exactly on working
    /// days, and the inverse finds each working day from its count.
    fn check_consistency(calendar: &Calendar, from: &str, to: &str) {
        let mut d = date(from);
        while d < date(to) {
            let before = calendar.working_days_before(d);
            let after = calendar.working_days_before(d.succ_opt().unwrap());
            assert_eq!(after - before, i64::from(calendar.is_working_day(d)), "{d}");
            if calendar.is_working_day(d) {
                assert_eq!(calendar.working_day(before), Some(d), "{d}");
            }
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn counts_and_working_days_agree_around_and_inside_the_table() {
        let gap = YearCalendar::new(year(2029), Vec::new()).unwrap();
        let calendar = Calendar::new(1, vec![spring_festival_2026(), gap]);
        check_consistency(&calendar, "2025-11-01", "2030-03-01");
        check_consistency(&Calendar::weekends_only(), "2025-12-01", "2026-03-01");
        check_consistency(&calendar, "0001-01-01", "0001-03-01");
    }

    #[test]
    fn the_limits_of_dates_give_none_not_a_panic() {
        let calendar = Calendar::new(1, vec![spring_festival_2026()]);
        assert_eq!(calendar.working_day(i64::MAX / 8), None);
        assert_eq!(calendar.working_day(i64::MIN / 8), None);
        let _ = calendar.working_days_before(NaiveDate::MAX);
        let _ = calendar.working_days_before(NaiveDate::MIN);
    }
}
