//! Argon2id password (and client secret) hashing with OWASP's parameters: m = 19 MiB, t = 2,
//! p = 1. Hashing is CPU-bound on purpose; callers run it on the blocking pool, a bounded
//! number at a time, so a flood of logins queues instead of taking every core and 19 MiB per
//! attempt from the requests that need neither. Requests queue in a [`HashQueue`] of bounded
//! length: past it they are refused at once rather than kept waiting behind the flood.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`) with a fresh random salt.
pub fn hash(secret: &str) -> String {
    let hashed: PasswordHash = hasher()
        .hash_password(secret.as_bytes())
        .expect("hashing with a generated salt succeeds");
    hashed.to_string()
}

/// Whether `secret` matches `stored`. With no stored hash (unknown user, or a principal without
/// a password) a dummy hash is verified instead, so the answer costs the same time either way.
pub fn verify(secret: &str, stored: Option<&str>) -> bool {
    let (phc, real) = match stored {
        Some(phc) => (phc, true),
        None => (dummy_hash(), false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let matches = hasher().verify_password(secret.as_bytes(), &parsed).is_ok();
    matches && real
}

static PERMITS: OnceLock<Arc<Semaphore>> = OnceLock::new();

/// Sets how many hashes may be computed at once, process-wide. The first call wins: a process
/// that builds several applications (the tests) shares one bound, as it shares the cores.
pub fn limit_concurrency(permits: usize) {
    let _ = PERMITS.set(Arc::new(Semaphore::new(permits.max(1))));
}

/// Half the cores, at least one: the rest stay free for requests that need no hashing.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

/// Waits for a hashing permit, in arrival order.
async fn acquire() -> OwnedSemaphorePermit {
    let permits = PERMITS.get_or_init(|| Arc::new(Semaphore::new(default_concurrency())));
    Arc::clone(permits)
        .acquire_owned()
        .await
        .expect("the semaphore is never closed")
}

/// Runs one hashing job on the blocking pool once a permit is free, however many wait (the
/// command line's callers; requests go through a [`HashQueue`]).
async fn bounded<R: Send + 'static>(job: impl FnOnce() -> R + Send + 'static) -> R {
    run_with(acquire().await, job).await
}

/// Runs `job` on the blocking pool holding `permit`. The permit travels with the job, so a
/// request abandoned by its client still holds it until the hash is done.
async fn run_with<R: Send + 'static>(
    permit: OwnedSemaphorePermit,
    job: impl FnOnce() -> R + Send + 'static,
) -> R {
    crate::blocking::spawn_blocking_in_span(move || {
        let in_flight = metrics::gauge!("password_hashes_in_flight");
        in_flight.increment(1.0);
        let result = job();
        in_flight.decrement(1.0);
        drop(permit);
        result
    })
    .await
    .expect("hashing does not panic")
}

/// The hashing queue was full: the caller should answer 503 and ask the client to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks are waiting; retry in a moment")]
pub struct Busy;

/// A request's place in the queue; leaving it (a permit came, or the client went away) frees it.
struct Place<'a>(&'a AtomicUsize);

impl<'a> Place<'a> {
    /// A place among the `waiting`, unless `bound` are taken.
    fn take(waiting: &'a AtomicUsize, bound: usize) -> Option<Place<'a>> {
        let ahead = waiting.fetch_add(1, Ordering::AcqRel);
        let place = Place(waiting);
        (ahead < bound).then_some(place)
    }
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The requests of one application waiting for a hashing permit, at most `bound` of them.
pub struct HashQueue {
    waiting: AtomicUsize,
    bound: usize,
}

impl HashQueue {
    pub fn new(bound: usize) -> HashQueue {
        HashQueue {
            waiting: AtomicUsize::new(0),
            bound: bound.max(1),
        }
    }

    /// Runs `job` like [`bounded`], unless `bound` requests are already waiting.
    async fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, Busy> {
        let place = Place::take(&self.waiting, self.bound).ok_or(Busy)?;
        let permit = acquire().await;
        drop(place);
        Ok(run_with(permit, job).await)
    }

    /// [`hash`] on the blocking pool, or [`Busy`].
    pub async fn hash(&self, secret: String) -> Result<String, Busy> {
        self.run(move || hash(&secret)).await
    }

    /// [`verify`] on the blocking pool, or [`Busy`].
    pub async fn verify(&self, secret: String, stored: Option<String>) -> Result<bool, Busy> {
        self.run(move || verify(&secret, stored.as_deref())).await
    }
}

/// [`hash`] of each secret, in order, through the same permits as logins: an import's thousand
/// accounts take at most [`default_concurrency`] places in the queue at a time, so a login
/// arriving meanwhile waits for a few hashes, not for the whole file.
pub async fn hash_many(secrets: Vec<String>) -> Vec<String> {
    use futures_util::StreamExt;
    futures_util::stream::iter(secrets)
        .map(hash_off_thread)
        .buffered(default_concurrency())
        .collect()
        .await
}

/// [`hash`] on the blocking pool, off the async workers, however long the wait (the command
/// line; requests use a [`HashQueue`]).
pub async fn hash_off_thread(secret: String) -> String {
    bounded(move || hash(&secret)).await
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash("a password that no account has"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_carry_owasp_parameters() {
        let stored = hash("correct horse battery");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", Some(&stored)));
        assert!(!verify("wrong horse battery", Some(&stored)));
        assert!(!verify("a password that no account has", None));
        assert!(!verify("anything", Some("not a phc string")));
    }

    #[test]
    fn the_queue_refuses_past_its_bound_and_frees_places_left() {
        let waiting = AtomicUsize::new(0);
        let first = Place::take(&waiting, 2).expect("a free place");
        let second = Place::take(&waiting, 2).expect("a free place");
        assert!(Place::take(&waiting, 2).is_none(), "full");
        drop(first);
        let third = Place::take(&waiting, 2).expect("a place left by the first");
        drop((second, third));
        assert_eq!(waiting.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn many_hashes_keep_their_order() {
        let secrets: Vec<String> = (0..3).map(|i| format!("secret number {i}")).collect();
        let hashes = hash_many(secrets.clone()).await;
        assert_eq!(hashes.len(), 3);
        for (secret, hash) in secrets.iter().zip(&hashes) {
            assert!(verify(secret, Some(hash)));
        }
    }
}
