//! The failed-login throttle, in a form that cannot be turned against users: failures count
//! per (username, client address), so a stranger's guesses close a username for the stranger's
//! address only; a slower backstop per username bounds guessing from many addresses at once.
//! Wrong current passwords at `POST /me/password` count the same way. Counters are stored under
//! SHA-256 digests (fixed size, whatever a client sends) and purged by the periodic job.

use chrono::{NaiveDateTime, TimeDelta};
use sha2::{Digest, Sha256};

use crate::db::{DbConnection, DbError, sessions};
use crate::domain::address::ClientAddress;
use crate::error::Error;

/// Failures and window of one counter.
struct Rule {
    max_failures: i32,
    window: TimeDelta,
}

/// Per username and address: five failures in 15 minutes close it for the rest of the window.
const PER_ADDRESS: Rule = Rule {
    max_failures: 5,
    window: TimeDelta::minutes(15),
};

/// Per username, from every address together: a hundred failures in an hour (at least twenty
/// addresses at the pace above) close it everywhere until the hour ends or someone unlocks it.
const PER_USERNAME: Rule = Rule {
    max_failures: 100,
    window: TimeDelta::hours(1),
};

/// Counters older than this have no effect left.
pub const LONGEST_WINDOW: TimeDelta = PER_USERNAME.window;

fn digest(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex::encode(hasher.finalize())
}

/// The key every counter of `username` carries (and unlocking clears).
fn username_key(username: &str) -> String {
    digest(&["user", username])
}

/// One attempt to prove a password: whose, and from where.
#[derive(Debug, Clone)]
pub struct Attempt {
    username: String,
    at_address: String,
}

impl Attempt {
    /// `username` as normalised (a valid username, never raw input).
    pub fn new(username: &str, address: &ClientAddress) -> Attempt {
        Attempt {
            username: username_key(username),
            at_address: digest(&["address", username, &address.counted_as()]),
        }
    }

    fn counters(&self) -> [(&str, &Rule); 2] {
        [
            (&self.at_address, &PER_ADDRESS),
            (&self.username, &PER_USERNAME),
        ]
    }

    /// `Some(seconds)` while either counter is closed: the longer wait.
    pub fn closed_for(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
    ) -> Result<Option<u64>, DbError> {
        let mut wait = None;
        for (key, rule) in self.counters() {
            let closed = sessions::throttled_for(conn, key, now, rule.window, rule.max_failures)?;
            wait = wait.max(closed);
        }
        Ok(wait)
    }

    /// Counts a failure on both counters; inside a write transaction.
    pub fn failed(&self, conn: &mut DbConnection, now: NaiveDateTime) -> Result<(), DbError> {
        for (key, rule) in self.counters() {
            sessions::record_failure(conn, key, &self.username, now, rule.window)?;
        }
        Ok(())
    }

    /// After the right password: this address starts afresh; the backstop keeps counting, so
    /// a user's own logins do not reset what many addresses together have tried.
    pub fn succeeded(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        sessions::clear_failures(conn, &self.at_address)
    }
}

/// The answer while an attempt is closed.
pub fn refusal(retry_after_secs: u64) -> Error {
    Error::TooManyRequests {
        detail: "too many failed attempts for this account from here; try again later".into(),
        retry_after_secs,
    }
}

/// Forgets every failure of `username`, from every address (an administrator's unlock).
pub fn unlock(conn: &mut DbConnection, username: &str) -> Result<usize, DbError> {
    sessions::clear_user_failures(conn, &username_key(username))
}

/// Forgets counters too old to matter at `now` (the periodic job).
pub fn purge(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, DbError> {
    sessions::purge_failures_before(conn, now - LONGEST_WINDOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> ClientAddress {
        ClientAddress::new(text.parse().unwrap())
    }

    #[test]
    fn keys_are_fixed_size_and_apart_per_user_and_address() {
        let a = Attempt::new("cadre.li", &address("203.0.113.1"));
        let b = Attempt::new("cadre.li", &address("203.0.113.2"));
        let c = Attempt::new("cadre.wang", &address("203.0.113.1"));
        assert_eq!(a.username, b.username);
        assert_ne!(a.at_address, b.at_address);
        assert_ne!(a.username, c.username);
        assert_ne!(a.at_address, c.at_address);
        for key in [&a.username, &a.at_address] {
            assert_eq!(key.len(), 64);
        }
        let long = "x".repeat(5000);
        assert_eq!(Attempt::new(&long, &address("::1")).at_address.len(), 64);
    }
}
