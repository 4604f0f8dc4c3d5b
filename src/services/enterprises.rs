//! Registering enterprises.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Principal, policy};
use crate::db::enterprises::{Enterprise, NewEnterprise};
use crate::db::{DbError, enterprises, regions};
use crate::domain::region::RegionCode;
use crate::domain::{text, uscc};
use crate::error::{Error, FieldErrors};
use crate::state::AppState;

const NAME_MAX: usize = 200;
const FIELD_MAX: usize = 100;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEnterprise {
    #[schema(example = "周口市恒达食品有限公司")]
    pub name: String,
    /// Unified social credit code: 18 characters with a valid check character.
    #[schema(example = "91350100M000100Y43")]
    pub uscc: String,
    /// A county-level region (a county, or a city that has no counties).
    #[schema(example = "411602")]
    pub county_code: String,
    #[schema(example = "food processing")]
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

pub async fn create_enterprise(
    state: &AppState,
    caller: &Principal,
    input: CreateEnterprise,
) -> Result<Enterprise, Error> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", text::single_line(&input.name, NAME_MAX));
    errors.check("uscc", uscc::validate(&input.uscc));
    let county = errors.check("county_code", RegionCode::parse(&input.county_code));
    let industry = errors.check(
        "industry",
        text::optional_line(input.industry.as_deref(), FIELD_MAX),
    );
    let contact_name = errors.check(
        "contact_name",
        text::optional_line(input.contact_name.as_deref(), FIELD_MAX),
    );
    let contact_phone = errors.check(
        "contact_phone",
        text::optional_line(input.contact_phone.as_deref(), 40),
    );
    let now = state.clock.now();
    let caller = caller.clone();
    let enterprise = state
        .db
        .run(move |conn| {
            if let Some(county) = &county {
                if regions::holds_enterprises(conn, county.as_str())? {
                    policy::manage_enterprise_in(&caller, county)?;
                } else {
                    errors.add("county_code", "not a county-level region");
                }
            }
            errors.into_result()?;
            let new = NewEnterprise {
                name: name.expect("validated"),
                uscc: input.uscc,
                county_code: input.county_code,
                industry: industry.flatten(),
                contact_name: contact_name.flatten(),
                contact_phone: contact_phone.flatten(),
                active: true,
                created_at: now,
                updated_at: now,
            };
            Ok::<_, Error>(enterprises::insert(conn, &new)?)
        })
        .await?;
    Ok(enterprise)
}

/// An enterprise the caller may see (else 404).
pub async fn get_enterprise(
    state: &AppState,
    caller: &Principal,
    id: i64,
) -> Result<Enterprise, Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| visible_enterprise(conn, &caller, id))
        .await
}

pub fn visible_enterprise(
    conn: &mut crate::db::DbConnection,
    caller: &Principal,
    id: i64,
) -> Result<Enterprise, Error> {
    let enterprise = enterprises::find(conn, id).map_err(|e| match e {
        DbError::NotFound => Error::not_found("no such enterprise"),
        other => other.into(),
    })?;
    policy::read_enterprise(caller, &enterprise.facts())?;
    Ok(enterprise)
}
