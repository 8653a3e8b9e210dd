//! A signal's workflow: who may move it from which status to which, and what each
//! move must name. The table below is the rule; the UI offers only the moves it
//! allows, and the server refuses the others, offline edits included.
//!
//! new → acknowledged → referred (to a named partner or city service) → in progress →
//! resolved, plus duplicate (of a named signal) and no further action (with a reason),
//! each of which the team can reopen.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use strum::{AsRefStr, EnumIter, EnumString, IntoStaticStr};

use crate::codes::{SignalCategory, SignalStatus};
use crate::ids::{OrgId, RecordId, UserId};
use crate::place::GeoPoint;

code_list! {
    /// Where a signal stands in its workflow.
    WorkflowStatus { New, Acknowledged, Referred, InProgress, Resolved, Duplicate, NoFurtherAction }
}

code_list! {
    /// Why a signal needs no further action; a code, so that it can be counted and
    /// carries no personal data.
    NoActionReason { NotPolice, InsufficientInformation, AlreadyHandled, NotReproducible, Other }
}

/// Who asks to move a signal, as far as the workflow is concerned. Whether the person
/// may touch the signal at all is the policy's (`crate::policy`); this says only which
/// moves each side of the referral makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// An officer or team lead of the signal's team.
    Team,
    /// A member of the organisation the signal is referred to (a partner or city service).
    Referee,
}

/// A requested change of status, with what it must name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Move {
    Acknowledge,
    Refer {
        org_id: OrgId,
    },
    Start,
    Resolve,
    MarkDuplicate {
        original: RecordId,
    },
    CloseWithoutAction {
        reason: NoActionReason,
    },
    /// Back to acknowledged: the problem came back, or a closing was a mistake.
    Reopen,
}

impl Move {
    /// The status the move leads to.
    pub fn target(&self) -> WorkflowStatus {
        match self {
            Move::Acknowledge | Move::Reopen => WorkflowStatus::Acknowledged,
            Move::Refer { .. } => WorkflowStatus::Referred,
            Move::Start => WorkflowStatus::InProgress,
            Move::Resolve => WorkflowStatus::Resolved,
            Move::MarkDuplicate { .. } => WorkflowStatus::Duplicate,
            Move::CloseWithoutAction { .. } => WorkflowStatus::NoFurtherAction,
        }
    }
}

/// Who may make a move of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    TeamOnly,
    TeamOrReferee,
}

use WorkflowStatus as S;

/// Every allowed move: from, to, who. A move not in this table is refused.
const TRANSITIONS: &[(WorkflowStatus, WorkflowStatus, Who)] = &[
    (S::New, S::Acknowledged, Who::TeamOnly),
    (S::New, S::Referred, Who::TeamOnly),
    (S::Acknowledged, S::Referred, Who::TeamOnly),
    // Passed on to another organisation (the first one said it is not theirs).
    (S::Referred, S::Referred, Who::TeamOnly),
    (S::New, S::InProgress, Who::TeamOnly),
    (S::Acknowledged, S::InProgress, Who::TeamOnly),
    (S::Referred, S::InProgress, Who::TeamOrReferee),
    (S::Acknowledged, S::Resolved, Who::TeamOnly),
    (S::Referred, S::Resolved, Who::TeamOrReferee),
    (S::InProgress, S::Resolved, Who::TeamOrReferee),
    (S::New, S::Duplicate, Who::TeamOnly),
    (S::Acknowledged, S::Duplicate, Who::TeamOnly),
    (S::Referred, S::Duplicate, Who::TeamOnly),
    (S::InProgress, S::Duplicate, Who::TeamOnly),
    (S::New, S::NoFurtherAction, Who::TeamOnly),
    (S::Acknowledged, S::NoFurtherAction, Who::TeamOnly),
    (S::Referred, S::NoFurtherAction, Who::TeamOnly),
    (S::InProgress, S::NoFurtherAction, Who::TeamOnly),
    (S::Resolved, S::Acknowledged, Who::TeamOnly),
    (S::Duplicate, S::Acknowledged, Who::TeamOnly),
    (S::NoFurtherAction, S::Acknowledged, Who::TeamOnly),
];

/// Why a move was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefused {
    #[error("a signal cannot go from {from} to {to}")]
    NotAllowed { from: WorkflowStatus, to: WorkflowStatus },
    #[error("only the signal's team may make this change")]
    TeamOnly,
    #[error("a signal cannot be a duplicate of itself")]
    DuplicateOfItself,
    #[error("the signal is already referred to this organisation")]
    SameReferee,
}

/// Checks a move against the table. `current_referee` is the organisation the signal
/// is referred to now, if any.
pub fn check_move(
    signal: RecordId,
    from: WorkflowStatus,
    current_referee: Option<OrgId>,
    by: Mover,
    requested: &Move,
) -> Result<WorkflowStatus, MoveRefused> {
    let to = requested.target();
    let (_, _, who) =
        TRANSITIONS.iter().find(|(f, t, _)| *f == from && *t == to).ok_or(MoveRefused::NotAllowed { from, to })?;
    if *who == Who::TeamOnly && by != Mover::Team {
        return Err(MoveRefused::TeamOnly);
    }
    match requested {
        Move::MarkDuplicate { original } if *original == signal => Err(MoveRefused::DuplicateOfItself),
        Move::Refer { org_id } if Some(*org_id) == current_referee => Err(MoveRefused::SameReferee),
        _ => Ok(to),
    }
}

/// The moves a person on this side may make from a status, in the table's order:
/// what the UI offers.
pub fn moves_from(from: WorkflowStatus, by: Mover) -> impl Iterator<Item = WorkflowStatus> {
    TRANSITIONS
        .iter()
        .filter(move |(f, _, who)| *f == from && (by == Mover::Team || *who == Who::TeamOrReferee))
        .map(|(_, to, _)| *to)
}

/// True when nobody is working on the signal any more.
pub fn is_closed(status: WorkflowStatus) -> bool {
    matches!(status, S::Resolved | S::Duplicate | S::NoFurtherAction)
}

/// A status change as kept in the signal's history: who, when, and a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub from: WorkflowStatus,
    pub change: Move,
    /// Free text for the team; never shown to the reporter (that is the feedback).
    pub note: Option<String>,
}

/// The status an existing signal gets when the workflow arrives. A referral that never
/// named anyone cannot be "referred" (it must name to whom): the team has read it, so
/// it is acknowledged, and the team refers it again to someone named.
pub fn migrate(old: SignalStatus, referred_to: Option<OrgId>) -> WorkflowStatus {
    match old {
        SignalStatus::Open => S::New,
        SignalStatus::InProgress => S::InProgress,
        SignalStatus::Referred if referred_to.is_some() => S::Referred,
        SignalStatus::Referred => S::Acknowledged,
        SignalStatus::Resolved => S::Resolved,
    }
}

/// How long after a problem was resolved a new signal of the same kind in the same
/// place makes it recurring, unless the city sets otherwise.
pub const DEFAULT_RECURRENCE_DAYS: i64 = 30;

/// How close a new signal must be to count as the same place.
pub const RECURRENCE_RADIUS_M: f64 = 50.0;

/// A resolved problem, as far as recurrence is concerned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    pub category: SignalCategory,
    pub point: GeoPoint,
    pub resolved_at: DateTime<Utc>,
}

/// True when a new signal (its category, place and moment) brings a resolved problem
/// back: same category, within the radius, within `window` after it was resolved.
pub fn is_recurrence(
    problem: &Resolved,
    category: SignalCategory,
    point: &GeoPoint,
    at: DateTime<Utc>,
    window: Duration,
) -> bool {
    problem.category == category
        && at >= problem.resolved_at
        && at - problem.resolved_at <= window
        && problem.point.distance_m(point) <= RECURRENCE_RADIUS_M
}

#[cfg(test)]
#[path = "workflow_tests.rs"]
mod tests;
