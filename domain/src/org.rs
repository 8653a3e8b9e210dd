//! How the city and its police are organised in Wijkpost: districts hold
//! neighbourhoods, one neighbourhood team per district, users with a role.

use serde::{Deserialize, Serialize};

use crate::codes::{PartnerKind, Role};
use crate::ids::{DistrictId, NeighbourhoodId, OrgId, TeamId, UserId};

/// One of the city's districts (Antwerp has nine).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub id: DistrictId,
    pub name: String,
}

/// A neighbourhood (*wijk*) with its boundary as a GeoJSON Polygon or MultiPolygon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neighbourhood {
    pub id: NeighbourhoodId,
    pub district_id: DistrictId,
    pub name: String,
    /// RFC 7946 geometry, kept as text: it is stored and served, never edited piecewise.
    pub boundary_geojson: String,
}

/// A neighbourhood team (*wijkteam*): the officers of one district.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub district_id: DistrictId,
    pub name: String,
}

/// An organisation whose people share signals with the team.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Organisation))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerOrganisation {
    pub id: OrgId,
    pub name: String,
    pub kind: PartnerKind,
    pub district_id: Option<DistrictId>,
}

/// A person who can log in. The password hash lives only in the store.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub partner_org_id: Option<OrgId>,
}

/// Why a boundary was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoundaryError {
    #[error("the boundary is not valid GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("the boundary must be a Polygon or MultiPolygon, not {0}")]
    NotAnArea(String),
}

/// Checks that `geojson` is an area geometry a neighbourhood can have.
pub fn check_boundary(geojson: &str) -> Result<(), BoundaryError> {
    let parsed: geojson::Geometry =
        geojson.parse().map_err(|e: geojson::Error| BoundaryError::NotGeoJson(e.to_string()))?;
    match parsed.value {
        geojson::Value::Polygon(_) | geojson::Value::MultiPolygon(_) => Ok(()),
        other => Err(BoundaryError::NotAnArea(other.type_name().to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygons_are_boundaries_points_are_not() {
        let square =
            r#"{"type":"Polygon","coordinates":[[[4.40,51.21],[4.41,51.21],[4.41,51.22],[4.40,51.22],[4.40,51.21]]]}"#;
        assert_eq!(check_boundary(square), Ok(()));
        let point = r#"{"type":"Point","coordinates":[4.40,51.21]}"#;
        assert!(matches!(check_boundary(point), Err(BoundaryError::NotAnArea(_))));
        assert!(matches!(check_boundary("{"), Err(BoundaryError::NotGeoJson(_))));
    }
}
