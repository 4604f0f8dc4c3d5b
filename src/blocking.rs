//! Work that blocks (database calls, password hashing) kept off the async workers. A module of
//! its own, importing nothing of the crate, so that storage and authentication can use it
//! without depending on the telemetry that reports on them.

/// Runs blocking work (database calls, password hashing) on the blocking pool, inside the
/// caller's span so its logs keep the request id.
pub async fn spawn_blocking_in_span<F, R>(f: F) -> Result<R, actix_web::rt::task::JoinError>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let span = tracing::Span::current();
    actix_web::rt::task::spawn_blocking(move || span.in_scope(f)).await
}
