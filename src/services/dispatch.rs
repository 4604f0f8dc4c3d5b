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

/// What the candidates are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// To take the ticket at its level (`assign`).
    Dispatch,
    /// To take it at a level below, the ticket keeping its level (`assign` with `delegate`).
    Delegate,
    /// To assist (协办): any level whose government holds the county.
    Assist,
}

/// The regions whose cadres are candidates for `purpose` on a ticket of `county` at `level`:
/// the government holding the county at that level; when delegating, those at each level
/// below it; to assist, those at every level (a directly administered county has no city).
pub fn candidate_regions(county: &RegionCode, level: Level, purpose: Purpose) -> Vec<RegionCode> {
    [
        RegionLevel::Province,
        RegionLevel::City,
        RegionLevel::County,
    ]
    .into_iter()
    .filter(|l| match purpose {
        Purpose::Dispatch => *l == level,
        // Lower levels sort after higher ones.
        Purpose::Delegate => *l > level,
        Purpose::Assist => true,
    })
    .filter_map(|l| county.government_at(l))
    .collect()
}

/// The best `limit` candidates for ticket `id` for `purpose`, for a caller who may assign it
/// (or, to assist, who may add assisting cadres).
pub async fn candidates(
    state: &AppState,
    caller: &Principal,
    id: TicketId,
    purpose: Purpose,
    limit: usize,
) -> Result<Vec<Candidate>, Error> {
    let caller = caller.clone();
    state
        .db
        .run(move |conn| {
            let (ticket, facts) = visible_ticket(conn, &caller, id)?;
            match purpose {
                Purpose::Assist => policy::manage_collaborators(&caller, &facts)?,
                Purpose::Dispatch | Purpose::Delegate => policy::read_candidates(&caller, &facts)?,
            }
            if purpose == Purpose::Delegate && ticket.level == Level::County {
                return Err(Error::Conflict(
                    "a county-level ticket has no level below it to delegate to".into(),
                ));
            }
            let regions = candidate_regions(&ticket.county_code, ticket.level, purpose);
            let mut cadres = users::active_cadres_at(conn, &regions)?;
            // The assignee works the ticket already; they do not assist it.
            cadres.retain(|c| purpose != Purpose::Assist || Some(c.id) != ticket.assignee_id);
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
    use Purpose::*;

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    #[test]
    fn a_ticket_goes_to_its_level_or_is_delegated_below_it() {
        let chuanhui = code("411602");
        assert_eq!(
            candidate_regions(&chuanhui, Level::City, Dispatch),
            [code("411600")]
        );
        assert_eq!(
            candidate_regions(&chuanhui, Level::County, Dispatch),
            [code("411602")]
        );
        assert_eq!(
            candidate_regions(&chuanhui, Level::Province, Delegate),
            [code("411600"), code("411602")]
        );
        assert_eq!(
            candidate_regions(&chuanhui, Level::City, Delegate),
            [code("411602")]
        );
        assert!(candidate_regions(&chuanhui, Level::County, Delegate).is_empty());
        assert_eq!(
            candidate_regions(&chuanhui, Level::County, Assist),
            [code("410000"), code("411600"), code("411602")]
        );
    }

    #[test]
    fn a_directly_administered_county_has_no_city_to_delegate_to() {
        // Jiyuan, under the heading 419000.
        let jiyuan = code("419001");
        assert_eq!(
            candidate_regions(&jiyuan, Level::Province, Delegate),
            [code("419001")]
        );
        assert_eq!(
            candidate_regions(&jiyuan, Level::Province, Dispatch),
            [code("410000")]
        );
        assert_eq!(
            candidate_regions(&jiyuan, Level::County, Assist),
            [code("410000"), code("419001")]
        );
    }
}
