//! Reading an import file: CSV whose first line names the columns, each later line a row. Every
//! problem is reported against its line (`line 7: uscc`), the header's against line 1.

use serde::de::DeserializeOwned;

use super::Lined;
use crate::error::FieldErrors;

/// The columns a kind of file has.
pub struct Columns {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

/// A yes-or-no column: `true` or `false`, also `yes`/`no` and `1`/`0`, in any case.
pub fn flag(text: &str) -> Result<bool, &'static str> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err("true or false"),
    }
}

/// The field name of a problem on `line` with `column`.
pub fn at(line: u64, column: &str) -> String {
    format!("line {line}: {column}")
}

/// The rows of `text` as `T`, read by column name; rows that cannot be read are reported in
/// `errors` and left out. A header that lacks a required column or has an unknown one stops
/// the reading there.
pub fn read<T: DeserializeOwned>(
    text: &str,
    columns: &Columns,
    errors: &mut FieldErrors,
) -> Vec<Lined<T>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) if !headers.is_empty() => headers.clone(),
        Ok(_) => {
            errors.add(
                &at(1, "header"),
                "the file is empty; its first line names the columns",
            );
            return Vec::new();
        }
        Err(e) => {
            errors.add(&at(1, "header"), describe(&e));
            return Vec::new();
        }
    };
    if !header_is_valid(&headers, columns, errors) {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.add(&at(line, "row"), describe(&e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        match record.deserialize::<T>(Some(&headers)) {
            Ok(row) => rows.push(Lined { line, row }),
            Err(e) => {
                let column = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err
                        .field()
                        .and_then(|i| headers.get(i as usize))
                        .unwrap_or("row"),
                    _ => "row",
                };
                errors.add(&at(line, column), describe(&e));
            }
        }
    }
    rows
}

fn header_is_valid(
    headers: &csv::StringRecord,
    columns: &Columns,
    errors: &mut FieldErrors,
) -> bool {
    let mut problems = FieldErrors::default();
    for (i, name) in headers.iter().enumerate() {
        if !columns.required.contains(&name) && !columns.optional.contains(&name) {
            problems.add("header", format!("unknown column {name:?}"));
        } else if headers.iter().take(i).any(|earlier| earlier == name) {
            problems.add("header", format!("column {name:?} appears twice"));
        }
    }
    for name in columns.required {
        if !headers.iter().any(|h| h == *name) {
            problems.add("header", format!("missing column {name:?}"));
        }
    }
    let valid = problems.is_empty();
    errors.absorb("line 1: ", problems);
    valid
}

/// The reader's own explanation, without the position it also carries (the field names it).
fn describe(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_owned(),
        _ => error.to_string(),
    }
}
