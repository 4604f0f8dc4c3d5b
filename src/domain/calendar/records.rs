//! The calendar file (the bundled file's format) and the bundled calendar itself.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::{CalendarDay, DayKind, FIRST_YEAR, LAST_YEAR, Year, YearCalendar};

/// One line of the calendar file (`date,kind,name_en,name_zh,in_lieu`, the bundled file's
/// format): the name kept is `name_zh`; `name_en` and `in_lieu` (a weekday off in exchange for
/// a make-up day) are read but not kept.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarRecord {
    pub date: String,
    pub kind: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub name_zh: Option<String>,
    #[serde(default)]
    pub in_lieu: Option<String>,
}

/// The columns of the calendar file.
pub const RECORD_REQUIRED: &[&str] = &["date", "kind"];
pub const RECORD_OPTIONAL: &[&str] = &["name_en", "name_zh", "in_lieu"];

/// The years a file's lines make, each whole: every year any line names is in the answer with
/// exactly the lines of that year. Errors name the line (`L`) and field.
pub fn years_from_records<L: Copy + Ord>(
    records: Vec<(L, CalendarRecord)>,
) -> Result<Vec<YearCalendar>, Vec<(L, &'static str, String)>> {
    let mut errors = Vec::new();
    let mut by_year: BTreeMap<Year, Vec<(L, CalendarDay)>> = BTreeMap::new();
    for (line, record) in records {
        let date = NaiveDate::parse_from_str(&record.date, "%Y-%m-%d")
            .ok()
            .filter(|_| record.date.len() == 10);
        let kind = DayKind::parse(&record.kind);
        let year = date.map(|d| Year::new(d.year()));
        match year {
            None => errors.push((line, "date", "a date as YYYY-MM-DD".to_owned())),
            Some(None) => errors.push((
                line,
                "date",
                format!("the calendar holds the years {FIRST_YEAR} to {LAST_YEAR}"),
            )),
            _ => {}
        }
        if kind.is_none() {
            errors.push((line, "kind", "holiday or workday".to_owned()));
        }
        if let (Some(date), Some(Some(year)), Some(kind)) = (date, year, kind) {
            let name = record.name_zh;
            by_year
                .entry(year)
                .or_default()
                .push((line, CalendarDay { date, kind, name }));
        }
    }
    let mut years = Vec::with_capacity(by_year.len());
    for (year, lined) in by_year {
        let (lines, days): (Vec<L>, Vec<CalendarDay>) = lined.into_iter().unzip();
        match YearCalendar::new(year, days) {
            Ok(calendar) => years.push(calendar),
            Err(bad) => errors.extend(
                bad.into_iter()
                    .map(|e| (lines[e.index], e.field, e.message)),
            ),
        }
    }
    if errors.is_empty() {
        Ok(years)
    } else {
        errors.sort_by_key(|(line, _, _)| *line);
        Err(errors)
    }
}

/// The official calendar 2004–2026 as shipped (see the README for its source).
const BUNDLED: &str = include_str!("../../../data/cn-calendar.csv");

/// The bundled years, parsed (checked by a test, so the `expect`s cannot fire).
pub fn bundled_years() -> Vec<YearCalendar> {
    let mut reader = csv::Reader::from_reader(BUNDLED.as_bytes());
    let records = reader
        .deserialize::<CalendarRecord>()
        .enumerate()
        .map(|(i, record)| (i + 2, record.expect("the bundled calendar is well formed")))
        .collect();
    years_from_records(records).expect("the bundled calendar is valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Calendar;

    fn year(y: i32) -> Year {
        Year::new(y).unwrap()
    }

    #[test]
    fn the_bundled_calendar_holds_2004_to_2026() {
        let years = bundled_years();
        assert_eq!(years.len(), 23);
        assert_eq!(years[0].year(), year(2004));
        assert_eq!(years[22].year(), year(2026));
        assert_eq!(years.iter().map(|y| y.days().len()).sum::<usize>(), 771);
        let by_itself: Vec<i64> = years.iter().map(YearCalendar::working_days).collect();
        let calendar = Calendar::new(1, years);
        for (y, alone) in (2004..).zip(by_itself) {
            assert_eq!(calendar.working_days_in(year(y)), alone, "{y}");
        }
        let sat = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
        assert!(calendar.is_working_day(sat));
        let y2026 = calendar.year(year(2026)).unwrap();
        let first = &y2026.days()[0];
        assert_eq!(first.date, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(
            (first.kind, first.name.as_deref()),
            (DayKind::Holiday, Some("元旦"))
        );
        // 261 weekdays; off: 1, 2 Jan; 16–20, 23 Feb; 6 Apr; 1, 4, 5 May; 19 Jun; 25 Sep;
        // 1, 2, 5, 6, 7 Oct (19 days); worked: 4 Jan, 14, 28 Feb, 9 May, 20 Sep, 10 Oct (6).
        assert_eq!(calendar.working_days_in(year(2026)), 261 - 19 + 6);
    }

    fn record(date: &str, kind: &str) -> CalendarRecord {
        CalendarRecord {
            date: date.to_owned(),
            kind: kind.to_owned(),
            name_en: Some("New Year's Day".to_owned()),
            name_zh: Some("元旦".to_owned()),
            in_lieu: None,
        }
    }

    #[test]
    fn records_group_into_whole_years_by_date() {
        let years = years_from_records(vec![
            (2, record("2007-12-30", "holiday")),
            (3, record("2008-01-01", "holiday")),
            (4, record("2007-12-29", "workday")),
        ])
        .unwrap();
        assert_eq!(years.len(), 2);
        assert_eq!(years[0].year(), year(2007));
        assert_eq!(years[0].days().len(), 2);
        assert_eq!(years[1].days()[0].name.as_deref(), Some("元旦"));
    }

    #[test]
    fn bad_records_are_named_by_line_and_field() {
        let errors = years_from_records(vec![
            (2, record("2026-02-30", "holiday")),
            (3, record("2026-02-14", "rest")),
            (4, record("1800-01-01", "holiday")),
            (5, record("2026-02-16", "workday")),
            (6, record("2026-10-01", "holiday")),
            (7, record("2026-10-01", "holiday")),
        ])
        .unwrap_err();
        let found: Vec<(i32, &str)> = errors.iter().map(|(l, f, _)| (*l, *f)).collect();
        assert_eq!(
            found,
            vec![
                (2, "date"),
                (3, "kind"),
                (4, "date"),
                (5, "date"),
                (7, "date")
            ]
        );
        // In line order, whichever check found them.
        let errors = years_from_records(vec![
            (2, record("2026-02-16", "workday")),
            (3, record("2026-02-30", "holiday")),
        ])
        .unwrap_err();
        let lines: Vec<i32> = errors.iter().map(|(l, _, _)| *l).collect();
        assert_eq!(lines, vec![2, 3]);
    }
}
