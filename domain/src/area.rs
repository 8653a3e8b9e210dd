//! Where on the map a point falls: which neighbourhood's boundary holds it, and which
//! of the streets the app knows runs nearest. The phone runs this offline ("use my
//! location"), on the boundaries and streets its form page carries.
//!
//! Hand-written rather than the `geo` crate: the phone needs two operations, a point
//! in a polygon (ray casting) and the distance to a line (in a flat projection around
//! the point), about fifty lines. `geo` would bring `geo-types`, `rstar`, robust
//! predicates and more into a browser bundle that must stay under 400 KiB gzip, and
//! its exact predicates buy nothing against a phone fix that is ±10 m at best.

use serde::{Deserialize, Serialize};

use crate::ids::{NeighbourhoodId, StreetId};
use crate::org::BoundaryError;
use crate::place::GeoPoint;

/// A street further than this from the fix is not "the street": the person types it.
pub const NEAREST_STREET_WITHIN_M: f64 = 75.0;

/// Metres per degree of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// A position as GeoJSON writes it: `[lon, lat]`.
pub type LonLat = [f64; 2];

/// A neighbourhood's boundary: polygons, each an outer ring followed by its holes,
/// as GeoJSON orders them. Sent as the bare nested arrays (one struct less for the
/// phone's bundle to read).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Area {
    pub polygons: Vec<Vec<Vec<LonLat>>>,
}

impl Area {
    /// Reads a GeoJSON Polygon or MultiPolygon (a neighbourhood's stored boundary).
    pub fn from_geojson(text: &str) -> Result<Self, BoundaryError> {
        let polygons = match parse(text)? {
            geojson::Value::Polygon(rings) => vec![rings],
            geojson::Value::MultiPolygon(polygons) => polygons,
            other => return Err(BoundaryError::NotAnArea(other.type_name().to_owned())),
        };
        Ok(Self { polygons: polygons.into_iter().map(|rings| rings.into_iter().map(positions).collect()).collect() })
    }

    /// Inside an outer ring and in none of its holes. A point exactly on an edge may
    /// fall either way; two neighbourhoods sharing that edge then both claim it, and
    /// the first listed wins.
    pub fn contains(&self, point: GeoPoint) -> bool {
        self.polygons.iter().any(|rings| {
            let mut rings = rings.iter();
            rings.next().is_some_and(|outer| ring_contains(outer, point))
                && !rings.any(|hole| ring_contains(hole, point))
        })
    }
}

/// Ray casting: a ray from the point eastwards crosses the ring's edges an odd number
/// of times when the point is inside. The ring may be closed (GeoJSON) or not.
fn ring_contains(ring: &[LonLat], point: GeoPoint) -> bool {
    let (x, y) = (point.lon, point.lat);
    let mut inside = false;
    let mut previous = match ring.last() {
        Some(last) => *last,
        None => return false,
    };
    for &[x1, y1] in ring {
        let [x2, y2] = previous;
        if (y1 > y) != (y2 > y) && x < x1 + (y - y1) / (y2 - y1) * (x2 - x1) {
            inside = !inside;
        }
        previous = [x1, y1];
    }
    inside
}

/// A street as the app knows it: its name and its line (a GeoJSON LineString or
/// MultiLineString, as parts). House-number ranges will hang off the same street id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Street {
    pub id: StreetId,
    pub neighbourhood_id: NeighbourhoodId,
    pub name: String,
    /// RFC 7946 LineString or MultiLineString, kept as text like a boundary.
    pub line_geojson: String,
}

/// A street's line, ready for distances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreetLine {
    pub name: String,
    pub parts: Vec<Vec<LonLat>>,
}

impl StreetLine {
    pub fn from_street(street: &Street) -> Result<Self, BoundaryError> {
        let parts = match parse(&street.line_geojson)? {
            geojson::Value::LineString(line) => vec![positions(line)],
            geojson::Value::MultiLineString(lines) => lines.into_iter().map(positions).collect(),
            other => return Err(BoundaryError::NotAnArea(other.type_name().to_owned())),
        };
        Ok(Self { name: street.name.clone(), parts })
    }

    /// Metres from the point to the nearest part of the line; infinite for no line.
    pub fn distance_m(&self, point: GeoPoint) -> f64 {
        // A flat projection centred on the point: over a street's length (a few
        // hundred metres) it is off by far less than the fix itself.
        let scale_x = METRES_PER_DEGREE * point.lat.to_radians().cos();
        let flat = |[lon, lat]: LonLat| ((lon - point.lon) * scale_x, (lat - point.lat) * METRES_PER_DEGREE);
        let mut nearest = f64::INFINITY;
        for part in &self.parts {
            let mut corners = part.iter().map(|&p| flat(p));
            let Some(mut a) = corners.next() else { continue };
            nearest = nearest.min(a.0.hypot(a.1));
            for b in corners {
                nearest = nearest.min(origin_to_segment(a, b));
                a = b;
            }
        }
        nearest
    }
}

/// Distance from (0, 0) to the segment a–b.
fn origin_to_segment(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 { (-(a.0 * dx + a.1 * dy) / length2).clamp(0.0, 1.0) } else { 0.0 };
    (a.0 + t * dx).hypot(a.1 + t * dy)
}

/// A neighbourhood as the phone's map holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappedNeighbourhood {
    pub id: NeighbourhoodId,
    pub area: Area,
    pub streets: Vec<StreetLine>,
}

/// Where a fix falls among the neighbourhoods a form offers.
#[derive(Debug, Clone, PartialEq)]
pub enum Whereabouts {
    /// In none of them.
    Outside,
    /// In this one; on this street when one of its known streets runs close enough.
    Inside { neighbourhood_id: NeighbourhoodId, street: Option<String> },
}

/// The neighbourhood whose boundary holds `point` (the first listed, should two
/// overlap) and its nearest known street within [`NEAREST_STREET_WITHIN_M`].
pub fn locate(map: &[MappedNeighbourhood], point: GeoPoint) -> Whereabouts {
    let Some(found) = map.iter().find(|n| n.area.contains(point)) else { return Whereabouts::Outside };
    let street = found
        .streets
        .iter()
        .map(|s| (s, s.distance_m(point)))
        .filter(|(_, d)| *d <= NEAREST_STREET_WITHIN_M)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(s, _)| s.name.clone());
    Whereabouts::Inside { neighbourhood_id: found.id, street }
}

fn parse(text: &str) -> Result<geojson::Value, BoundaryError> {
    let geometry: geojson::Geometry =
        text.parse().map_err(|e: geojson::Error| BoundaryError::NotGeoJson(e.to_string()))?;
    Ok(geometry.value)
}

/// GeoJSON positions as `[lon, lat]`, any altitude dropped; a position without both is skipped.
fn positions(line: Vec<Vec<f64>>) -> Vec<LonLat> {
    line.into_iter().filter_map(|p| Some([*p.first()?, *p.get(1)?])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str =
        r#"{"type":"Polygon","coordinates":[[[4.40,51.21],[4.41,51.21],[4.41,51.22],[4.40,51.22],[4.40,51.21]]]}"#;

    fn at(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    fn stored(name: &str, line: &str) -> Street {
        Street {
            id: StreetId::new_v7(),
            neighbourhood_id: NeighbourhoodId::new_v7(),
            name: name.into(),
            line_geojson: line.into(),
        }
    }

    fn street(name: &str, line: &str) -> StreetLine {
        StreetLine::from_street(&stored(name, line)).unwrap()
    }

    #[test]
    fn a_polygon_holds_what_is_inside_and_nothing_else() {
        let area = Area::from_geojson(SQUARE).unwrap();
        assert!(area.contains(at(51.215, 4.405)));
        for outside in [at(51.225, 4.405), at(51.215, 4.415), at(51.205, 4.395), at(-51.215, -4.405)] {
            assert!(!area.contains(outside), "{outside:?}");
        }
    }

    #[test]
    fn a_concave_ring_and_an_unclosed_one() {
        // An L: the notch at the top right is outside.
        let l = r#"{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,1],[1,1],[1,2],[0,2]]]}"#;
        let area = Area::from_geojson(l).unwrap();
        assert!(area.contains(at(0.5, 1.5)), "the foot of the L");
        assert!(area.contains(at(1.5, 0.5)), "the stem of the L");
        assert!(!area.contains(at(1.5, 1.5)), "the notch");
    }

    #[test]
    fn a_hole_is_outside_and_every_polygon_of_a_multipolygon_counts() {
        let holed = r#"{"type":"MultiPolygon","coordinates":[
            [[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[3,1],[3,3],[1,3],[1,1]]],
            [[[10,10],[11,10],[11,11],[10,11],[10,10]]]]}"#;
        let area = Area::from_geojson(holed).unwrap();
        assert!(area.contains(at(0.5, 0.5)));
        assert!(!area.contains(at(2.0, 2.0)), "in the hole");
        assert!(area.contains(at(10.5, 10.5)), "the second polygon");
        assert!(!area.contains(at(5.0, 5.0)));
    }

    #[test]
    fn only_areas_are_boundaries() {
        let point = r#"{"type":"Point","coordinates":[4.40,51.21]}"#;
        assert!(matches!(Area::from_geojson(point), Err(BoundaryError::NotAnArea(_))));
        assert!(matches!(Area::from_geojson("{"), Err(BoundaryError::NotGeoJson(_))));
        assert!(!Area::default().contains(at(0.0, 0.0)), "no polygon holds nothing");
    }

    #[test]
    fn distance_to_a_street_is_to_its_nearest_segment_in_metres() {
        // West to east along 51.21 N, from 4.40 to 4.41 E (about 700 m).
        let line = street("Kroonstraat", r#"{"type":"LineString","coordinates":[[4.40,51.21],[4.41,51.21]]}"#);
        let north = at(51.2105, 4.405); // 0.0005° of latitude: about 55.7 m.
        assert!((line.distance_m(north) - 55.66).abs() < 0.5, "{}", line.distance_m(north));
        let beyond = at(51.21, 4.4114); // past the east end: to the end point.
        let expected = 0.0014 * METRES_PER_DEGREE * 51.21_f64.to_radians().cos();
        assert!((line.distance_m(beyond) - expected).abs() < 0.5, "{}", line.distance_m(beyond));
        assert!(line.distance_m(at(51.21, 4.405)) < 0.01, "on the street");
        let broken = street(
            "Bist",
            r#"{"type":"MultiLineString","coordinates":[[[0,0],[0,1]],[[4.405,51.2105],[4.406,51.2105]]]}"#,
        );
        assert!(broken.distance_m(north) < 0.01, "the nearest part counts");
        assert!(matches!(StreetLine::from_street(&stored("Plein", SQUARE)), Err(BoundaryError::NotAnArea(_))));
    }

    #[test]
    fn locate_names_the_neighbourhood_and_the_nearest_street_close_enough() {
        let id = NeighbourhoodId::new_v7();
        let other = NeighbourhoodId::new_v7();
        let map = vec![
            MappedNeighbourhood {
                id: other,
                area: Area::from_geojson(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#)
                    .unwrap(),
                streets: Vec::new(),
            },
            MappedNeighbourhood {
                id,
                area: Area::from_geojson(SQUARE).unwrap(),
                streets: vec![
                    street("Kroonstraat", r#"{"type":"LineString","coordinates":[[4.40,51.212],[4.41,51.212]]}"#),
                    street("Turnhoutsebaan", r#"{"type":"LineString","coordinates":[[4.40,51.215],[4.41,51.215]]}"#),
                ],
            },
        ];
        let on = |lat| locate(&map, at(lat, 4.405));
        assert_eq!(on(51.2152), Whereabouts::Inside { neighbourhood_id: id, street: Some("Turnhoutsebaan".into()) });
        assert_eq!(on(51.2124), Whereabouts::Inside { neighbourhood_id: id, street: Some("Kroonstraat".into()) });
        // 0.0015° (about 167 m) from either street: the neighbourhood, no street.
        assert_eq!(on(51.2185), Whereabouts::Inside { neighbourhood_id: id, street: None });
        assert_eq!(on(51.25), Whereabouts::Outside);
        assert_eq!(locate(&map, at(0.5, 0.5)), Whereabouts::Inside { neighbourhood_id: other, street: None });
    }
}
