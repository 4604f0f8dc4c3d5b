//! `/imports/{kind}`: bulk import of a CSV file, for administrators and supervisors.

use actix_web::{HttpRequest, post, web};

use super::extract::csv_body;
use crate::api::imports::{ImportKind, ImportReport};
use crate::auth::Principal;
use crate::error::{Error, Problem};
use crate::services::imports;
use crate::state::AppState;

/// Import a CSV file of enterprises, departments, cadres or pairings.
///
/// The body is the file: UTF-8, `Content-Type: text/csv`, at most 10 MiB. Its first line
/// names the columns, in any order:
///
/// - `enterprises`: `uscc`, `name`, `county_code`; optional `industry`, `contact_name`,
///   `contact_phone`. A registered USCC updates that enterprise.
/// - `departments`: `region_code`, `name`; optional `categories` (category codes separated by
///   `;` or `|`), `active` (`true`/`false`). A name the region's roster has updates that
///   department's categories and state.
/// - `cadres`: `username`, `region_code`; optional `department`, `display_name`, `password`,
///   `department_name` (a department of the cadre's region: sets `department_id`). An
///   existing username updates that cadre (never their password). A new cadre without a
///   password cannot log in until an administrator or supervisor sets one.
/// - `pairings`: `uscc`, `username`, `primary` (`true`/`false`). Each enterprise named gets
///   exactly the cadres listed for it, one of them primary.
///
/// The file is applied whole or not at all. A blank optional column keeps what is stored, so
/// importing the same file again changes nothing. Supervisors may import only rows inside
/// their region. Each bad row is reported in the 422 problem's `errors`, its `field` naming
/// the line and column (`line 7: uscc`).
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(("kind" = ImportKind, Path, description = "What the file holds")),
    request_body(content = String, content_type = "text/csv", description = "The CSV file, its first line the column names",
        example = "uscc,name,county_code,industry\n91411602MA00000011,周口市恒达食品有限公司,411602,食品加工\n"),
    responses(
        (status = 200, description = "Applied; what changed", body = ImportReport),
        (status = 400, description = "The body is not UTF-8 text", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not import", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such kind of import", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `text/csv`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad rows, each named `line N: column`; nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports/{kind}")]
pub async fn import(
    state: web::Data<AppState>,
    caller: Principal,
    kind: web::Path<ImportKind>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<ImportReport>, Error> {
    let kind = kind.into_inner();
    let scope = imports::scope_for(&caller)?;
    let text = csv_body(&req, payload).await?;
    let (report, revoked) = imports::import(
        &state.db,
        Some(caller.user_id()),
        scope,
        kind,
        text,
        state.clock.now(),
    )
    .await?;
    crate::services::revocations::take_effect(&state, &revoked);
    tracing::info!(
        target: "audit",
        event = "import.applied",
        actor_id = caller.user_id().get(),
        ?kind,
        outcome = "success",
        "import by the API"
    );
    Ok(web::Json(report))
}
