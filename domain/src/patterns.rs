//! Patterns by hour and place: the hour-of-week heat map with aoristic counting, and
//! the hot spots where signals concentrate.
//!
//! Aoristic counting (Ratcliffe): an event known only to lie in a window ("last night")
//! has weight 1, spread over the window's hours in proportion to the time each hour
//! covers. Putting it on the window's start misleads (Ashby & Bowers tested both
//! against CCTV-timed thefts). Hours are the city's wall-clock hours, so a 25-hour day
//! in October adds both of its 02:00 hours to the 02:00 cell, and a 23-hour day in March
//! has nothing to add to a 02:00 that did not happen.

use chrono::{DateTime, Datelike, Duration, DurationRound, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::place::GeoPoint;

/// The city's time zone: patrol hours and "last night" are Brussels wall-clock time.
pub const CITY_ZONE: Tz = chrono_tz::Europe::Brussels;

/// Longest window spread over the hours; a longer one ("some time last month") says
/// nothing about the hour and is left out of the heat map, not smeared over it.
pub const MAX_WINDOW_HOURS: i64 = 7 * 24;

/// A 7 × 24 grid of weights: `cells[day][hour]`, Monday = 0, hour in the city's time.
#[derive(Debug, Clone, PartialEq)]
pub struct HourOfWeek {
    pub cells: [[f64; 24]; 7],
}

impl Default for HourOfWeek {
    fn default() -> Self {
        Self { cells: [[0.0; 24]; 7] }
    }
}

impl HourOfWeek {
    /// Adds one event that happened at `start`, or somewhere between `start` and `end`.
    /// Returns false (and adds nothing) when the window is backwards or too long.
    pub fn add(&mut self, start: DateTime<Utc>, end: Option<DateTime<Utc>>) -> bool {
        let end = end.unwrap_or(start);
        if end < start || end - start > Duration::hours(MAX_WINDOW_HOURS) {
            return false;
        }
        if end == start {
            self.add_weight(start, 1.0);
            return true;
        }
        let total = (end - start).num_seconds().max(1) as f64;
        // Brussels's offsets are whole hours, so UTC hour boundaries are local ones.
        let mut from = start;
        while from < end {
            let next_hour = from.duration_trunc(Duration::hours(1)).unwrap_or(from) + Duration::hours(1);
            let to = next_hour.min(end);
            self.add_weight(from, (to - from).num_seconds() as f64 / total);
            from = to;
        }
        true
    }

    fn add_weight(&mut self, at: DateTime<Utc>, weight: f64) {
        let local = CITY_ZONE.from_utc_datetime(&at.naive_utc());
        let day = local.weekday().num_days_from_monday() as usize;
        self.cells[day][local.hour() as usize] += weight;
    }

    pub fn total(&self) -> f64 {
        self.cells.iter().flatten().sum()
    }

    /// The cell with the highest weight (the first one on a tie): (day, hour, weight).
    pub fn peak(&self) -> Option<(usize, usize, f64)> {
        let mut best: Option<(usize, usize, f64)> = None;
        for (day, hours) in self.cells.iter().enumerate() {
            for (hour, &w) in hours.iter().enumerate() {
                if w > 0.0 && best.is_none_or(|(_, _, b)| w > b) {
                    best = Some((day, hour, w));
                }
            }
        }
        best
    }
}

/// How close signals must lie to count as one place.
pub const HOT_SPOT_RADIUS_M: f64 = 50.0;

/// A place where signals concentrate: the members are indexes into the input.
#[derive(Debug, Clone, PartialEq)]
pub struct HotSpot {
    /// The signal with the most others within the radius.
    pub centre: GeoPoint,
    pub members: Vec<usize>,
}

/// Groups points into hot spots of at most `HOT_SPOT_RADIUS_M` around a centre, the
/// densest first, and returns the `top` largest with at least `min_size` members.
///
/// Greedy: the point with the most neighbours within the radius becomes a centre and
/// takes its neighbours out; repeat. A cluster is thus never wider than 100 m, which a
/// team can walk in a short visit, unlike single-linkage chains that run down a street.
/// Neighbours are found through a grid of radius-sized cells, so a month of a city's
/// signals (thousands) stays far from the quadratic cost.
pub fn hot_spots(points: &[GeoPoint], min_size: usize, top: usize) -> Vec<HotSpot> {
    let grid = Grid::new(points);
    let neighbours: Vec<Vec<usize>> = (0..points.len()).map(|i| grid.within(points, i)).collect();
    let mut taken = vec![false; points.len()];
    let mut order: Vec<usize> = (0..points.len()).collect();
    let mut spots = Vec::new();
    loop {
        // Recount what is still free: a point taken by a denser spot no longer counts.
        let free = |i: &usize| neighbours[*i].iter().filter(|&&j| !taken[j]).count();
        order.retain(|&i| !taken[i]);
        let Some(&centre) = order.iter().max_by(|a, b| free(a).cmp(&free(b)).then(b.cmp(a))) else { break };
        let members: Vec<usize> = neighbours[centre].iter().copied().filter(|&j| !taken[j]).collect();
        if members.len() < min_size.max(1) || spots.len() == top {
            break;
        }
        for &j in &members {
            taken[j] = true;
        }
        spots.push(HotSpot { centre: points[centre], members });
    }
    spots
}

/// Points bucketed by cells at least one radius wide, for the neighbour search.
struct Grid {
    lat_cell: f64,
    lon_cell: f64,
    cells: std::collections::HashMap<(i64, i64), Vec<usize>>,
}

/// Degrees of latitude per metre, rounded up (a degree is 110.6 to 111.7 km); a degree
/// of longitude is shorter by cos(latitude).
const DEG_PER_M: f64 = 1.0 / 110_000.0;

impl Grid {
    fn key(&self, p: &GeoPoint) -> (i64, i64) {
        ((p.lat / self.lat_cell).floor() as i64, (p.lon / self.lon_cell).floor() as i64)
    }

    fn new(points: &[GeoPoint]) -> Self {
        // One cell width for the whole set, taken where a degree of longitude is
        // shortest, so that no neighbour lies more than one cell away.
        let widest = points.iter().map(|p| p.lat.abs()).fold(0.0, f64::max).min(89.0);
        let lat_cell = HOT_SPOT_RADIUS_M * DEG_PER_M;
        let mut grid =
            Self { lat_cell, lon_cell: lat_cell / widest.to_radians().cos(), cells: std::collections::HashMap::new() };
        for (i, p) in points.iter().enumerate() {
            let key = grid.key(p);
            grid.cells.entry(key).or_default().push(i);
        }
        grid
    }

    /// Every point within the radius of point `i`, itself included, in index order.
    fn within(&self, points: &[GeoPoint], i: usize) -> Vec<usize> {
        let (a, b) = self.key(&points[i]);
        let mut found: Vec<usize> = (a - 1..=a + 1)
            .flat_map(|x| (b - 1..=b + 1).map(move |y| (x, y)))
            .filter_map(|k| self.cells.get(&k))
            .flatten()
            .copied()
            .filter(|&j| points[i].distance_m(&points[j]) <= HOT_SPOT_RADIUS_M)
            .collect();
        found.sort_unstable();
        found
    }
}

#[cfg(test)]
#[path = "patterns_tests.rs"]
mod tests;
