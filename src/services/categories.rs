//! Categories and their service levels: everyone reads them, admins change them.

use crate::api::categories::{ClocksInput, CreateCategory, SlaInput, UpdateCategory};
use crate::auth::{Principal, policy};
use crate::db::DbError;
use crate::db::categories::{self, Category, CategoryChanges};
use crate::domain::sla::{Clocks, Sla};
use crate::domain::text::Name;
use crate::domain::working_time::{Duration, DurationUnit};
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::state::AppState;

/// Part 1's hour fields for the accept and resolve clocks of each priority.
struct HourFields {
    normal_response: Option<i32>,
    normal_resolution: Option<i32>,
    urgent_response: Option<i32>,
    urgent_resolution: Option<i32>,
}

/// The clocks `sla` and part 1's hour fields set, per priority; a clock set both ways is
/// refused, naming the hour field.
fn clock_changes(errors: &mut FieldErrors, sla: Option<SlaInput>, hours: HourFields) -> SlaInput {
    let sla = sla.unwrap_or_default();
    let mut normal = sla.normal.unwrap_or_default();
    let mut urgent = sla.urgent.unwrap_or_default();
    let fields = [
        (
            "normal_response_hours",
            hours.normal_response,
            "sla.normal.accept",
            &mut normal.accept,
        ),
        (
            "normal_resolution_hours",
            hours.normal_resolution,
            "sla.normal.resolve",
            &mut normal.resolve,
        ),
        (
            "urgent_response_hours",
            hours.urgent_response,
            "sla.urgent.accept",
            &mut urgent.accept,
        ),
        (
            "urgent_resolution_hours",
            hours.urgent_resolution,
            "sla.urgent.resolve",
            &mut urgent.resolve,
        ),
    ];
    for (field, value, clock, slot) in fields {
        let Some(value) = value else { continue };
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
    SlaInput {
        normal: Some(normal),
        urgent: Some(urgent),
    }
}

impl ClocksInput {
    /// `clocks` with the ones given here in their place.
    fn applied_to(&self, clocks: Clocks) -> Clocks {
        Clocks {
            accept: self.accept.unwrap_or(clocks.accept),
            feedback: self.feedback.unwrap_or(clocks.feedback),
            resolve: self.resolve.unwrap_or(clocks.resolve),
        }
    }
}

impl SlaInput {
    /// `sla` with the clocks given here in their place.
    fn applied_to(&self, sla: Sla) -> Sla {
        let none = ClocksInput::default();
        Sla {
            normal: self.normal.as_ref().unwrap_or(&none).applied_to(sla.normal),
            urgent: self.urgent.as_ref().unwrap_or(&none).applied_to(sla.urgent),
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
    let name = errors.check("name", Name::parse(&input.name).map(String::from));
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
        Some(name) => errors.check("name", Name::parse(&name).map(String::from)),
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
    let (normal, urgent) = (
        clocks.normal.unwrap_or_default(),
        clocks.urgent.unwrap_or_default(),
    );
    let changes = CategoryChanges {
        name,
        active: input.active,
        normal_accept: normal.accept,
        normal_feedback: normal.feedback,
        normal_resolve: normal.resolve,
        urgent_accept: urgent.accept,
        urgent_feedback: urgent.feedback,
        urgent_resolve: urgent.resolve,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(normal_response: Option<i32>, urgent_resolution: Option<i32>) -> HourFields {
        HourFields {
            normal_response,
            normal_resolution: None,
            urgent_response: None,
            urgent_resolution,
        }
    }

    fn duration(value: u32, unit: DurationUnit) -> Duration {
        Duration::new(value, unit).unwrap()
    }

    #[test]
    fn part_one_hours_set_clocks_in_hours_and_the_rest_stay() {
        let mut errors = FieldErrors::default();
        let sla = SlaInput {
            normal: Some(ClocksInput {
                feedback: Some(duration(5, DurationUnit::WorkingDays)),
                ..ClocksInput::default()
            }),
            urgent: None,
        };
        let changes = clock_changes(&mut errors, Some(sla), hours(Some(48), Some(100)));
        assert!(errors.into_result().is_ok());
        let applied = changes.applied_to(Sla::default());
        assert_eq!(applied.normal.accept, duration(48, DurationUnit::Hours));
        assert_eq!(
            applied.normal.feedback,
            duration(5, DurationUnit::WorkingDays)
        );
        assert_eq!(applied.normal.resolve, Sla::default().normal.resolve);
        assert_eq!(applied.urgent.resolve, duration(100, DurationUnit::Hours));
        assert_eq!(applied.urgent.accept, Sla::default().urgent.accept);
    }

    #[test]
    fn hours_out_of_range_or_given_twice_are_refused() {
        for value in [0, -1, 8785] {
            let mut errors = FieldErrors::default();
            clock_changes(&mut errors, None, hours(Some(value), None));
            assert!(errors.into_result().is_err(), "{value}");
        }
        let mut errors = FieldErrors::default();
        let sla = SlaInput {
            normal: Some(ClocksInput {
                accept: Some(duration(2, DurationUnit::WorkingDays)),
                ..ClocksInput::default()
            }),
            urgent: None,
        };
        clock_changes(&mut errors, Some(sla), hours(Some(10), None));
        assert!(errors.into_result().is_err());
    }
}
