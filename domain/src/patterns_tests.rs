use chrono::TimeZone;

use super::*;

/// A Brussels wall-clock moment.
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    CITY_ZONE.with_ymd_and_hms(y, m, d, h, min, 0).earliest().unwrap().with_timezone(&Utc)
}

/// 2026-12-07 is a Monday.
const MON: usize = 0;
const SUN: usize = 6;

#[test]
fn a_moment_weighs_one_in_its_own_hour() {
    let mut grid = HourOfWeek::default();
    assert!(grid.add(local(2026, 12, 7, 14, 35), None));
    assert_eq!(grid.cells[MON][14], 1.0);
    assert_eq!(grid.total(), 1.0);
}

#[test]
fn a_night_window_spreads_over_its_hours_across_midnight() {
    // Tuesday 22:00 to Wednesday 02:00: a quarter in each of four hours.
    let mut grid = HourOfWeek::default();
    assert!(grid.add(local(2026, 12, 8, 22, 0), Some(local(2026, 12, 9, 2, 0))));
    assert_eq!(grid.cells[1][22], 0.25);
    assert_eq!(grid.cells[1][23], 0.25);
    assert_eq!(grid.cells[2][0], 0.25);
    assert_eq!(grid.cells[2][1], 0.25);
    assert_eq!(grid.cells[1][21] + grid.cells[2][2], 0.0);
    assert!((grid.total() - 1.0).abs() < 1e-12);
}

#[test]
fn a_window_crosses_the_week_boundary() {
    // Sunday 22:00 to Monday 02:00 wraps from the last row to the first.
    let mut grid = HourOfWeek::default();
    assert!(grid.add(local(2026, 12, 13, 22, 0), Some(local(2026, 12, 14, 2, 0))));
    assert_eq!(grid.cells[SUN][22], 0.25);
    assert_eq!(grid.cells[SUN][23], 0.25);
    assert_eq!(grid.cells[MON][0], 0.25);
    assert_eq!(grid.cells[MON][1], 0.25);
}

#[test]
fn partial_hours_weigh_by_the_time_they_cover() {
    // 21:30 to 23:00: half an hour of 90 minutes in the 21:00 cell, a full hour in 22:00.
    let mut grid = HourOfWeek::default();
    assert!(grid.add(local(2026, 12, 8, 21, 30), Some(local(2026, 12, 8, 23, 0))));
    assert!((grid.cells[1][21] - 1.0 / 3.0).abs() < 1e-12);
    assert!((grid.cells[1][22] - 2.0 / 3.0).abs() < 1e-12);
}

#[test]
fn the_25_hour_day_puts_both_of_its_two_oclock_hours_in_one_cell() {
    // Sunday 25 October 2026: 02:00–03:00 happens twice. 00:00 to 04:00 local is five
    // real hours, a fifth each, and the 02:00 cell gets two fifths.
    let mut grid = HourOfWeek::default();
    let start = local(2026, 10, 25, 0, 0);
    let end = CITY_ZONE.with_ymd_and_hms(2026, 10, 25, 4, 0, 0).single().unwrap().with_timezone(&Utc);
    assert_eq!(end - start, Duration::hours(5));
    assert!(grid.add(start, Some(end)));
    assert!((grid.cells[SUN][0] - 0.2).abs() < 1e-12);
    assert!((grid.cells[SUN][1] - 0.2).abs() < 1e-12);
    assert!((grid.cells[SUN][2] - 0.4).abs() < 1e-12);
    assert!((grid.cells[SUN][3] - 0.2).abs() < 1e-12);
}

#[test]
fn the_23_hour_day_has_no_two_oclock_to_count() {
    // Sunday 29 March 2026: 02:00 does not happen. 01:00 to 04:00 local is two real hours.
    let mut grid = HourOfWeek::default();
    assert!(grid.add(local(2026, 3, 29, 1, 0), Some(local(2026, 3, 29, 4, 0))));
    assert_eq!(grid.cells[SUN][1], 0.5);
    assert_eq!(grid.cells[SUN][2], 0.0);
    assert_eq!(grid.cells[SUN][3], 0.5);
}

#[test]
fn backwards_and_vague_windows_are_left_out() {
    let mut grid = HourOfWeek::default();
    assert!(!grid.add(local(2026, 12, 8, 22, 0), Some(local(2026, 12, 8, 21, 0))));
    assert!(!grid.add(local(2026, 11, 1, 0, 0), Some(local(2026, 12, 1, 0, 0))));
    assert_eq!(grid.total(), 0.0);
    assert_eq!(grid.peak(), None);
}

#[test]
fn the_peak_is_the_heaviest_cell() {
    let mut grid = HourOfWeek::default();
    grid.add(local(2026, 12, 8, 22, 10), None);
    grid.add(local(2026, 12, 8, 22, 50), None);
    grid.add(local(2026, 12, 9, 9, 0), None);
    assert_eq!(grid.peak(), Some((1, 22, 2.0)));
}

/// A point `north` and `east` metres from the Groenplaats.
fn at(north: f64, east: f64) -> GeoPoint {
    let lat = 51.2194;
    GeoPoint { lat: lat + north / 111_195.0, lon: 4.4010 + east / (111_195.0 * lat.to_radians().cos()) }
}

#[test]
fn hot_spots_are_the_densest_places_first() {
    let points = vec![
        // Five signals within a few metres of each other.
        at(0.0, 0.0),
        at(5.0, 0.0),
        at(0.0, 8.0),
        at(-6.0, -3.0),
        at(10.0, 10.0),
        // Three, 300 m away.
        at(300.0, 0.0),
        at(310.0, 5.0),
        at(295.0, -5.0),
        // One alone.
        at(-800.0, 400.0),
    ];
    let spots = hot_spots(&points, 2, 10);
    assert_eq!(spots.len(), 2, "the lone signal is no hot spot: {spots:?}");
    assert_eq!(spots[0].members, vec![0, 1, 2, 3, 4]);
    assert_eq!(spots[1].members, vec![5, 6, 7]);
    for spot in &spots {
        for &m in &spot.members {
            assert!(spot.centre.distance_m(&points[m]) <= HOT_SPOT_RADIUS_M);
        }
    }
    assert_eq!(hot_spots(&points, 2, 1).len(), 1, "only the top one");
    assert_eq!(hot_spots(&points, 1, 10).len(), 3, "a single signal is a spot of one when asked");
}

#[test]
fn a_street_of_signals_is_cut_into_walkable_spots_not_chained() {
    // Signals every 30 m along 600 m of a street: single linkage would make one spot.
    let points: Vec<GeoPoint> = (0..21).map(|i| at(0.0, 30.0 * i as f64)).collect();
    let spots = hot_spots(&points, 2, 100);
    assert!(spots.len() >= 5, "{} spots", spots.len());
    for spot in &spots {
        assert!(spot.members.len() <= 4, "a 100 m spot holds at most four of them");
    }
    let covered: usize = spots.iter().map(|s| s.members.len()).sum();
    assert!(covered <= points.len());
}

#[test]
fn neighbours_across_a_grid_cell_edge_are_found() {
    // Brute force against the grid, on points scattered over a few hundred metres.
    let points: Vec<GeoPoint> =
        (0..200).map(|i| at(((i * 37) % 400) as f64 - 200.0, ((i * 91) % 400) as f64 - 200.0)).collect();
    let grid = Grid::new(&points);
    for i in 0..points.len() {
        let brute: Vec<usize> =
            (0..points.len()).filter(|&j| points[i].distance_m(&points[j]) <= HOT_SPOT_RADIUS_M).collect();
        assert_eq!(grid.within(&points, i), brute, "point {i}");
    }
}
