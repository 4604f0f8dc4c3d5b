//! An enterprise's cadres as the API shows them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::pairings::PairedCadre as PairedCadreRow;

/// A cadre paired with an enterprise, as the pairing list shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairedCadre {
    pub user_id: i64,
    #[schema(example = "cadre.411602.001")]
    pub username: String,
    #[schema(example = "李明")]
    pub display_name: Option<String>,
    #[schema(example = "川汇区发展和改革委员会")]
    pub department: Option<String>,
    #[schema(example = "411602")]
    pub region_code: Option<String>,
    pub primary: bool,
}

impl From<PairedCadreRow> for PairedCadre {
    fn from(row: PairedCadreRow) -> PairedCadre {
        PairedCadre {
            user_id: row.user_id.get(),
            username: row.username,
            display_name: row.display_name,
            department: row.department,
            region_code: row.region_code,
            primary: row.primary,
        }
    }
}

/// An enterprise's cadres, the primary first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairedCadres {
    pub items: Vec<PairedCadre>,
}

impl From<Vec<PairedCadreRow>> for PairedCadres {
    fn from(rows: Vec<PairedCadreRow>) -> PairedCadres {
        PairedCadres {
            items: rows.into_iter().map(PairedCadre::from).collect(),
        }
    }
}

/// The whole set of an enterprise's cadres; an empty list clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetCadres {
    pub cadres: Vec<CadreChoice>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CadreChoice {
    pub user_id: i64,
    /// Exactly one cadre of a non-empty set is primary: tickets go to them first.
    #[serde(default)]
    pub primary: bool,
}
