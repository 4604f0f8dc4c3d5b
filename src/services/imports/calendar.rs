//! Calendar files (`date,kind,name_en,name_zh,in_lieu`, the bundled file's format): each year
//! the file names is replaced by exactly its lines, all years in one transaction or none.

use super::table::{self, Columns, at};
use crate::db::{self, Database, write_transaction};
use crate::domain::calendar::{self, CalendarRecord, YearCalendar};
use crate::error::{Error, FieldErrors};

pub const COLUMNS: Columns = Columns {
    required: calendar::RECORD_REQUIRED,
    optional: calendar::RECORD_OPTIONAL,
};

/// A year a calendar import replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearReplaced {
    pub year: i32,
    pub days: usize,
    pub working_days: i64,
}

/// Reads the file's years, reporting every bad line (`line 7: date`).
pub fn parse(text: &str) -> Result<Vec<YearCalendar>, Error> {
    let mut errors = FieldErrors::default();
    let records = table::read::<CalendarRecord>(text, &COLUMNS, &mut errors);
    let lined = records.into_iter().map(|r| (r.line, r.row)).collect();
    let years = calendar::years_from_records(lined).unwrap_or_else(|bad| {
        for (line, field, message) in bad {
            errors.add(&at(line, field), message);
        }
        Vec::new()
    });
    if years.is_empty() && errors.is_empty() {
        errors.add(&at(2, "date"), "the file has no days");
    }
    errors.into_result()?;
    Ok(years)
}

/// Replaces every year the file names, as the operator (the command line), and records each
/// in the audit log. Running instances pick the change up within seconds.
pub async fn import(db: &Database, text: &str) -> Result<Vec<YearReplaced>, Error> {
    let years = parse(text)?;
    let replaced: Vec<YearReplaced> = years
        .iter()
        .map(|y| YearReplaced {
            year: y.year().get(),
            days: y.days().len(),
            working_days: y.working_days(),
        })
        .collect();
    db.run(move |conn| write_transaction(conn, |c| db::calendar::replace_years(c, &years)))
        .await?;
    for y in &replaced {
        crate::audit::calendar_replaced(None, y.year, y.days, y.working_days);
    }
    Ok(replaced)
}
