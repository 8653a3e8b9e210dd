//! Antwerp's districts and neighbourhoods for the demo: real names, approximate
//! centres, and a small made-up polygon around each centre. The polygons are not
//! the official boundaries (those are the city's open data, loaded in production);
//! they only need to lie in the right place on the map and contain the demo points.

use rand::rngs::StdRng;
use rand::Rng;
use serde_json::json;

/// Antwerp's nine districts, in the city's usual order.
pub(super) const DISTRICTS: [&str; 9] = [
    "Antwerpen",
    "Berchem",
    "Berendrecht-Zandvliet-Lillo",
    "Borgerhout",
    "Deurne",
    "Ekeren",
    "Hoboken",
    "Merksem",
    "Wilrijk",
];

/// A demo neighbourhood: its district, name, centre, rough radius and a few streets.
pub(super) struct Place {
    pub district: &'static str,
    pub name: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
    pub streets: &'static [&'static str],
}

const fn place(
    district: &'static str,
    name: &'static str,
    lat: f64,
    lon: f64,
    radius_m: f64,
    streets: &'static [&'static str],
) -> Place {
    Place { district, name, lat, lon, radius_m, streets }
}

pub(super) const PLACES: [Place; 34] = [
    place("Antwerpen", "Historisch Centrum", 51.2205, 4.4005, 500.0, &["Grote Markt", "Hoogstraat", "Wolstraat"]),
    place("Antwerpen", "Schipperskwartier", 51.2268, 4.4035, 350.0, &["Verversrui", "Falconplein"]),
    place("Antwerpen", "Eilandje", 51.2325, 4.4065, 500.0, &["Londenstraat", "Godefriduskaai"]),
    place("Antwerpen", "Seefhoek", 51.2262, 4.4215, 400.0, &["Diepestraat", "Handelstraat"]),
    place("Antwerpen", "Stuivenberg", 51.2300, 4.4265, 350.0, &["Stuivenbergplein", "Lange Beeldekensstraat"]),
    place("Antwerpen", "Amelgem", 51.2365, 4.4300, 350.0, &["Slachthuislaan"]),
    place("Antwerpen", "Dam", 51.2345, 4.4180, 350.0, &["Damplein", "Lange Lobroekstraat"]),
    place("Antwerpen", "Zuid", 51.2085, 4.3935, 450.0, &["Leopold De Waelplaats", "Vlaamsekaai", "Volkstraat"]),
    place("Antwerpen", "Kiel", 51.1935, 4.3925, 500.0, &["De Bosschaertstraat", "Sint-Bernardsesteenweg"]),
    place("Antwerpen", "Sint-Andries", 51.2155, 4.3985, 350.0, &["Kloosterstraat", "Nationalestraat"]),
    place("Antwerpen", "Haringrode", 51.1990, 4.4105, 400.0, &["Mechelsesteenweg", "Harmoniestraat"]),
    place("Antwerpen", "Linkeroever", 51.2225, 4.3775, 700.0, &["Blancefloerlaan", "Frederik van Eedenplein"]),
    place("Antwerpen", "Zurenborg", 51.2075, 4.4295, 400.0, &["Cogels-Osylei", "Dageraadplaats"]),
    place("Antwerpen", "Brederode", 51.2005, 4.3960, 350.0, &["Brederodestraat", "Abdijstraat"]),
    place("Antwerpen", "Luchtbal", 51.2480, 4.4240, 500.0, &["Columbiastraat", "Santiagostraat"]),
    place(
        "Borgerhout",
        "Borgerhout intra muros",
        51.2160,
        4.4365,
        500.0,
        &["Turnhoutsebaan", "Moorkensplein", "Kroonstraat"],
    ),
    place("Borgerhout", "Borgerhout extra muros", 51.2110, 4.4515, 550.0, &["Te Boelaerlei", "Gitschotellei"]),
    place("Deurne", "Deurne-Noord", 51.2300, 4.4560, 600.0, &["Bisschoppenhoflaan", "Lakborslei"]),
    place("Deurne", "Deurne-Centrum", 51.2185, 4.4690, 550.0, &["Frans Van Hombeeckplein", "Turnhoutsebaan"]),
    place("Deurne", "Deurne-Zuid", 51.2025, 4.4660, 600.0, &["Herentalsebaan", "Boekenberglei"]),
    place("Berchem", "Berchem-Centrum", 51.1995, 4.4270, 450.0, &["Statiestraat", "Driekoningenstraat"]),
    place("Berchem", "Groenenhoek", 51.1895, 4.4340, 450.0, &["Grote Steenweg", "Koninklijkelaan"]),
    place("Hoboken", "Hoboken-Centrum", 51.1765, 4.3480, 500.0, &["Kioskplaats", "Kapelstraat"]),
    place("Hoboken", "Moretusburg", 51.1795, 4.3620, 400.0, &["Sint-Bernardsesteenweg"]),
    place("Hoboken", "Polderstad", 51.1695, 4.3505, 450.0, &[]),
    place("Merksem", "Merksem-Centrum", 51.2465, 4.4445, 550.0, &["Lambrechtshoekenlaan", "Terlindenhofstraat"]),
    place("Merksem", "Bredabaan", 51.2560, 4.4500, 500.0, &["Bredabaan", "Maantjessteenweg"]),
    place("Wilrijk", "Wilrijk-Centrum", 51.1685, 4.3950, 550.0, &["Bist", "Boomsesteenweg"]),
    place("Wilrijk", "Valaar", 51.1765, 4.4115, 450.0, &["Prins Boudewijnlaan"]),
    place("Ekeren", "Ekeren-Centrum", 51.2805, 4.4190, 600.0, &["Veltwijcklaan", "Kapelsesteenweg"]),
    place("Ekeren", "Donk", 51.2720, 4.4330, 500.0, &["Donksesteenweg"]),
    place("Berendrecht-Zandvliet-Lillo", "Berendrecht", 51.3425, 4.3125, 700.0, &[]),
    place("Berendrecht-Zandvliet-Lillo", "Zandvliet", 51.3620, 4.3050, 700.0, &[]),
    place("Berendrecht-Zandvliet-Lillo", "Lillo", 51.3040, 4.2890, 400.0, &[]),
];

/// Metres per degree of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;
/// Vertex radii, as fractions of the place's radius: enough irregularity to look
/// hand-drawn, never so much that the inner disc used for points pokes out.
const VERTEX_RADII: [f64; 6] = [1.0, 0.85, 1.1, 0.9, 1.05, 0.82];
/// Demo points fall within this fraction of the radius; the irregular hexagon always
/// contains that disc (its narrowest inner distance is above 0.6).
const POINT_RADIUS: f64 = 0.55;

impl Place {
    fn degrees(&self, north_m: f64, east_m: f64) -> (f64, f64) {
        let lat = self.lat + north_m / METRES_PER_DEGREE;
        let lon = self.lon + east_m / (METRES_PER_DEGREE * self.lat.to_radians().cos());
        (lat, lon)
    }

    /// A closed six-sided ring around the centre, counter-clockwise as RFC 7946
    /// asks, as GeoJSON Polygon text. `index` varies the shape from place to place.
    pub(super) fn boundary_geojson(&self, index: usize) -> String {
        let mut ring: Vec<[f64; 2]> = (0..6)
            .map(|k| {
                let turn = (index + k) % VERTEX_RADII.len();
                let radius = self.radius_m * VERTEX_RADII[turn];
                // Up to ±10° off the regular hexagon's corners.
                let jitter = ((index * 37 + k * 11) % 21) as f64 - 10.0;
                let angle = (k as f64 * 60.0 + jitter).to_radians();
                let (lat, lon) = self.degrees(radius * angle.sin(), radius * angle.cos());
                [round6(lon), round6(lat)]
            })
            .collect();
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        json!({ "type": "Polygon", "coordinates": [ring] }).to_string()
    }

    /// Each of the place's streets as a GeoJSON LineString: made up like the boundary,
    /// a west–east line through the centre (the first street) or 0.3 radius north or
    /// south of it, 0.9 radius long, so it lies well inside the boundary. Real names,
    /// made-up lines: enough for "nearest street" to be tried in the demo.
    pub(super) fn street_lines(&self) -> Vec<(&'static str, String)> {
        const NORTH: [f64; 3] = [0.0, 0.3, -0.3];
        self.streets
            .iter()
            .zip(NORTH)
            .map(|(name, north)| {
                let (lat, west) = self.degrees(north * self.radius_m, -0.45 * self.radius_m);
                let (_, east) = self.degrees(north * self.radius_m, 0.45 * self.radius_m);
                let line = [[round6(west), round6(lat)], [round6(east), round6(lat)]];
                (*name, json!({ "type": "LineString", "coordinates": line }).to_string())
            })
            .collect()
    }

    /// A point well inside the boundary, uniformly spread over a disc.
    pub(super) fn point_within(&self, rng: &mut StdRng) -> (f64, f64) {
        let distance = self.radius_m * POINT_RADIUS * rng.gen::<f64>().sqrt();
        let angle = rng.gen_range(0.0..std::f64::consts::TAU);
        let (lat, lon) = self.degrees(distance * angle.sin(), distance * angle.cos());
        (round6(lat), round6(lon))
    }
}

/// Six decimals is about 10 cm: as precise as a phone's fix, and readable.
fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Ray casting over the exterior ring of a GeoJSON Polygon.
    fn inside(geojson: &str, lat: f64, lon: f64) -> bool {
        let parsed: serde_json::Value = serde_json::from_str(geojson).unwrap();
        let ring: Vec<(f64, f64)> = parsed["coordinates"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        let mut crossings = false;
        for pair in ring.windows(2) {
            let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
            if (y1 > lat) != (y2 > lat) && lon < x1 + (lat - y1) / (y2 - y1) * (x2 - x1) {
                crossings = !crossings;
            }
        }
        crossings
    }

    #[test]
    fn every_place_is_in_a_known_district_with_a_valid_boundary() {
        for (index, place) in PLACES.iter().enumerate() {
            assert!(DISTRICTS.contains(&place.district), "{}", place.name);
            let boundary = place.boundary_geojson(index);
            assert_eq!(domain::check_boundary(&boundary), Ok(()), "{}", place.name);
            assert!(inside(&boundary, place.lat, place.lon), "{} contains its centre", place.name);
        }
        for district in DISTRICTS {
            assert!(PLACES.iter().any(|p| p.district == district), "{district} has a neighbourhood");
        }
    }

    #[test]
    fn streets_lie_inside_their_boundary() {
        for (index, place) in PLACES.iter().enumerate() {
            let boundary = place.boundary_geojson(index);
            let lines = place.street_lines();
            assert_eq!(lines.len(), place.streets.len(), "{}: a line for every street", place.name);
            for (name, line) in lines {
                let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
                for p in parsed["coordinates"].as_array().unwrap() {
                    let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
                    assert!(inside(&boundary, lat, lon), "{name} in {} at {lat},{lon}", place.name);
                }
            }
        }
    }

    #[test]
    fn points_fall_inside_their_boundary() {
        let mut rng = StdRng::seed_from_u64(7);
        for (index, place) in PLACES.iter().enumerate() {
            let boundary = place.boundary_geojson(index);
            for _ in 0..200 {
                let (lat, lon) = place.point_within(&mut rng);
                assert!(inside(&boundary, lat, lon), "{} at {lat},{lon}", place.name);
            }
        }
    }
}
