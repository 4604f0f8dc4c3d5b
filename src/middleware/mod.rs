//! Middleware between the network and the routes: security headers on every response, CORS when
//! origins are configured, and the per-client request rate limit.

pub mod cors;
pub mod headers;
pub mod rate_limit;
