//! Access tokens: HS256 JWTs with the algorithm pinned and `iss`, `aud`, `iat`, `exp` set and
//! checked, `exp` against the service's own clock; they carry their user's token generation
//! (`gen`) and login session (`sid`), which revocation is checked against. Refresh tokens and
//! client secrets: random values shown once and stored only as digests.

use chrono::{NaiveDateTime, TimeDelta};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Principal;
use crate::domain::ids::{EnterpriseId, UserId};
use crate::domain::region::RegionCode;
use crate::domain::role::Role;

pub const ISSUER: &str = "enterprise-assist";
pub const AUDIENCE: &str = "enterprise-assist";
pub const MIN_SECRET_BYTES: usize = 32;

/// What an access token says about its bearer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id, as a string (JWT convention).
    pub sub: String,
    pub role: Role,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    /// The region of a supervisor or cadre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionCode>,
    /// The enterprise of an enterprise user or API client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ent: Option<EnterpriseId>,
    /// Set for an enterprise's API client rather than a person.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub client: bool,
    /// The user's token generation when the token was issued (older ones are revoked).
    #[serde(default)]
    pub r#gen: i64,
    /// The login session (refresh-token family) it belongs to; none for API clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// What an access token carries besides its principal, for revocation.
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    /// The user's current token generation.
    pub generation: i64,
    /// The login session, for people; `None` for API clients.
    pub session: Option<&'a str>,
}

/// Why a token was refused: the client may refresh an expired one, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    Invalid,
    Expired,
}

impl Claims {
    /// The principal the claims name; `None` for a combination no account has.
    pub fn principal(&self) -> Option<Principal> {
        Principal::new(
            UserId(self.sub.parse().ok()?),
            self.role,
            self.region.clone(),
            self.ent,
            self.client,
        )
    }
}

/// Signing and verification keys with the settings tokens are checked against.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub access_ttl_secs: i64,
}

#[derive(Debug, thiserror::Error)]
#[error("JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes")]
pub struct WeakSecret;

impl TokenKeys {
    pub fn new(secret: &[u8], access_ttl_secs: u64) -> Result<TokenKeys, WeakSecret> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(WeakSecret);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        // Expiry is checked against the service's clock in `verify`, the one source of "now".
        validation.validate_exp = false;
        Ok(TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl_secs: i64::try_from(access_ttl_secs).unwrap_or(i64::MAX),
        })
    }

    pub fn access_ttl(&self) -> TimeDelta {
        TimeDelta::seconds(self.access_ttl_secs)
    }

    pub fn issue(&self, principal: &Principal, grant: Grant, now: NaiveDateTime) -> String {
        let iat = now.and_utc().timestamp();
        let (region, ent, client) = match principal {
            Principal::Admin { .. } => (None, None, false),
            Principal::Supervisor { region, .. } | Principal::Cadre { region, .. } => {
                (Some(region.clone()), None, false)
            }
            Principal::Enterprise {
                enterprise_id,
                client,
                ..
            } => (None, Some(*enterprise_id), *client),
        };
        let claims = Claims {
            sub: principal.user_id().to_string(),
            role: principal.role(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat,
            exp: iat + self.access_ttl_secs,
            region,
            ent,
            client,
            r#gen: grant.generation,
            sid: grant.session.map(str::to_owned),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing cannot fail")
    }

    /// The claims of a token this service signed and that has not expired at `now`.
    pub fn verify(&self, token: &str, now: NaiveDateTime) -> Result<Claims, Rejection> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| Rejection::Invalid)?;
        if data.claims.exp > now.and_utc().timestamp() {
            Ok(data.claims)
        } else {
            Err(Rejection::Expired)
        }
    }
}

/// A new random secret: 256 bits, URL-safe.
pub fn random_secret() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The digest a refresh token is stored and looked up by; a 256-bit random value needs no salt
/// or stretching.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn cadre(user_id: UserId) -> Principal {
        Principal::Cadre {
            user_id,
            region: RegionCode::parse("411602").unwrap(),
        }
    }

    const GRANT: Grant = Grant {
        generation: 3,
        session: Some("family"),
    };

    #[test]
    fn issued_tokens_verify_until_they_expire() {
        let keys = TokenKeys::new(SECRET, 900).unwrap();
        let now = Utc::now().naive_utc();
        let token = keys.issue(&cadre(UserId(7)), GRANT, now);
        let claims = keys.verify(&token, now).unwrap();
        assert_eq!(claims.principal(), Some(cadre(UserId(7))));
        assert_eq!((claims.r#gen, claims.sid.as_deref()), (3, Some("family")));
        assert!(keys.verify(&token, now + TimeDelta::seconds(899)).is_ok());
        assert_eq!(
            keys.verify(&token, now + TimeDelta::seconds(900))
                .unwrap_err(),
            Rejection::Expired
        );
    }

    #[test]
    fn rejects_short_secrets_and_foreign_signatures() {
        assert!(TokenKeys::new(b"short", 900).is_err());
        let now = Utc::now().naive_utc();
        let other = TokenKeys::new(b"another-secret-another-secret-xx", 900).unwrap();
        let keys = TokenKeys::new(SECRET, 900).unwrap();
        let foreign = other.issue(&Principal::Admin { user_id: UserId(1) }, GRANT, now);
        assert_eq!(keys.verify(&foreign, now).unwrap_err(), Rejection::Invalid);
    }

    #[test]
    fn secrets_are_random_and_digests_stable() {
        assert_ne!(random_secret(), random_secret());
        assert_eq!(digest("abc").len(), 64);
        assert_eq!(digest("abc"), digest("abc"));
    }
}
