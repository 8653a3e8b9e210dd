//! When an office can be reached, per channel (walk-in desk, by appointment, by
//! telephone), from hours written in OpenStreetMap's `opening_hours` syntax, evaluated
//! in Brussels time with the Belgian public holidays (`PH`) and exceptions such as
//! "Dec 24 16:00-24:00 off". Parsing and evaluating that syntax is the
//! `opening-hours` crate's job; this module says what a visitor needs to know.
//!
//! Server side only (feature `offices`): the public pages are rendered on the server
//! and work without JavaScript, and the crate's holiday data has no place in the
//! phone's bundle.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use opening_hours::localization::{Country, TzLocation};
use opening_hours::{Context, OpeningHours};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, EnumIter, EnumString, IntoStaticStr};

use crate::patterns::CITY_ZONE;

code_list! {
    /// How a person reaches an office.
    Channel { WalkIn, Appointment, Telephone }
}

/// The hours were not readable as `opening_hours`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("these opening hours cannot be read: {0}")]
pub struct HoursError(pub String);

/// A channel's hours, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Hours {
    raw: String,
    parsed: OpeningHours<TzLocation<Tz>>,
}

/// Where a channel stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelState {
    /// Open, and no change ahead (24/7).
    AlwaysOpen,
    OpenUntil(DateTime<Utc>),
    ClosedUntil(DateTime<Utc>),
    /// Closed with no opening ahead within the crate's horizon.
    Closed,
}

impl Hours {
    /// Reads `opening_hours` text; `PH` means the Belgian public holidays.
    pub fn parse(raw: &str) -> Result<Self, HoursError> {
        let raw = raw.trim();
        let parsed: OpeningHours = raw.parse().map_err(|e| HoursError(format!("{e}")))?;
        let context = Context::default().with_holidays(Country::BE.holidays()).with_locale(TzLocation::new(CITY_ZONE));
        Ok(Self { raw: raw.to_owned(), parsed: parsed.with_context(context) })
    }

    /// The text as written (and as OpenStreetMap and schema.org take it).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    pub fn state_at(&self, now: DateTime<Utc>) -> ChannelState {
        let local = now.with_timezone(&CITY_ZONE);
        let open = self.parsed.is_open(local);
        match (open, self.parsed.next_change(local).map(|at| at.with_timezone(&Utc))) {
            (true, None) => ChannelState::AlwaysOpen,
            (true, Some(at)) => ChannelState::OpenUntil(at),
            (false, Some(at)) => ChannelState::ClosedUntil(at),
            (false, None) => ChannelState::Closed,
        }
    }

    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        matches!(self.state_at(now), ChannelState::AlwaysOpen | ChannelState::OpenUntil(_))
    }
}

/// What a visit to the office takes right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitNow {
    /// The desk is open: come in, no appointment needed.
    WalkIn,
    /// The desk is closed but appointments are possible; the desk opens again then.
    AppointmentOnly { desk_opens: Option<DateTime<Utc>> },
    /// Neither: the desk opens again then (`None`: not within sight).
    Closed { desk_opens: Option<DateTime<Utc>> },
}

/// Whether a visit needs an appointment at `now`, from the desk's and the
/// appointment channel's hours (either may be missing for an office).
pub fn visit_now(desk: Option<&Hours>, appointment: Option<&Hours>, now: DateTime<Utc>) -> VisitNow {
    let desk_state = desk.map(|h| h.state_at(now));
    if matches!(desk_state, Some(ChannelState::AlwaysOpen | ChannelState::OpenUntil(_))) {
        return VisitNow::WalkIn;
    }
    let desk_opens = match desk_state {
        Some(ChannelState::ClosedUntil(at)) => Some(at),
        _ => None,
    };
    // Appointments are made ahead for the channel's hours: any such hours ahead mean
    // a visit can be booked now.
    let bookable = appointment.is_some_and(|h| !matches!(h.state_at(now), ChannelState::Closed));
    if bookable {
        VisitNow::AppointmentOnly { desk_opens }
    } else {
        VisitNow::Closed { desk_opens }
    }
}

#[cfg(test)]
#[path = "office_hours_tests.rs"]
mod tests;
