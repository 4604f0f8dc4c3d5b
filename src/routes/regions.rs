//! `/regions`: the national list of administrative divisions, readable by anyone.

use actix_web::{get, web};

use super::AppState;
use super::extract::Query;
use crate::api::regions::{ListRegions, Region, RegionDetail};
use crate::db::regions::{self, RegionFilter};
use crate::domain::page::{Page, PageRequest};
use crate::domain::region::RegionCode;
use crate::error::{DbOutcome, Error, Problem};

/// List regions, in code order.
#[utoipa::path(
    tag = "regions",
    params(ListRegions),
    responses(
        (status = 200, description = "One page of regions", body = Page<Region>),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/regions")]
pub async fn list_regions(
    state: web::Data<AppState>,
    Query(query): Query<ListRegions>,
) -> Result<web::Json<Page<Region>>, Error> {
    let page = PageRequest::<String>::parse(query.limit, query.cursor.as_deref())?;
    let filter = RegionFilter {
        parent: query.parent,
        level: query.level,
    };
    let rows = state
        .db
        .run(move |conn| regions::list(conn, &filter, &page).map(|rows| (rows, page)))
        .await
        .map(|(rows, page)| Page::from_rows(rows, &page, |r| r.code.clone()))?;
    Ok(web::Json(rows.map(Region::from)))
}

/// One region with its parent chain.
#[utoipa::path(
    tag = "regions",
    params(("code" = String, Path, description = "Six-digit GB/T 2260 code", example = "411602")),
    responses(
        (status = 200, description = "The region", body = RegionDetail),
        (status = 404, description = "No such region", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/regions/{code}")]
pub async fn get_region(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<RegionDetail>, Error> {
    let missing = || Error::not_found(format!("no region has code {code}"));
    let parsed = RegionCode::parse(&code).map_err(|_| missing())?;
    let (region, ancestors) = state
        .db
        .run(move |conn| regions::get_with_ancestors(conn, &parsed))
        .await
        .or_not_found(format!("no region has code {code}"))?;
    Ok(web::Json(RegionDetail::from((region, ancestors))))
}
