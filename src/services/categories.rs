//! Categories and their service levels: everyone reads them, admins change them.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Principal, policy};
use crate::db::DbError;
use crate::db::categories::{self, Category, CategoryChanges};
use crate::domain::sla::{Clocks, Sla};
use crate::domain::text;
// Named apart: the OpenAPI derive takes any type spelt `Duration` for a string.
use crate::domain::working_time::{Duration, Duration as ClockDuration, DurationUnit};
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::state::AppState;

/// Some of one priority's clocks; absent ones stay (or take the default, for a new category).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClocksInput {
    pub accept: Option<ClockDuration>,
    pub feedback: Option<ClockDuration>,
    pub resolve: Option<ClockDuration>,
}

/// Some of a category's clocks, per priority.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaInput {
    pub normal: Option<ClocksInput>,
    pub urgent: Option<ClocksInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    #[schema(example = "tax")]
    pub code: String,
    #[schema(example = "税费服务")]
    pub name: String,
    /// The clocks; those not given take the defaults (normal: accept 1, feedback 3, resolve 15
    /// working days; urgent: accept 4 working hours, feedback 1, resolve 3 working days).
    pub sla: Option<SlaInput>,
    /// Part 1's field: the normal accept clock in plain hours (as `sla.normal.accept`
    /// `{"value": N, "unit": "hours"}`).
    pub normal_response_hours: Option<i32>,
    /// Part 1's field: the normal resolve clock in plain hours.
    pub normal_resolution_hours: Option<i32>,
    /// Part 1's field: the urgent accept clock in plain hours.
    pub urgent_response_hours: Option<i32>,
    /// Part 1's field: the urgent resolve clock in plain hours.
    pub urgent_resolution_hours: Option<i32>,
}

/// A change to a category; absent fields stay. New service levels apply to tickets filed after.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    pub name: Option<String>,
    /// The clocks to change; those not given stay.
    pub sla: Option<SlaInput>,
    /// Part 1's field: the normal accept clock in plain hours.
    pub normal_response_hours: Option<i32>,
    /// Part 1's field: the normal resolve clock in plain hours.
    pub normal_resolution_hours: Option<i32>,
    /// Part 1's field: the urgent accept clock in plain hours.
    pub urgent_response_hours: Option<i32>,
    /// Part 1's field: the urgent resolve clock in plain hours.
    pub urgent_resolution_hours: Option<i32>,
    pub active: Option<bool>,
}

/// The clocks a request sets, one per column; `None` where it sets none.
#[derive(Debug, Default)]
struct ClockChanges {
    normal: [Option<Duration>; 3],
    urgent: [Option<Duration>; 3],
}

/// Part 1's hour fields for the accept and resolve clocks of each priority.
struct HourFields {
    normal_response: Option<i32>,
    normal_resolution: Option<i32>,
    urgent_response: Option<i32>,
    urgent_resolution: Option<i32>,
}

/// The clocks `sla` and part 1's hour fields set; a clock set both ways is refused, naming
/// the hour field.
fn clock_changes(
    errors: &mut FieldErrors,
    sla: Option<SlaInput>,
    hours: HourFields,
) -> ClockChanges {
    let sla = sla.unwrap_or_default();
    let given = |c: Option<ClocksInput>| {
        let c = c.unwrap_or_default();
        [c.accept, c.feedback, c.resolve]
    };
    let mut changes = ClockChanges {
        normal: given(sla.normal),
        urgent: given(sla.urgent),
    };
    let fields = [
        (
            "normal_response_hours",
            hours.normal_response,
            "sla.normal.accept",
            0,
            false,
        ),
        (
            "normal_resolution_hours",
            hours.normal_resolution,
            "sla.normal.resolve",
            2,
            false,
        ),
        (
            "urgent_response_hours",
            hours.urgent_response,
            "sla.urgent.accept",
            0,
            true,
        ),
        (
            "urgent_resolution_hours",
            hours.urgent_resolution,
            "sla.urgent.resolve",
            2,
            true,
        ),
    ];
    for (field, value, clock, index, urgent) in fields {
        let Some(value) = value else { continue };
        let slot = if urgent {
            &mut changes.urgent[index]
        } else {
            &mut changes.normal[index]
        };
        let in_hours = u32::try_from(value)
            .ok()
            .and_then(|v| Duration::new(v, DurationUnit::Hours));
        match in_hours {
            _ if slot.is_some() => errors.add(field, format!("give {clock} or {field}, not both")),
            Some(duration) => *slot = Some(duration),
            None => errors.add(
                field,
                format!("hours from 1 to {}", DurationUnit::Hours.max()),
            ),
        }
    }
    changes
}

impl ClockChanges {
    /// `sla` with these changes made.
    fn applied_to(&self, sla: Sla) -> Sla {
        let apply = |clocks: Clocks, changes: &[Option<Duration>; 3]| Clocks {
            accept: changes[0].unwrap_or(clocks.accept),
            feedback: changes[1].unwrap_or(clocks.feedback),
            resolve: changes[2].unwrap_or(clocks.resolve),
        };
        Sla {
            normal: apply(sla.normal, &self.normal),
            urgent: apply(sla.urgent, &self.urgent),
        }
    }
}

pub async fn list(state: &AppState) -> Result<Vec<Category>, Error> {
    Ok(state.db.run(categories::list).await?)
}

pub async fn create(
    state: &AppState,
    caller: &Principal,
    input: CreateCategory,
) -> Result<Category, Error> {
    policy::manage_categories(caller)?;
    let mut errors = FieldErrors::default();
    let code_ok = (2..=32).contains(&input.code.len())
        && input
            .code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !code_ok {
        errors.add("code", "2 to 32 characters: a-z, 0-9 or _");
    }
    let name = errors.check("name", text::single_line(&input.name, 100));
    let clocks = clock_changes(
        &mut errors,
        input.sla,
        HourFields {
            normal_response: input.normal_response_hours,
            normal_resolution: input.normal_resolution_hours,
            urgent_response: input.urgent_response_hours,
            urgent_resolution: input.urgent_resolution_hours,
        },
    );
    let category = Category::new(
        input.code,
        name.unwrap_or_default(),
        clocks.applied_to(Sla::default()),
    );
    errors.into_result()?;
    let created = category.clone();
    state
        .db
        .run(move |conn| categories::insert(conn, &category))
        .await
        .on_duplicate("a category with that code exists")?;
    Ok(created)
}

pub async fn update(
    state: &AppState,
    caller: &Principal,
    code: String,
    input: UpdateCategory,
) -> Result<Category, Error> {
    policy::manage_categories(caller)?;
    let mut errors = FieldErrors::default();
    let name = match input.name {
        Some(name) => errors.check("name", text::single_line(&name, 100)),
        None => None,
    };
    let clocks = clock_changes(
        &mut errors,
        input.sla,
        HourFields {
            normal_response: input.normal_response_hours,
            normal_resolution: input.normal_resolution_hours,
            urgent_response: input.urgent_response_hours,
            urgent_resolution: input.urgent_resolution_hours,
        },
    );
    let [normal_accept, normal_feedback, normal_resolve] = clocks.normal;
    let [urgent_accept, urgent_feedback, urgent_resolve] = clocks.urgent;
    let changes = CategoryChanges {
        name,
        active: input.active,
        normal_accept,
        normal_feedback,
        normal_resolve,
        urgent_accept,
        urgent_feedback,
        urgent_resolve,
    };
    errors.into_result()?;
    state
        .db
        .run(move |conn| categories::update(conn, &code, &changes))
        .await
        .map_err(|e| match e {
            DbError::NotFound => Error::not_found("no such category"),
            other => other.into(),
        })
}
