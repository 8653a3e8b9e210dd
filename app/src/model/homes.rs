//! What the role homes show (issue 10). Each role's part is `None` (or empty) for
//! those the policy gives no such part; the server decides from the capabilities.

use domain::RecordId;
use serde::{Deserialize, Serialize};

use super::{Choice, ContactRow, SignalRow, SyncedWhat};

/// A logged-in person's home.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct HomeScreen {
    /// The team's entries of today (officers and team leads).
    pub today: Option<DayRows>,
    /// Open signals of the team, urgent first (officers).
    pub open_signals: Option<Vec<SignalRow>>,
    /// What the team lead decides today.
    pub decisions: Option<Decisions>,
    /// The team's urgent open signals and recent contacts without notes (intervention).
    pub briefing: Option<Briefing>,
    /// Signals referred to a city service, overdue first.
    pub referred: Option<Vec<ReferralRow>>,
    /// A partner's organisation's signals and the neighbourhood finder.
    pub partner: Option<PartnerHome>,
    /// Days without a status change after which a referral is overdue.
    pub overdue_days: i64,
}

/// One page of the team's day, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayRows {
    pub rows: Vec<DayRow>,
    /// The cursor of the next (older) page, for `/?before=…`; `None` on the last.
    pub next: Option<String>,
    /// Whether this page is a later one (a way back to the newest is offered).
    pub paged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayRow {
    pub id: RecordId,
    pub what: SyncedWhat,
    pub author: String,
    /// Logged by the person looking.
    pub mine: bool,
    /// "14:05".
    pub time_local: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decisions {
    pub conflicts: usize,
    pub urgent: Vec<SignalRow>,
    pub waiting_referrals: Vec<ReferralRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Briefing {
    pub urgent: Vec<SignalRow>,
    pub contacts: Vec<ContactRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralRow {
    pub signal: SignalRow,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerHome {
    /// Where "since your last visit" starts; `None` on a first visit.
    pub since_local: Option<String>,
    /// Changed since the last visit, latest change first, with when.
    pub changed: Vec<(SignalRow, String)>,
    pub others: Vec<SignalRow>,
    pub finder: Finder,
}

/// The neighbourhood finder: what was typed or where the person stood, what matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Finder {
    pub typed: String,
    pub asked: bool,
    /// A location was given and lies in no neighbourhood.
    pub outside: bool,
    pub found: Vec<Choice>,
}
