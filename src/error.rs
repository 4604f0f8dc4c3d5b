//! The application's error type and its one mapping to RFC 9457 problem documents.
//! Every failure a client can see, the framework's own included, passes through here.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::DbError;
use crate::domain::access::{Refusal, RefusalKind};
use crate::domain::page::PageError;

pub const PROBLEM_JSON: &str = "application/problem+json";
/// Problem types are relative URIs (RFC 9457 section 3.1.1): resolved against the request's
/// own address they name `GET /problems/{slug}` of the same service, which describes them.
pub const TYPE_BASE: &str = "/problems/";

/// One kind of problem, as `GET /problems/{slug}` describes it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct ProblemType {
    /// The `type` of problem documents of this kind.
    #[schema(example = "/problems/not-found")]
    #[serde(rename = "type")]
    pub uri: &'static str,
    #[schema(example = "Not Found")]
    pub title: &'static str,
    #[schema(example = 404)]
    pub status: u16,
    pub description: &'static str,
}

macro_rules! problem_types {
    ($($slug:literal, $status:literal, $title:literal, $description:literal;)*) => {
        /// Every problem type the service answers, in status order.
        pub const PROBLEM_TYPES: &[ProblemType] = &[
            $(ProblemType {
                uri: concat!("/problems/", $slug),
                title: $title,
                status: $status,
                description: $description,
            },)*
        ];
    };
}

problem_types! {
    "bad-request", 400, "Bad Request", "The request cannot be read: malformed JSON (the detail gives the position), a query parameter of the wrong form, a query parameter the operation does not read, or a cursor this service did not give out. Fix the request; retrying it unchanged fails again.";
    "unauthorized", 401, "Unauthorized", "No valid credentials: the bearer token is missing, malformed, expired or revoked, or the login failed. Log in again or refresh the token.";
    "forbidden", 403, "Forbidden", "The caller may see the object but not do this to it (or the role may not do this at all).";
    "not-found", 404, "Not Found", "No such thing, or none the caller may see: objects outside the caller's scope answer this too, so ids cannot be probed. Also a path that names no resource, or whose id is not a number the service could have given out.";
    "method-not-allowed", 405, "Method Not Allowed", "The path exists, but not with this method; the Allow header lists the methods it answers.";
    "request-timeout", 408, "Request Timeout", "The request's body did not arrive in time (BODY_TIMEOUT_SECS).";
    "conflict", 409, "Conflict", "The request conflicts with the current state: a value already taken, or a move from the wrong ticket state (named in the detail).";
    "precondition-failed", 412, "Precondition Failed", "If-Match names a version of the object that is no longer current: read it again, then retry.";
    "payload-too-large", 413, "Payload Too Large", "The body is larger than the operation accepts (64 KiB of JSON, 10 MiB of CSV).";
    "uri-too-long", 414, "URI Too Long", "The request's path and query are longer than 8 KiB.";
    "unsupported-media-type", 415, "Unsupported Media Type", "The body is not of a media type the operation reads (application/json, or text/csv for imports).";
    "validation", 422, "Unprocessable Entity", "The request was read but its content is invalid: `errors` names each bad field with its message.";
    "too-many-requests", 429, "Too Many Requests", "Too many requests from this client in the rate-limit window, too many filings from this enterprise, or too many failed logins; Retry-After says when to try again.";
    "request-header-fields-too-large", 431, "Request Header Fields Too Large", "The request's header fields are larger than 32 KiB in all.";
    "internal", 500, "Internal Server Error", "A fault of the service. It has been logged with the request's X-Request-Id; the answer says nothing more.";
    "unavailable", 503, "Service Unavailable", "The database cannot be reached now, or the service is still starting; Retry-After says when to try again.";
}

impl ProblemType {
    pub fn find(slug: &str) -> Option<&'static ProblemType> {
        PROBLEM_TYPES
            .iter()
            .find(|t| t.uri.strip_prefix(TYPE_BASE) == Some(slug))
    }

    /// The type of an answer the framework gave with this status, `internal` for any other.
    fn for_status(status: StatusCode) -> &'static ProblemType {
        let status = status.as_u16();
        PROBLEM_TYPES
            .iter()
            .find(|t| t.status == status)
            .or_else(|| ProblemType::find("internal"))
            .expect("the internal type is listed")
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// The field, as named in the request (`title`, `cadres[0].user_id`).
    pub field: String,
    pub message: String,
}

/// Collects every bad field of a request, so one answer names them all.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// The value when `result` is good; otherwise records the error under `field`.
    pub fn check<T, M: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, M>,
    ) -> Option<T> {
        result.map_err(|e| self.add(field, e.to_string())).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Takes in another collector's errors, each field prefixed (`line 7: ` + `uscc`).
    pub fn absorb(&mut self, prefix: &str, other: FieldErrors) {
        self.0.extend(other.0.into_iter().map(|e| FieldError {
            field: format!("{prefix}{}", e.field),
            message: e.message,
        }));
    }

    /// The checked value, or every recorded error. A value is missing only when its check
    /// recorded why, so the value comes with an empty collector or not at all.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Error> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(Error::Validation(self.0)),
        }
    }

    pub fn into_result(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// Identifies the kind of problem: a URI relative to the service, where `GET` describes it.
    #[schema(example = "/problems/not-found")]
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(example = "Not Found")]
    pub title: String,
    #[schema(example = 404)]
    pub status: u16,
    #[schema(example = "no region has code 999999")]
    pub detail: String,
    /// For validation problems: each bad field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request cannot be read (malformed JSON, a bad query or path parameter).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: the caller may see the object but not do this to it.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such thing, or not one the caller may see.
    #[error("{0}")]
    NotFound(String),
    /// 403 or 404 (as if absent): the policy's refusal, recorded in the audit log when answered.
    #[error("{0}")]
    Refused(Refusal),
    /// 405: the path exists but not with this method.
    #[error("{method} is not allowed here")]
    MethodNotAllowed { method: Method, allow: Vec<Method> },
    /// 408: the client sent its request body too slowly.
    #[error("{0}")]
    RequestTimeout(String),
    /// 409: the request conflicts with the current state (a taken name, a wrong ticket state).
    #[error("{0}")]
    Conflict(String),
    /// 412: an `If-Match` precondition failed: the object changed since the client read it.
    #[error("{0}")]
    PreconditionFailed(String),
    /// 413: the body is over the limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 414: the request target (path and query) is over the limit.
    #[error("{0}")]
    UriTooLong(String),
    /// 431: the header fields are over the limit.
    #[error("{0}")]
    HeadersTooLarge(String),
    /// 415: the body is not of a media type this operation reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: the request was read but its content is invalid; names each bad field.
    #[error("{} invalid field(s)", .0.len())]
    Validation(Vec<FieldError>),
    /// 429: too many attempts; retry after the given number of seconds.
    #[error("{detail}")]
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
    },
    /// 503: the database cannot be reached now; retry later. Holds the cause, for the log only.
    #[error("the service is unavailable, retry later")]
    Unavailable(String),
    /// 503: too much of one kind of work is waiting (password hashing); retry in a second.
    #[error("{0}")]
    Overloaded(String),
    /// 500: a fault of ours; logged, never described to the client.
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl Error {
    pub fn not_found(what: impl std::fmt::Display) -> Error {
        Error::NotFound(what.to_string())
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Error {
        Error::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// The problem type's slug (the last part of its URI).
    fn slug(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad-request",
            Error::Unauthorized(_) => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not-found",
            Error::Refused(refusal) => match refusal.kind {
                RefusalKind::Forbidden => "forbidden",
                RefusalKind::Hidden => "not-found",
            },
            Error::RequestTimeout(_) => "request-timeout",
            Error::Conflict(_) => "conflict",
            Error::PreconditionFailed(_) => "precondition-failed",
            Error::TooManyRequests { .. } => "too-many-requests",
            Error::MethodNotAllowed { .. } => "method-not-allowed",
            Error::PayloadTooLarge(_) => "payload-too-large",
            Error::UriTooLong(_) => "uri-too-long",
            Error::HeadersTooLarge(_) => "request-header-fields-too-large",
            Error::UnsupportedMediaType(_) => "unsupported-media-type",
            Error::Validation(_) => "validation",
            Error::Unavailable(_) => "unavailable",
            Error::Overloaded(_) => "overloaded",
            Error::Internal(_) => "internal",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            Error::Internal(_) => "an internal error occurred; it has been logged".to_owned(),
            other => other.to_string(),
        };
        Problem {
            kind: format!("{TYPE_BASE}{}", self.slug()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors: match self {
                Error::Validation(errors) => Some(errors.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Refused(refusal) => match refusal.kind {
                RefusalKind::Forbidden => StatusCode::FORBIDDEN,
                RefusalKind::Hidden => StatusCode::NOT_FOUND,
            },
            Error::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            Error::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Unavailable(_) | Error::Overloaded(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Error::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            Error::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            // Where a refusal becomes an answer: the one place it is recorded.
            Error::Refused(refusal) => crate::audit::access_denied(refusal),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            Error::MethodNotAllowed { allow, .. } => {
                let allow = allow
                    .iter()
                    .map(Method::as_str)
                    .collect::<Vec<_>>()
                    .join(", ");
                response.insert_header((header::ALLOW, allow));
            }
            Error::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            Error::Overloaded(_) => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            Error::TooManyRequests {
                retry_after_secs, ..
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Error::Unauthorized(_) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    r#"Bearer realm="enterprise-assist""#,
                ));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).expect("problems serialise"))
    }
}

/// A problem response for a failure the framework produced itself (no route matched its own
/// error type): the type its status has, and for client errors the framework's explanation
/// cut short, since it may quote the request.
pub fn framework_problem(status: StatusCode, detail: Option<String>) -> HttpResponse {
    let kind = ProblemType::for_status(status);
    let title = status.canonical_reason().unwrap_or("Error").to_owned();
    let detail = detail
        .filter(|_| status.is_client_error())
        .map(|d| d.chars().take(200).collect())
        .unwrap_or_else(|| title.to_lowercase());
    let problem = Problem {
        kind: kind.uri.to_owned(),
        title,
        status: status.as_u16(),
        detail,
        errors: None,
    };
    HttpResponse::build(status)
        .content_type(PROBLEM_JSON)
        .body(serde_json::to_string(&problem).expect("problems serialise"))
}

/// The one mapping of database errors. A missing row or a refused unique key that a use case
/// expects is named where it reads or writes ([`DbOutcome`]); this says what any other means.
impl From<DbError> for Error {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => Error::NotFound("not found".into()),
            DbError::Unavailable(cause) => Error::Unavailable(cause),
            // Nothing about the row holding the values: it may lie outside the caller's scope.
            DbError::Duplicate(_) => Error::Conflict("those values are not available".into()),
            other => Error::Internal(other.into()),
        }
    }
}

/// What a use case makes of the database outcomes it expects, said where the read or the
/// write happens (launchbadge's `on_constraint`).
pub trait DbOutcome<T> {
    /// No such row: 404 with `detail`.
    fn or_not_found(self, detail: impl std::fmt::Display) -> Result<T, Error>;
    /// A unique key refused the write: 409 with `detail`, which says which value is not
    /// available and nothing about the row holding it (that row may lie outside the caller's
    /// scope). For writes to a table whose one unique key besides its id is the one named.
    fn on_duplicate(self, detail: &str) -> Result<T, Error>;
}

impl<T> DbOutcome<T> for Result<T, DbError> {
    fn or_not_found(self, detail: impl std::fmt::Display) -> Result<T, Error> {
        self.map_err(|e| match e {
            DbError::NotFound => Error::not_found(detail),
            other => other.into(),
        })
    }

    fn on_duplicate(self, detail: &str) -> Result<T, Error> {
        self.map_err(|e| match e {
            DbError::Duplicate(_) => Error::Conflict(detail.to_owned()),
            other => other.into(),
        })
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        Error::Refused(refusal)
    }
}

impl From<crate::auth::password::Busy> for Error {
    fn from(busy: crate::auth::password::Busy) -> Self {
        Error::Overloaded(busy.to_string())
    }
}

impl From<PageError> for Error {
    fn from(error: PageError) -> Self {
        Error::BadRequest(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_described_type_of_its_status() {
        let errors = [
            Error::BadRequest(String::new()),
            Error::Unauthorized(String::new()),
            Error::Forbidden(String::new()),
            Error::NotFound(String::new()),
            Error::MethodNotAllowed {
                method: Method::GET,
                allow: vec![],
            },
            Error::RequestTimeout(String::new()),
            Error::Conflict(String::new()),
            Error::PreconditionFailed(String::new()),
            Error::PayloadTooLarge(String::new()),
            Error::UriTooLong(String::new()),
            Error::HeadersTooLarge(String::new()),
            Error::UnsupportedMediaType(String::new()),
            Error::Validation(vec![]),
            Error::TooManyRequests {
                detail: String::new(),
                retry_after_secs: 1,
            },
            Error::Unavailable(String::new()),
            Error::Internal(anyhow::anyhow!("x")),
        ];
        for error in &errors {
            let problem = error.problem();
            let slug = problem
                .kind
                .strip_prefix(TYPE_BASE)
                .expect("a relative type");
            let kind = ProblemType::find(slug).expect("a described type");
            assert_eq!(kind.status, problem.status, "{slug}");
            assert_eq!(ProblemType::for_status(error.status_code()).uri, kind.uri);
        }
        assert_eq!(
            errors.len(),
            PROBLEM_TYPES.len(),
            "no type is listed without a use"
        );
    }
}
