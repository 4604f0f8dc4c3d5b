//! Ending access tokens before they expire. A change that must end a user's tokens raises
//! their token generation and appends a row to `token_revocations`, in the transaction of the
//! change; after the commit this instance applies it at once, and every other instance reads it
//! within about a second ([`follow`]). Requests check the in-memory set only
//! (`auth::revocation`), never the database.

use std::time::Duration;

use chrono::NaiveDateTime;

use crate::auth::revocation::{Revocation, Revocations, Revoked};
use crate::db::revocations::{self, NewRevocation, StoredRevocation};
use crate::db::{Database, DbConnection, DbError};
use crate::domain::ids::UserId;
use crate::state::AppState;

/// How often each instance reads the revocations of the others.
pub const FOLLOW_INTERVAL: Duration = Duration::from_secs(1);

/// Rows read per query while catching up.
const BATCH: i64 = 1000;

fn stored(revocation: &Revocation) -> NewRevocation {
    let (user_id, generation, family_id) = match &revocation.revoked {
        Revoked::User {
            user_id,
            generation,
        } => (Some(*user_id), Some(*generation), None),
        Revoked::Session { family_id } => (None, None, Some(family_id.clone())),
    };
    NewRevocation {
        user_id,
        generation,
        family_id,
        revoked_at: revocation.at,
    }
}

fn read(row: &StoredRevocation) -> Option<Revocation> {
    let revoked = match (row.user_id, row.generation, &row.family_id) {
        (Some(user_id), Some(generation), None) => Revoked::User {
            user_id,
            generation,
        },
        (None, None, Some(family_id)) => Revoked::Session {
            family_id: family_id.clone(),
        },
        _ => return None,
    };
    Some(Revocation {
        revoked,
        at: row.revoked_at,
    })
}

/// Ends every token issued so far to these users. Call it last in the transaction of the
/// change (see [`revocations::append`]), then [`take_effect`] after the commit.
pub fn revoke_users(
    conn: &mut DbConnection,
    user_ids: &[UserId],
    now: NaiveDateTime,
) -> Result<Vec<Revocation>, DbError> {
    let ended: Vec<Revocation> = revocations::bump_generations(conn, user_ids)?
        .into_iter()
        .map(|(user_id, generation)| Revocation {
            revoked: Revoked::User {
                user_id,
                generation,
            },
            at: now,
        })
        .collect();
    revocations::append(conn, &ended.iter().map(stored).collect::<Vec<_>>())?;
    Ok(ended)
}

/// Ends every access token of one login session; last in its transaction, as [`revoke_users`].
pub fn revoke_session(
    conn: &mut DbConnection,
    family_id: &str,
    now: NaiveDateTime,
) -> Result<Revocation, DbError> {
    let ended = Revocation {
        revoked: Revoked::Session {
            family_id: family_id.to_owned(),
        },
        at: now,
    };
    revocations::append(conn, &[stored(&ended)])?;
    Ok(ended)
}

/// After the commit: this instance refuses the ended tokens from the next request on.
pub fn take_effect(state: &AppState, ended: &[Revocation]) {
    state.revocations.apply(ended, state.clock.now());
}

/// Reads every revocation appended since the last call; how many.
pub async fn catch_up(
    db: &Database,
    known: &Revocations,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let mut read_rows = 0;
    loop {
        let after = known.followed_up_to();
        let rows = db
            .run(move |conn| revocations::after(conn, after, BATCH))
            .await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            return Ok(read_rows);
        };
        let ended: Vec<Revocation> = rows.iter().filter_map(read).collect();
        known.follow(&ended, last, now);
        read_rows += rows.len();
        if (rows.len() as i64) < BATCH {
            return Ok(read_rows);
        }
    }
}

/// Follows the log every [`FOLLOW_INTERVAL`] until the task is dropped, forgetting what no
/// longer matters. A failure is logged once, and its end once.
pub async fn follow(state: actix_web::web::Data<AppState>) {
    let mut ticks = tokio::time::interval(FOLLOW_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        ticks.tick().await;
        let now = state.clock.now();
        match catch_up(&state.db, &state.revocations, now).await {
            Ok(_) if failing => {
                failing = false;
                tracing::info!("following token revocations again");
            }
            Ok(_) => {}
            Err(error) if !failing => {
                failing = true;
                tracing::warn!(%error, "cannot read token revocations; retrying every second");
            }
            Err(_) => {}
        }
        state.revocations.forget_old(now);
    }
}
