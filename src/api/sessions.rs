//! Signing in, refreshing, client credentials, the token answer and changing a password.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct Login {
    #[schema(example = "cadre.li")]
    pub username: String,
    #[schema(example = "correct horse battery staple")]
    pub password: String,
    /// For a web page: the refresh token is set as an HttpOnly cookie (`ea_refresh`, sent only
    /// to `/api/v1/auth/` and only by this site) instead of being answered, so that no script
    /// on the page can read it; `refresh` and `logout` then take it from the cookie.
    #[serde(default)]
    pub refresh_cookie: bool,
}

/// The refresh token, in the body or (for a session begun with `refresh_cookie`) in the cookie.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// Required unless the `ea_refresh` cookie carries it.
    pub refresh_token: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

/// Tokens handed to a client.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer <token>`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Single use: exchange it at `/auth/refresh` for a new pair. Absent for API clients.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[schema(example = "correct horse battery staple")]
    pub current_password: String,
    /// 12 to 128 characters, not the current password.
    #[schema(example = "a new and longer passphrase")]
    pub new_password: String,
}
