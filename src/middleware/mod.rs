//! Middleware between the network and the routes: security headers on every response, CORS when
//! origins are configured, the per-client request rate limit, and the checks of the request head (NUL in paths, sizes).

pub mod client_address;
pub mod cors;
pub mod headers;
pub mod paths;
pub mod rate_limit;
