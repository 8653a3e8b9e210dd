//! The one way a new contact or signal is prepared for the store, for the web form and
//! the phone's push alike: the draft's own rules, then its neighbourhood's team, then
//! the policy (and, for a signal, the link it names). Each path only says the outcome
//! in its own way: the form as an error page or field messages, the push as a
//! per-mutation receipt.

use domain::TeamId;
use domain::{NeighbourhoodId, RecordId};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{Authorship, ContactDraft, NeighbourhoodSignal, Problem, SignalDraft, StreetContact, ValidationErrors};

use crate::{Action, Actor, Decision, Resource, ServiceError, Services};

/// Why a draft does not become a record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NotPrepared {
    /// The draft breaks its own rules, names an unknown neighbourhood, or links to a
    /// signal the author may not link to: every field named.
    Invalid(ValidationErrors),
    /// The policy hides the place from this person: another team's neighbourhood.
    Hidden,
    /// Not this person's to record at all.
    Forbidden,
}

impl NotPrepared {
    fn from_decision(decision: Decision) -> Option<Self> {
        match decision {
            Decision::Allow => None,
            Decision::Hidden => Some(Self::Hidden),
            Decision::Forbidden => Some(Self::Forbidden),
        }
    }
}

/// The new record's identity: its id (the phone's mutation id, or one the server
/// makes for the form) and the moment the server received it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewRecord {
    pub id: RecordId,
    pub now: DateTime<Utc>,
}

/// Every neighbourhood's team, read once: a push prepares many entries against it.
pub(crate) struct NeighbourhoodTeams(HashMap<NeighbourhoodId, TeamId>);

impl NeighbourhoodTeams {
    fn team_of(&self, neighbourhood_id: NeighbourhoodId) -> Option<TeamId> {
        self.0.get(&neighbourhood_id).copied()
    }
}

pub(crate) fn unknown_neighbourhood() -> ValidationErrors {
    let mut errors = ValidationErrors::default();
    errors.push("neighbourhood_id", Problem::UnknownCode);
    errors
}

impl Services {
    /// Each neighbourhood's team: the first of its district's teams by name.
    pub(crate) async fn neighbourhood_teams(&self) -> Result<NeighbourhoodTeams, ServiceError> {
        let mut teams = HashMap::new();
        for (neighbourhood_id, team_id) in self.store.neighbourhood_teams().await? {
            teams.entry(neighbourhood_id).or_insert(team_id);
        }
        Ok(NeighbourhoodTeams(teams))
    }

    /// A new contact, as `actor` records it.
    pub(crate) fn prepare_contact(
        actor: &Actor,
        draft: &ContactDraft,
        new: NewRecord,
        teams: &NeighbourhoodTeams,
    ) -> Result<StreetContact, NotPrepared> {
        let checked = draft.check(new.now).map_err(NotPrepared::Invalid)?;
        let team_id =
            teams.team_of(checked.neighbourhood_id).ok_or_else(|| NotPrepared::Invalid(unknown_neighbourhood()))?;
        let decision = domain::policy::decide(actor, Action::Create, &Resource::Contact { team_id });
        NotPrepared::from_decision(decision).map_or(Ok(()), Err)?;
        Ok(checked.recorded_by(Authorship { id: new.id, author_id: actor.user_id, team_id, now: new.now }))
    }

    /// A new signal, as `actor` files it, with the link it names resolved against the
    /// signals the server holds (`Ok(Err(_))`: not prepared; `Err(_)`: the store failed).
    pub(crate) async fn prepare_signal(
        &self,
        actor: &Actor,
        draft: &SignalDraft,
        new: NewRecord,
        teams: &NeighbourhoodTeams,
    ) -> Result<Result<NeighbourhoodSignal, NotPrepared>, ServiceError> {
        let checked = match draft.check(new.now) {
            Ok(checked) => checked,
            Err(errors) => return Ok(Err(NotPrepared::Invalid(errors))),
        };
        let Some(team_id) = teams.team_of(checked.neighbourhood_id) else {
            return Ok(Err(NotPrepared::Invalid(unknown_neighbourhood())));
        };
        let by = Authorship { id: new.id, author_id: actor.user_id, team_id, now: new.now };
        let signal = checked.filed_by(by, actor.org_id);
        let decision = domain::policy::decide(actor, Action::Create, &Resource::from(&signal));
        if let Some(refused) = NotPrepared::from_decision(decision) {
            return Ok(Err(refused));
        }
        // Only a signal the server already holds: one created earlier in the same push
        // might yet be turned away, and the link would point at nothing.
        Ok(match self.check_link(actor, &signal).await? {
            Ok(duplicate_of) => Ok(NeighbourhoodSignal { duplicate_of, ..signal }),
            Err(errors) => Err(NotPrepared::Invalid(errors)),
        })
    }
}
