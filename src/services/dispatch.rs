//! Dispatch candidates (SPEC section 10): the active cadres who may take a ticket at its level
//! (or, to delegate, at the levels below whose region holds its county), those whose department
//! handles the ticket's category first, then the least loaded.

use std::collections::{HashMap, HashSet};

use crate::api::dispatch::Candidate;
use crate::auth::{Principal, policy};
use crate::db::{departments, tickets, users};
use crate::domain::ids::{TicketId, UserId};
use crate::domain::region::{RegionCode, RegionLevel};
use crate::domain::ticket::Level;
use crate::error::Error;
use crate::services::tickets::visible_ticket;
use crate::state::AppState;

/// The regions whose cadres may take a ticket of `county` at `level`: the government holding
/// the county at that level; when delegating, those at each level below it (a directly
/// administered county has no city, so only itself).
pub fn dispatch_regions(county: &RegionCode, level: Level, delegate: bool) -> Vec<RegionCode> {
    let levels: &[RegionLevel] = if delegate {
        match level {
            Level::Province => &[RegionLevel::City, RegionLevel::County],
            Level::City => &[RegionLevel::County],
            Level::County => &[],
        }
    } else {
        std::slice::from_ref(match level {
            Level::Province => &RegionLevel::Province,
            Level::City => &RegionLevel::City,
            Level::County => &RegionLevel::County,
        })
    };
    levels
        .iter()
        .filter_map(|l| county.government_at(*l))
        .collect()
}

/// The best `limit` candidates for ticket `id`, for a caller who may assign it.
pub async fn candidates(
    state: &AppState,
    caller: &Principal,
    id: TicketId,
    delegate: bool,
    limit: usize,
) -> Result<Vec<Candidate>, Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            let (ticket, facts) = visible_ticket(conn, &caller, id)?;
            policy::read_candidates(&caller, &facts)?;
            if delegate && ticket.level == Level::County {
                return Err(Error::Conflict(
                    "a county-level ticket has no level below it to delegate to".into(),
                ));
            }
            let regions = dispatch_regions(&ticket.county_code, ticket.level, delegate);
            let cadres = users::active_cadres_at(conn, &regions)?;
            let ids: Vec<UserId> = cadres.iter().map(|c| c.id).collect();
            let load: HashMap<UserId, i64> =
                tickets::open_counts(conn, &ids)?.into_iter().collect();
            let handling: HashSet<_> = departments::handling(conn, &ticket.category)?
                .into_iter()
                .collect();
            let mut ranked: Vec<Candidate> = cadres
                .into_iter()
                .map(|cadre| {
                    let matches_category = cadre.department_active == Some(true)
                        && cadre.department_id.is_some_and(|d| handling.contains(&d));
                    Candidate {
                        user_id: cadre.id.get(),
                        display_name: cadre.display_name,
                        department: cadre.department_name.or(cadre.department),
                        department_id: cadre.department_id.map(i64::from),
                        region_code: cadre.region_code,
                        open_tickets: load.get(&cadre.id).copied().unwrap_or(0),
                        matches_category,
                    }
                })
                .collect();
            ranked.sort_by_key(|c| (!c.matches_category, c.open_tickets, c.user_id));
            ranked.truncate(limit);
            Ok(ranked)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    #[test]
    fn a_ticket_goes_to_its_level_or_is_delegated_below_it() {
        let chuanhui = code("411602");
        assert_eq!(
            dispatch_regions(&chuanhui, Level::City, false),
            [code("411600")]
        );
        assert_eq!(
            dispatch_regions(&chuanhui, Level::Province, true),
            [code("411600"), code("411602")]
        );
        assert_eq!(dispatch_regions(&chuanhui, Level::City, true), [chuanhui]);
        assert!(dispatch_regions(&code("411602"), Level::County, true).is_empty());
    }

    #[test]
    fn a_directly_administered_county_has_no_city_to_delegate_to() {
        // Jiyuan, under the heading 419000.
        let jiyuan = code("419001");
        assert_eq!(
            dispatch_regions(&jiyuan, Level::Province, true),
            [code("419001")]
        );
        assert_eq!(
            dispatch_regions(&jiyuan, Level::Province, false),
            [code("410000")]
        );
    }
}
