//! Timestamps are stored as UTC without a zone and shown as RFC 3339 with `Z`.

use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serializer;

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
