//! Time: timestamps are stored as UTC without a zone and shown as RFC 3339 with `Z`; months,
//! days and "today" are those of programme time (`TIMEZONE`); the dates a client may name are
//! bounded so that both databases can store them.

use chrono::{NaiveDate, NaiveDateTime, SecondsFormat};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

pub fn rfc3339(time: &NaiveDateTime) -> String {
    time.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// `#[serde(serialize_with = "crate::domain::time::utc")]`
pub fn utc<S: Serializer>(time: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(time))
}

/// The same for optional timestamps (null when absent).
pub fn utc_opt<S: Serializer>(time: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => s.serialize_str(&rfc3339(time)),
        None => s.serialize_none(),
    }
}

/// Programme time (SPEC section 9): the programme runs on one time zone, China Standard Time
/// unless `TIMEZONE` says otherwise. Months, calendar days and "today" are cut in it; stored
/// and shown timestamps stay UTC.
pub use chrono_tz::Tz;

/// The programme's time zone unless `TIMEZONE` names another.
pub const DEFAULT_TIMEZONE: Tz = chrono_tz::Asia::Shanghai;

/// An IANA time-zone name (`Asia/Shanghai`), as `TIMEZONE` gives it.
pub fn parse_timezone(text: &str) -> Result<Tz, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{text:?} is not an IANA time-zone name, e.g. Asia/Shanghai"))
}

/// The programme-time wall clock at the UTC moment `utc`.
pub fn local(tz: Tz, utc: NaiveDateTime) -> NaiveDateTime {
    use chrono::{Offset, TimeZone};
    let offset = tz.offset_from_utc_datetime(&utc).fix();
    // Only moments at the ends of chrono's range overflow; they are far outside any data.
    utc.checked_add_offset(offset).unwrap_or(utc)
}

/// The programme-time date at the UTC moment `utc` ("today" when `utc` is now).
pub fn date(tz: Tz, utc: NaiveDateTime) -> chrono::NaiveDate {
    local(tz, utc).date()
}

/// The UTC moment programme-time day `day` begins. Where a zone skips midnight (a daylight
/// saving jump at 00:00), the day begins when the jump ends.
pub fn start_of_day(tz: Tz, day: chrono::NaiveDate) -> NaiveDateTime {
    utc_of(tz, day.and_time(chrono::NaiveTime::MIN))
}

/// The UTC moment of programme-time wall clock `local`: the earlier one where clocks go back;
/// where they jump forward over it, `local` read with the offset in force before the jump.
pub fn utc_of(tz: Tz, local: NaiveDateTime) -> NaiveDateTime {
    use chrono::offset::LocalResult;
    use chrono::{Offset, TimeZone};
    let offset = match tz.offset_from_local_datetime(&local) {
        LocalResult::Single(offset) | LocalResult::Ambiguous(offset, _) => offset.fix(),
        LocalResult::None => {
            let before = local.checked_sub_signed(chrono::TimeDelta::days(1));
            tz.offset_from_utc_datetime(&before.unwrap_or(local)).fix()
        }
    };
    // Only moments at the ends of chrono's range overflow; they are far outside any data.
    local.checked_sub_offset(offset).unwrap_or(local)
}

/// The first and last days a client may name: years 1 to 9999, what RFC 3339 can write. Both
/// databases store everything in between (PostgreSQL refuses timestamps past the year 294276,
/// SQLite would compare text of other lengths wrongly).
pub const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("a valid date");
pub const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");

/// Whether a moment from a client lies in the range the service accepts.
pub fn in_range(time: NaiveDateTime) -> bool {
    (FIRST_DAY..=LAST_DAY).contains(&time.date())
}

/// A calendar day from a request (`YYYY-MM-DD`), inside [`FIRST_DAY`]..=[`LAST_DAY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(NaiveDate);

impl Day {
    pub fn parse(text: &str) -> Option<Day> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|d| (FIRST_DAY..=LAST_DAY).contains(d))
            .map(Day)
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Day, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::parse(&text).ok_or_else(|| {
            D::Error::custom(format!("a date YYYY-MM-DD from {FIRST_DAY} to {LAST_DAY}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn utc(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn china_standard_time_is_eight_hours_ahead_all_year() {
        let tz = DEFAULT_TIMEZONE;
        assert_eq!(local(tz, utc("2026-01-31 17:00")), utc("2026-02-01 01:00"));
        assert_eq!(local(tz, utc("2026-07-31 15:59")), utc("2026-07-31 23:59"));
        let day = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        assert_eq!(start_of_day(tz, day), utc("2026-01-31 16:00"));
        assert_eq!(date(tz, utc("2026-01-31 16:00")), day);
        assert_eq!(date(tz, utc("2026-01-31 15:59")), day.pred_opt().unwrap());
    }

    #[test]
    fn a_day_that_skips_midnight_starts_when_the_jump_ends() {
        // São Paulo moved its clocks from 00:00 to 01:00 on 4 November 2018 (UTC−3 to UTC−2).
        let tz: Tz = parse_timezone("America/Sao_Paulo").unwrap();
        let day = NaiveDate::from_ymd_opt(2018, 11, 4).unwrap();
        assert_eq!(start_of_day(tz, day), utc("2018-11-04 03:00"));
        assert_eq!(
            start_of_day(tz, day.succ_opt().unwrap()),
            utc("2018-11-05 02:00")
        );
    }

    #[test]
    fn names_are_checked_and_the_extremes_do_not_panic() {
        assert_eq!(parse_timezone("Asia/Shanghai"), Ok(DEFAULT_TIMEZONE));
        assert_eq!(parse_timezone("UTC"), Ok(Tz::UTC));
        for bad in ["", "CST+8", "Asia/Beijing", "asia/shanghai "] {
            assert!(parse_timezone(bad).is_err(), "{bad:?}");
        }
        for day in [NaiveDate::MIN, NaiveDate::MAX] {
            let _ = start_of_day(DEFAULT_TIMEZONE, day);
            let _ = local(DEFAULT_TIMEZONE, day.and_time(chrono::NaiveTime::MIN));
        }
    }

    #[test]
    fn days_outside_years_1_to_9999_are_refused() {
        assert_eq!(
            Day::parse("2026-02-13").map(Day::date),
            NaiveDate::from_ymd_opt(2026, 2, 13)
        );
        assert!(Day::parse("0001-01-01").is_some() && Day::parse("9999-12-31").is_some());
        for bad in [
            "-200000-01-01",
            "+275760-09-13",
            "0000-12-31",
            "10000-01-01",
            "2026-02-30",
            "2026-2-1x",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        let at = |d: &str| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        };
        assert!(in_range(at("2026-01-01")));
        assert!(!in_range(at("-200000-01-01")) && !in_range(at("+200000-01-01")));
    }
}
