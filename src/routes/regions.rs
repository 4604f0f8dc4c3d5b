//! `/regions`: the national list of administrative divisions, readable by anyone.

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::extract::Query;
use crate::api::regions::{Region, RegionDetail};
use crate::db::regions::{self, RegionFilter};
use crate::domain::page::{Page, PageRequest};
use crate::domain::region::{RegionCode, RegionLevel};
use crate::error::{DbOutcome, Error, Problem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListRegions {
    /// Only the direct children of this region (a six-digit code).
    #[param(value_type = Option<String>, pattern = "^[0-9]{6}$", example = "411600")]
    parent: Option<RegionCode>,
    /// Only regions of this level.
    level: Option<RegionLevel>,
    /// Page size, 1 to 200 (larger values are lowered to 200).
    #[param(minimum = 1, default = 50)]
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

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
