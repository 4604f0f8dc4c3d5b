//! Categories and their service levels: everyone reads them, admins change them.

use crate::api::categories::{CreateCategory, UpdateCategory};
use crate::auth::{Principal, policy};
use crate::db::DbError;
use crate::db::categories::{self, Category, CategoryChanges};
use crate::domain::text::Name;
use crate::error::{DbOutcome, Error, FieldErrors};
use crate::state::AppState;

const MAX_HOURS: i32 = 24 * 366;

fn hours(errors: &mut FieldErrors, field: &str, value: Option<i32>) -> Option<i32> {
    let value = value?;
    if (1..=MAX_HOURS).contains(&value) {
        Some(value)
    } else {
        errors.add(field, format!("hours from 1 to {MAX_HOURS}"));
        None
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
    let category = Category {
        code: input.code,
        name: name.unwrap_or_default(),
        normal_response_hours: hours(
            &mut errors,
            "normal_response_hours",
            input.normal_response_hours,
        )
        .unwrap_or(24),
        normal_resolution_hours: hours(
            &mut errors,
            "normal_resolution_hours",
            input.normal_resolution_hours,
        )
        .unwrap_or(360),
        urgent_response_hours: hours(
            &mut errors,
            "urgent_response_hours",
            input.urgent_response_hours,
        )
        .unwrap_or(4),
        urgent_resolution_hours: hours(
            &mut errors,
            "urgent_resolution_hours",
            input.urgent_resolution_hours,
        )
        .unwrap_or(72),
        active: true,
    };
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
    let changes = CategoryChanges {
        name,
        normal_response_hours: hours(
            &mut errors,
            "normal_response_hours",
            input.normal_response_hours,
        ),
        normal_resolution_hours: hours(
            &mut errors,
            "normal_resolution_hours",
            input.normal_resolution_hours,
        ),
        urgent_response_hours: hours(
            &mut errors,
            "urgent_response_hours",
            input.urgent_response_hours,
        ),
        urgent_resolution_hours: hours(
            &mut errors,
            "urgent_resolution_hours",
            input.urgent_resolution_hours,
        ),
        active: input.active,
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
