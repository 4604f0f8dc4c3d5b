//! Request extractors that turn every unreadable input into a problem naming what is wrong:
//! the caller (the bearer token), the JSON body (media type, size, syntax with its position,
//! each bad field) and the query.

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::web::Bytes;
use std::time::Duration;

use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::{LocalBoxFuture, Ready, ready};
use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use utoipa::IntoParams;
use utoipa::openapi::path::ParameterIn;

use crate::auth::Principal;
use crate::auth::bearer::{self, Unauthenticated};
use crate::error::{Error, FieldError};
use crate::state::AppState;

fn app_state(req: &HttpRequest) -> &web::Data<AppState> {
    req.app_data::<web::Data<AppState>>()
        .expect("AppState is registered")
}

/// The caller, as the request's bearer token names them; a request without a valid one is a
/// 401, recorded in the audit log.
impl FromRequest for Principal {
    type Error = Error;
    type Future = Ready<Result<Principal, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(caller(req).map_err(|rejection| {
            let reason = rejection.to_string();
            crate::audit::token_rejected(&reason);
            Error::Unauthorized(reason)
        }))
    }
}

/// The caller a request's bearer token names, verified at most once per request (the rate
/// limiter asks first), with its revocation checked.
pub fn caller(req: &HttpRequest) -> Result<Principal, Unauthenticated> {
    let state = app_state(req);
    bearer::caller(req, &state.tokens, &state.revocations, state.clock.now())
}

/// Largest JSON body accepted.
pub const JSON_LIMIT: usize = 64 * 1024;

/// A JSON request body of type `T`.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self, Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // No body at all reads as `{}`: actions that carry nothing need not send one.
        let absent = req.headers().get(header::CONTENT_TYPE).is_none()
            && req
                .headers()
                .get(header::CONTENT_LENGTH)
                .is_none_or(|v| v == "0");
        let media_type_ok = absent || is_json(req);
        let declared = declared_length(req);
        let deadline = body_timeout(req);
        let payload = payload.take();
        Box::pin(async move {
            if !media_type_ok {
                return Err(Error::UnsupportedMediaType(
                    "the body must be JSON, sent with Content-Type: application/json".into(),
                ));
            }
            let body = read_body(payload, declared, JSON_LIMIT, deadline).await?;
            if absent && body.is_empty() {
                return parse_json(b"{}").map(Json);
            }
            parse_json(&body).map(Json)
        })
    }
}

/// Largest CSV body accepted (10,000 enterprises take about 1 MiB).
pub const CSV_LIMIT: usize = 10 * 1024 * 1024;

/// A `text/csv` body as UTF-8 text. A function rather than an extractor, so that a handler can
/// refuse a caller who may not import before reading megabytes from them.
pub async fn csv_body(
    req: &HttpRequest,
    payload: impl Stream<Item = Result<Bytes, PayloadError>> + Unpin,
) -> Result<String, Error> {
    if media_type(req).as_deref() != Some("text/csv") {
        return Err(Error::UnsupportedMediaType(
            "the body must be CSV, sent with Content-Type: text/csv".into(),
        ));
    }
    let body = read_body(payload, declared_length(req), CSV_LIMIT, body_timeout(req)).await?;
    let text = String::from_utf8(body).map_err(|e| {
        Error::BadRequest(format!(
            "the file is not UTF-8 text (byte {} is not)",
            e.utf8_error().valid_up_to()
        ))
    })?;
    if text.contains('\0') {
        return Err(Error::BadRequest(
            "the file may not contain NUL characters".into(),
        ));
    }
    Ok(text)
}

fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

/// How long a body may take to arrive (`BODY_TIMEOUT_SECS`).
fn body_timeout(req: &HttpRequest) -> Duration {
    Duration::from_secs(app_state(req).limits.body_timeout_secs)
}

/// The body, refused with 413 as soon as it is known to exceed `limit` bytes, and with 408 when
/// it has not arrived within `deadline`: a client dribbling its body would otherwise hold a
/// connection for as long as it likes.
async fn read_body(
    mut payload: impl Stream<Item = Result<Bytes, PayloadError>> + Unpin,
    declared: Option<usize>,
    limit: usize,
    deadline: Duration,
) -> Result<Vec<u8>, Error> {
    let too_large = || Error::PayloadTooLarge(format!("the body is larger than {limit} bytes"));
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(1024).min(limit));
    let read = async {
        while let Some(chunk) = payload.next().await {
            let chunk =
                chunk.map_err(|e| Error::BadRequest(format!("cannot read the body: {e}")))?;
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(())
    };
    tokio::time::timeout(deadline, read).await.map_err(|_| {
        Error::RequestTimeout(format!(
            "the body did not arrive within {} seconds",
            deadline.as_secs()
        ))
    })??;
    Ok(body)
}

/// The media type of the body, lower-cased, without parameters.
fn media_type(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

fn is_json(req: &HttpRequest) -> bool {
    media_type(req).is_some_and(|essence| {
        essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"))
    })
}

/// Syntax errors are 400 with their position; a well-formed body with a bad field is 422.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    // Reading the syntax first keeps the two apart: serde reports some type mismatches (an
    // object where an enum's name belongs) in words that look like syntax errors.
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| Error::BadRequest(format!("malformed JSON: {e}")))?;
    if let Some(field) = nul_in(&value, "") {
        return Err(Error::invalid(&field, "may not contain NUL characters"));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        field_error(&path, &e.into_inner().to_string())
    })
}

/// The path of the first string holding a NUL character: no text we store may hold one
/// (PostgreSQL refuses it, and no person types it).
fn nul_in(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(text) => text
            .contains('\0')
            .then(|| path.trim_start_matches('.').to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_in(item, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields
            .iter()
            .find_map(|(key, item)| nul_in(item, &format!("{path}.{key}"))),
        _ => None,
    }
}

/// Names the field a serde data error is about: its path, or for a missing field the field itself.
fn field_error(path: &str, message: &str) -> Error {
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    let field = match (missing, path) {
        (Some(name), "." | "") => name.to_owned(),
        (Some(name), parent) => format!("{parent}.{name}"),
        (None, ".") => "body".to_owned(),
        (None, path) => path.to_owned(),
    };
    Error::Validation(vec![FieldError { field, message }])
}

/// The query string as `T`; an unreadable parameter is a 400 naming it, and so is any parameter
/// `T` does not read (a misspelt filter must not return everything). The names read are those
/// `T` documents in the OpenAPI document, so the check and the contract cannot disagree.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + IntoParams> FromRequest for Query<T> {
    type Error = Error;
    type Future = Ready<Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(Query))
    }
}

fn parse_query<T: DeserializeOwned + IntoParams>(query: &str) -> Result<T, Error> {
    let pairs = form_urlencoded::parse(query.as_bytes());
    if let Some((name, _)) = pairs.clone().find(|(_, v)| v.contains('\0')) {
        return Err(Error::BadRequest(format!(
            "invalid query parameter `{name}`: may not contain NUL characters"
        )));
    }
    let known: Vec<String> = T::into_params(|| Some(ParameterIn::Query))
        .into_iter()
        .map(|p| p.name)
        .collect();
    // The first few are enough to name, and keep the answer short whatever the query holds.
    let mut unknown: Vec<String> = Vec::new();
    for (name, _) in pairs {
        if !known.iter().any(|k| *k == name) && !unknown.iter().any(|u| *u == name) {
            unknown.push(name.into_owned());
            if unknown.len() == 10 {
                break;
            }
        }
    }
    if !unknown.is_empty() {
        return Err(unknown_parameters(&unknown, &known));
    }
    let deserializer = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        if path == "." {
            Error::BadRequest(format!("invalid query: {message}"))
        } else {
            Error::BadRequest(format!("invalid query parameter `{path}`: {message}"))
        }
    })
}

fn unknown_parameters(unknown: &[String], known: &[String]) -> Error {
    let quote = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("`{}`", n.chars().take(64).collect::<String>()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let named = if unknown.len() == 1 {
        format!("unknown query parameter {}", quote(unknown))
    } else {
        format!("unknown query parameters {}", quote(unknown))
    };
    Error::BadRequest(if known.is_empty() {
        format!("{named}: this operation reads no query parameters")
    } else {
        format!("{named}: this operation reads {}", quote(known))
    })
}

/// A path parameter that cannot be read (`/tickets/abc`, an id past the largest integer) names
/// nothing: 404 like any unknown path, without quoting the input back.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, _| {
        Error::not_found("nothing here: the path's id is not one this service could have given out")
            .into()
    })
}
