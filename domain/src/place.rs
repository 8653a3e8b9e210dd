//! Where something happened: a GPS fix with its accuracy, or a street picked by hand.

use serde::{Deserialize, Serialize};

use crate::validation::{Problem, ValidationErrors};

/// GPS fixes less precise than this are kept but flagged: a 3 km "fix" is not a place.
pub const ACCURACY_WARNING_METRES: f64 = 50.0;

/// A "fix" less precise than this does not even tell the district (Antwerp is about
/// 20 km across): it is refused, not stored as a place.
pub const MAX_ACCURACY_METRES: f64 = 10_000.0;

/// A WGS84 point (GeoJSON order is lon/lat; fields are named to avoid that trap).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    pub fn new(lat: f64, lon: f64) -> Option<Self> {
        (Self::valid_lat(lat) && Self::valid_lon(lon)).then_some(Self { lat, lon })
    }

    /// A range check also refuses NaN (which no range contains) and the infinities.
    fn valid_lat(lat: f64) -> bool {
        (-90.0..=90.0).contains(&lat)
    }

    fn valid_lon(lon: f64) -> bool {
        (-180.0..=180.0).contains(&lon)
    }

    /// Great-circle distance in metres (haversine on a sphere of the Earth's mean
    /// radius): off by under 0.5 %, far less than a phone's GPS error.
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (phi1, phi2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_phi = (other.lat - self.lat).to_radians();
        let d_lambda = (other.lon - self.lon).to_radians();
        let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

/// The place of a contact or signal. A neighbourhood is always known; a point and a
/// street are optional, because GPS is often off or useless between tall buildings.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub point: Option<GeoPoint>,
    /// Accuracy of `point` in metres as the phone reported it.
    pub accuracy_m: Option<f64>,
    pub street: Option<String>,
}

impl Location {
    /// True when a GPS fix is present but too imprecise to trust.
    pub fn is_imprecise(&self) -> bool {
        self.accuracy_m.is_some_and(|a| a > ACCURACY_WARNING_METRES)
    }

    /// Builds a location from optional form values, recording problems under `lat`,
    /// `lon` and `accuracy_m`. Half a coordinate is refused rather than guessed.
    pub(crate) fn from_parts(
        errors: &mut ValidationErrors,
        lat: Option<f64>,
        lon: Option<f64>,
        accuracy_m: Option<f64>,
        street: Option<String>,
    ) -> Self {
        let point = match (lat, lon) {
            (Some(lat), Some(lon)) => GeoPoint::new(lat, lon).or_else(|| {
                // Each coordinate on its own, so the phone's reason names the wrong one.
                if !GeoPoint::valid_lat(lat) {
                    errors.push("lat", Problem::OutOfRange);
                }
                if !GeoPoint::valid_lon(lon) {
                    errors.push("lon", Problem::OutOfRange);
                }
                None
            }),
            (None, None) => None,
            (None, Some(_)) => {
                errors.push("lat", Problem::Required);
                None
            }
            (Some(_), None) => {
                errors.push("lon", Problem::Required);
                None
            }
        };
        let accuracy_m = accuracy_m.filter(|_| point.is_some());
        if accuracy_m.is_some_and(|a| !(0.0..=MAX_ACCURACY_METRES).contains(&a)) {
            errors.push("accuracy_m", Problem::OutOfRange);
        }
        Self { point, accuracy_m, street }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_outside_the_globe_are_refused() {
        assert!(GeoPoint::new(51.22, 4.40).is_some());
        assert!(GeoPoint::new(91.0, 4.40).is_none());
        assert!(GeoPoint::new(51.0, f64::NAN).is_none());
    }

    #[test]
    fn half_a_coordinate_is_an_error() {
        let mut errors = ValidationErrors::default();
        let loc = Location::from_parts(&mut errors, Some(51.2), None, None, None);
        assert!(loc.point.is_none());
        assert_eq!(errors.for_field("lon"), Some(&Problem::Required));
    }

    #[test]
    fn each_coordinate_out_of_range_is_named() {
        let mut errors = ValidationErrors::default();
        Location::from_parts(&mut errors, Some(51.2), Some(180.5), None, None);
        assert_eq!((errors.for_field("lat"), errors.for_field("lon")), (None, Some(&Problem::OutOfRange)));
        let mut errors = ValidationErrors::default();
        Location::from_parts(&mut errors, Some(f64::NAN), Some(f64::INFINITY), None, None);
        assert_eq!(errors.for_field("lat"), Some(&Problem::OutOfRange));
        assert_eq!(errors.for_field("lon"), Some(&Problem::OutOfRange));
        let mut errors = ValidationErrors::default();
        assert!(Location::from_parts(&mut errors, Some(-90.0), Some(180.0), None, None).point.is_some(), "edges");
        assert!(errors.is_empty());
    }

    #[test]
    fn an_accuracy_must_be_finite_and_at_most_ten_kilometres() {
        for refused in [1e308, f64::INFINITY, f64::NAN, -1.0, MAX_ACCURACY_METRES + 0.5] {
            let mut errors = ValidationErrors::default();
            Location::from_parts(&mut errors, Some(51.2), Some(4.4), Some(refused), None);
            assert_eq!(errors.for_field("accuracy_m"), Some(&Problem::OutOfRange), "{refused}");
        }
        for kept in [0.0, 8.0, MAX_ACCURACY_METRES] {
            let mut errors = ValidationErrors::default();
            let loc = Location::from_parts(&mut errors, Some(51.2), Some(4.4), Some(kept), None);
            assert!(errors.is_empty(), "{kept}: {errors:?}");
            assert_eq!(loc.accuracy_m, Some(kept));
        }
    }

    #[test]
    fn imprecise_fix_is_flagged_not_refused() {
        let mut errors = ValidationErrors::default();
        let loc = Location::from_parts(&mut errors, Some(51.2), Some(4.4), Some(3000.0), None);
        assert!(errors.is_empty());
        assert!(loc.is_imprecise());
    }
}
