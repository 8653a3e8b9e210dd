//! Patrol hours as data, and the advice drawn from them: the hours in which signals
//! concentrate that the team's weekly schedule misses, and for a hot spot a plan of
//! short visits at irregular times within those hours.
//!
//! The visit plan follows the hot-spot evidence: visits of about 10–16 minutes lower
//! the chance of an incident in the next half hour more than a drive-by (Koper, 1995);
//! the Sacramento trial visited assigned spots for 12–16 minutes in random order
//! (Telep, Mitchell & Weisburd, 2014). Irregular times keep the visits from being
//! predictable.

use chrono::{NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

use crate::codes::Mobility;
use crate::ids::{NeighbourhoodId, UserId};
use crate::patterns::HourOfWeek;

/// One weekly block of patrol in a neighbourhood: on `day`, from `start` to `end`
/// (an `end` at or before `start` runs past midnight into the next day).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatrolBlock {
    pub neighbourhood_id: NeighbourhoodId,
    pub day: Weekday,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub mobility: Mobility,
    pub officers: Vec<UserId>,
}

impl PatrolBlock {
    /// The hours of the week (day from Monday = 0, hour) the block touches, a started
    /// hour counting as covered.
    pub fn hours(&self) -> impl Iterator<Item = (usize, usize)> {
        let day = self.day.num_days_from_monday() as usize;
        let first = self.start.hour() as usize;
        let end_minutes = (self.end.hour() * 60 + self.end.minute()) as usize;
        let start_minutes = first * 60 + self.start.minute() as usize;
        // Past midnight: the end counts on from the start of the day.
        let end_minutes = if end_minutes <= start_minutes { end_minutes + 24 * 60 } else { end_minutes };
        let last = end_minutes.div_ceil(60);
        (first..last).map(move |h| ((day + h / 24) % 7, h % 24))
    }
}

/// Which hours of the week a neighbourhood's schedule covers.
pub fn coverage(blocks: &[PatrolBlock], neighbourhood: NeighbourhoodId) -> [[bool; 24]; 7] {
    let mut covered = [[false; 24]; 7];
    for block in blocks.iter().filter(|b| b.neighbourhood_id == neighbourhood) {
        for (day, hour) in block.hours() {
            covered[day][hour] = true;
        }
    }
    covered
}

/// A stretch of consecutive uncovered hours where signals concentrate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisedHours {
    /// Monday = 0.
    pub day: usize,
    pub start_hour: usize,
    /// Hours in the stretch; it may run past midnight into the next day.
    pub hours: usize,
    /// The signals (aoristic weight) in those hours during the period.
    pub signals: f64,
    /// Their share of all signals of the period.
    pub share: f64,
}

/// An hour is a concentration when it holds at least this many times the average
/// hour's weight: twice the average is where a team notices a pattern, and below it
/// the advice would list half the week.
pub const CONCENTRATION_FACTOR: f64 = 2.0;

/// The stretches of hours that hold a concentration of signals and that no patrol
/// covers, the heaviest first, at most `top`. Each stretch joins neighbouring
/// concentrated hours (also across midnight and from Sunday to Monday).
pub fn advise(signals: &HourOfWeek, covered: &[[bool; 24]; 7], top: usize) -> Vec<AdvisedHours> {
    let total = signals.total();
    if total <= 0.0 {
        return Vec::new();
    }
    let threshold = CONCENTRATION_FACTOR * total / (7.0 * 24.0);
    let at = |i: usize| (i / 24 % 7, i % 24);
    let hot = |i: usize| {
        let (d, h) = at(i);
        !covered[d][h] && signals.cells[d][h] >= threshold
    };
    // Start each stretch after an hour that is not hot, so that a stretch running over
    // Sunday midnight is found whole. A week where every hour is hot is one stretch.
    let Some(first_cold) = (0..168).find(|&i| !hot(i)) else {
        return vec![AdvisedHours { day: 0, start_hour: 0, hours: 168, signals: total, share: 1.0 }];
    };
    let mut stretches = Vec::new();
    let mut i = first_cold + 1;
    while i <= first_cold + 168 {
        if !hot(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut weight = 0.0;
        while hot(i) && i < start + 168 {
            let (d, h) = at(i);
            weight += signals.cells[d][h];
            i += 1;
        }
        let (day, start_hour) = at(start);
        stretches.push(AdvisedHours { day, start_hour, hours: i - start, signals: weight, share: weight / total });
    }
    stretches.sort_by(|a, b| b.signals.total_cmp(&a.signals).then((a.day, a.start_hour).cmp(&(b.day, b.start_hour))));
    stretches.truncate(top);
    stretches
}

/// One planned visit to a hot spot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// Monday = 0.
    pub day: usize,
    /// Minutes after the day's midnight.
    pub start_minute: usize,
    pub minutes: usize,
}

/// How long a visit lasts: the middle of the 10–16 minutes the evidence supports.
pub const VISIT_MINUTES: usize = 15;

/// Visits must be at least this far apart, so that each one covers its own half hour.
pub const VISIT_GAP_MINUTES: usize = 30;

/// Up to `count` visits of [`VISIT_MINUTES`] at irregular times within the advised
/// hours, at least [`VISIT_GAP_MINUTES`] apart, in time order. `seed` makes a week's
/// plan reproducible (the same plan on every phone) yet different from week to week.
pub fn visit_plan(advised: &AdvisedHours, count: usize, seed: u64) -> Vec<Visit> {
    let window = advised.hours * 60;
    if window < VISIT_MINUTES {
        return Vec::new();
    }
    // Each visit takes its own slot; a window too short for the count gets fewer.
    let slot = VISIT_MINUTES + VISIT_GAP_MINUTES;
    let count = count.min((window - VISIT_MINUTES) / slot + 1);
    if count == 0 {
        return Vec::new();
    }
    // Spread the slack (the time not needed by visits and gaps) at random over the
    // count + 1 spaces around the visits: irregular, never overlapping.
    let slack = window - (count * VISIT_MINUTES + (count - 1) * VISIT_GAP_MINUTES);
    let mut rng = SplitMix(seed);
    let mut cuts: Vec<usize> = (0..count).map(|_| (rng.next() % (slack as u64 + 1)) as usize).collect();
    cuts.sort_unstable();
    let base = advised.day * 24 * 60 + advised.start_hour * 60;
    cuts.iter()
        .enumerate()
        .map(|(k, cut)| {
            let at = base + cut + k * slot;
            Visit { day: at / (24 * 60) % 7, start_minute: at % (24 * 60), minutes: VISIT_MINUTES }
        })
        .collect()
}

/// A tiny deterministic generator (SplitMix64): the plan needs reproducible spread,
/// not cryptographic randomness, and the domain takes no dependency for it.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
#[path = "patrol_tests.rs"]
mod tests;
