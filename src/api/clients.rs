//! An enterprise's API client as the API lists it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::NaiveDateTime;

use crate::db::api_clients::ApiClient as ApiClientRow;

/// A client as listed: never its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClient {
    pub id: i64,
    /// The public identifier, exchanged with the secret at `/auth/token`.
    #[schema(example = "eac_Qm9vdHN0cmFwIGNsaWVudA")]
    pub client_id: String,
    #[schema(example = "ERP integration")]
    pub name: String,
    pub enterprise_id: i64,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<NaiveDateTime>,
}

impl From<ApiClientRow> for ApiClient {
    fn from(row: ApiClientRow) -> ApiClient {
        ApiClient {
            id: row.id,
            client_id: row.client_id,
            name: row.name,
            enterprise_id: row.enterprise_id.get(),
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClient {
    #[schema(example = "ERP integration")]
    pub name: String,
}

/// A new client with its secret: the only time the secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedClient {
    pub id: i64,
    pub client_id: String,
    /// Shown once; store it now.
    pub client_secret: String,
    pub name: String,
    pub enterprise_id: i64,
    #[serde(serialize_with = "crate::domain::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::domain::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<NaiveDateTime>,
}
