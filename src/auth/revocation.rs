//! Which access tokens are revoked before they expire, checked on every request without asking
//! the database: each instance keeps the recent revocations in memory, adds its own at once and
//! everyone else's from the `token_revocations` table, which it follows by id about once a
//! second (`services::revocations`). Only revocations younger than an access token's lifetime
//! matter: every token they could end has expired after that, so older ones are forgotten.

use crate::domain::ids::UserId;
use std::collections::HashMap;
use std::sync::RwLock;

use chrono::{NaiveDateTime, TimeDelta};

use super::token::Claims;

/// What one revocation ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    /// Every token of the user below this generation (deactivation, a change of role, region
    /// or enterprise, a new password, a revoked client, a deactivated enterprise).
    User { user_id: UserId, generation: i64 },
    /// Every token of one login session (a logout, or a refresh token used twice).
    Session { family_id: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub revoked: Revoked,
    pub at: NaiveDateTime,
}

/// Tokens can be minted from a user row read a moment before a revocation committed; they are
/// covered for this long past an access token's lifetime.
const MARGIN: TimeDelta = TimeDelta::minutes(1);

#[derive(Default)]
struct Known {
    /// The lowest generation still valid per user, and when it was set.
    users: HashMap<UserId, (i64, NaiveDateTime)>,
    sessions: HashMap<String, NaiveDateTime>,
    /// The highest id read from the table.
    followed_up_to: i64,
}

pub struct Revocations {
    known: RwLock<Known>,
    /// How long a revocation is kept: the access tokens' lifetime and the margin.
    keep: TimeDelta,
}

impl Revocations {
    pub fn new(access_ttl: TimeDelta) -> Revocations {
        Revocations {
            known: RwLock::new(Known::default()),
            keep: access_ttl + MARGIN,
        }
    }

    /// Whether the token these claims come from has been revoked.
    pub fn is_revoked(&self, claims: &Claims, user_id: UserId) -> bool {
        let known = self.known.read().unwrap_or_else(|e| e.into_inner());
        let below = known
            .users
            .get(&user_id)
            .is_some_and(|&(generation, _)| claims.r#gen < generation);
        below
            || claims
                .sid
                .as_ref()
                .is_some_and(|sid| known.sessions.contains_key(sid))
    }

    /// Takes in revocations (this instance's own, or read from the table) that are still
    /// recent at `now`; applying one twice changes nothing.
    pub fn apply<'a>(
        &self,
        revocations: impl IntoIterator<Item = &'a Revocation>,
        now: NaiveDateTime,
    ) {
        let mut known = self.known.write().unwrap_or_else(|e| e.into_inner());
        for revocation in revocations {
            if revocation.at + self.keep <= now {
                continue;
            }
            match &revocation.revoked {
                Revoked::User {
                    user_id,
                    generation,
                } => {
                    let entry = known.users.entry(*user_id).or_insert((0, revocation.at));
                    if *generation >= entry.0 {
                        *entry = (*generation, revocation.at);
                    }
                }
                Revoked::Session { family_id } => {
                    known.sessions.insert(family_id.clone(), revocation.at);
                }
            }
        }
    }

    /// Forgets revocations too old to matter at `now`.
    pub fn forget_old(&self, now: NaiveDateTime) {
        let cutoff = now - self.keep;
        let mut known = self.known.write().unwrap_or_else(|e| e.into_inner());
        known.users.retain(|_, (_, at)| *at > cutoff);
        known.sessions.retain(|_, at| *at > cutoff);
    }

    /// The highest id of the table read so far.
    pub fn followed_up_to(&self) -> i64 {
        self.known
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .followed_up_to
    }

    /// Takes in rows read from the table (in id order, up to `last_id`).
    pub fn follow<'a>(
        &self,
        rows: impl IntoIterator<Item = &'a Revocation>,
        last_id: i64,
        now: NaiveDateTime,
    ) {
        self.apply(rows, now);
        let mut known = self.known.write().unwrap_or_else(|e| e.into_inner());
        known.followed_up_to = known.followed_up_to.max(last_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::Role;

    fn claims(generation: i64, sid: Option<&str>) -> Claims {
        Claims {
            sub: "7".into(),
            role: Role::Cadre,
            iss: String::new(),
            aud: String::new(),
            iat: 0,
            exp: 0,
            region: None,
            ent: None,
            client: false,
            r#gen: generation,
            sid: sid.map(str::to_owned),
        }
    }

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0)
            .unwrap()
            .naive_utc()
    }

    fn user(generation: i64, minutes: i64) -> Revocation {
        Revocation {
            revoked: Revoked::User {
                user_id: UserId(7),
                generation,
            },
            at: at(minutes),
        }
    }

    #[test]
    fn a_user_revocation_ends_older_generations_only() {
        let revocations = Revocations::new(TimeDelta::minutes(15));
        assert!(!revocations.is_revoked(&claims(0, None), UserId(7)));
        revocations.apply(&[user(2, 0)], at(0));
        assert!(revocations.is_revoked(&claims(1, None), UserId(7)));
        assert!(!revocations.is_revoked(&claims(2, None), UserId(7)));
        assert!(
            !revocations.is_revoked(&claims(0, None), UserId(8)),
            "other users"
        );
        // An older revocation read late does not lower the bar.
        revocations.apply(&[user(1, 0)], at(0));
        assert!(revocations.is_revoked(&claims(1, None), UserId(7)));
    }

    #[test]
    fn a_session_revocation_ends_that_session_only() {
        let revocations = Revocations::new(TimeDelta::minutes(15));
        let logout = Revocation {
            revoked: Revoked::Session {
                family_id: "a".into(),
            },
            at: at(0),
        };
        revocations.follow(&[logout], 41, at(0));
        assert!(revocations.is_revoked(&claims(0, Some("a")), UserId(7)));
        assert!(!revocations.is_revoked(&claims(0, Some("b")), UserId(7)));
        assert!(!revocations.is_revoked(&claims(0, None), UserId(7)));
        assert_eq!(revocations.followed_up_to(), 41);
    }

    #[test]
    fn revocations_are_forgotten_once_every_token_they_end_has_expired() {
        let revocations = Revocations::new(TimeDelta::minutes(15));
        revocations.apply(&[user(1, 0)], at(0));
        revocations.forget_old(at(15));
        assert!(
            revocations.is_revoked(&claims(0, None), UserId(7)),
            "within the margin"
        );
        revocations.forget_old(at(16));
        assert!(!revocations.is_revoked(&claims(0, None), UserId(7)));
        revocations.apply(&[user(1, 0)], at(16));
        assert!(
            !revocations.is_revoked(&claims(0, None), UserId(7)),
            "too old to apply"
        );
    }
}
