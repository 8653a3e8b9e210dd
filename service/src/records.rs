//! Street contacts and neighbourhood signals, as each actor may see them. Fields that
//! can hold personal data are removed unless the policy allows reading them, and
//! every one that is shown is written to the access log first.

use domain::{ContactDraft, NeighbourhoodSignal, SignalDraft, SignalStatus, StreetContact};
use domain::{OrgId, RecordId};
use serde::{Deserialize, Serialize};
use store::{RecordKind, RecordQuery};

use crate::access_log::Shown;
use crate::prepare::{unknown_neighbourhood, NewRecord, NotPrepared};
use crate::{authorize, Action, Actor, Decision, Resource, ServiceError, Services};

/// A change a team (or the city service it was referred to) makes to a signal.
/// Absent fields stay as they are.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalChange {
    #[serde(default)]
    pub status: Option<SignalStatus>,
    /// Absent: unchanged. `null`: the referral is withdrawn. An id: referred there.
    #[serde(default, deserialize_with = "present")]
    pub referred_to_org_id: Option<Option<OrgId>>,
    #[serde(default)]
    pub feedback: Option<String>,
}

/// A signal in a listing, with how many later signals report it again ("ook gemeld:
/// N×"), as far as the reader may see them. The signal's own fields sit at the top
/// level, as in [`NeighbourhoodSignal`], so a reader of plain signals reads these too.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedSignal {
    #[serde(flatten)]
    pub signal: NeighbourhoodSignal,
    /// Later signals filed as "the same as this one" (`duplicate_of` its id); 0 for most.
    pub linked_reports: u64,
}

/// Tells a field sent as `null` (`Some(None)`) from one left out (`None`, by
/// `#[serde(default)]`), which plain `Option<Option<_>>` cannot.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

pub(crate) fn may(actor: &Actor, action: Action, resource: &Resource) -> bool {
    domain::policy::decide(actor, action, resource) == Decision::Allow
}

impl Services {
    /// A contact from the web form or the JSON API (a phone's push goes through
    /// [`Services::push`]); prepared as a push prepares it.
    pub async fn create_contact(
        &self,
        actor: &Actor,
        draft: &ContactDraft,
        id: RecordId,
    ) -> Result<StreetContact, ServiceError> {
        let teams = self.neighbourhood_teams().await?;
        let new = NewRecord { id, now: self.now() };
        let contact = Self::prepare_contact(actor, draft, new, &teams).map_err(|no| not_prepared(actor, no))?;
        self.store.insert_contact(&contact).await?;
        tracing::info!(contact = %contact.id, author = %actor.user_id, "street contact saved");
        Ok(contact)
    }

    /// The actor's team's recent contacts; notes only where the actor may read them.
    pub async fn team_contacts(
        &self,
        actor: &Actor,
        purpose: &str,
        limit: i64,
    ) -> Result<Vec<StreetContact>, ServiceError> {
        let team_id = actor.team_id.ok_or(ServiceError::NotFound)?;
        authorize(actor, Action::Read, &Resource::Contact { team_id })?;
        let query = RecordQuery { team_id: Some(team_id), limit, ..RecordQuery::default() };
        let contacts = self.store.contacts(&query).await?;
        self.redact_contacts(actor, purpose, contacts).await
    }

    pub async fn contact(&self, actor: &Actor, id: RecordId, purpose: &str) -> Result<StreetContact, ServiceError> {
        let contact = self.store.contact(id).await?.ok_or(ServiceError::NotFound)?;
        authorize(actor, Action::Read, &Resource::Contact { team_id: contact.team_id })?;
        let mut shown = self.redact_contacts(actor, purpose, vec![contact]).await?;
        shown.pop().ok_or(ServiceError::NotFound)
    }

    pub(crate) async fn redact_contacts(
        &self,
        actor: &Actor,
        purpose: &str,
        mut contacts: Vec<StreetContact>,
    ) -> Result<Vec<StreetContact>, ServiceError> {
        let mut shown = Vec::new();
        for contact in &mut contacts {
            if contact.note.is_some()
                && may(actor, Action::ReadPersonal, &Resource::Contact { team_id: contact.team_id })
            {
                shown.push(Shown {
                    kind: RecordKind::Contact,
                    record_id: contact.id,
                    field: "note",
                    team_id: contact.team_id,
                    org_id: None,
                });
            } else {
                contact.note = None;
            }
        }
        self.log_shown(actor, purpose, &shown).await?;
        Ok(contacts)
    }

    /// A signal from the web form or the JSON API; see [`Services::create_contact`].
    pub async fn create_signal(
        &self,
        actor: &Actor,
        draft: &SignalDraft,
        id: RecordId,
    ) -> Result<NeighbourhoodSignal, ServiceError> {
        let teams = self.neighbourhood_teams().await?;
        let new = NewRecord { id, now: self.now() };
        let signal = self.prepare_signal(actor, draft, new, &teams).await?.map_err(|no| not_prepared(actor, no))?;
        self.store.insert_signal(&signal).await?;
        tracing::info!(signal = %signal.id, author = %actor.user_id, "signal saved");
        Ok(signal)
    }

    /// The earlier signal a new one is stored as linked to (see `domain::check_link`),
    /// or the per-field refusal on `duplicate_of`. Read from the store: a phone offers
    /// only signals it pulled, so an earlier signal is always one the server holds
    /// (and signals are never deleted, so the reference stays good until it is written).
    pub(crate) async fn check_link(
        &self,
        actor: &Actor,
        signal: &NeighbourhoodSignal,
    ) -> Result<Result<Option<RecordId>, domain::ValidationErrors>, ServiceError> {
        let Some(named) = signal.duplicate_of else { return Ok(Ok(None)) };
        let earlier = self.store.signal(named).await?;
        let root = match earlier.as_ref().and_then(|e| e.duplicate_of) {
            Some(root_id) => self.store.signal(root_id).await?,
            None => None,
        };
        Ok(domain::check_link(signal, earlier.as_ref(), root.as_ref(), actor))
    }

    /// Signals the actor may see: the team's for police, the organisation's (filed by
    /// or referred to it) for partners and city services.
    pub async fn visible_signals(
        &self,
        actor: &Actor,
        purpose: &str,
        limit: i64,
    ) -> Result<Vec<NeighbourhoodSignal>, ServiceError> {
        let query = RecordQuery { limit, ..listing_scope(actor)? };
        let signals = self.store.signals(&query).await?;
        let visible = signals.into_iter().filter(|s| may(actor, Action::Read, &Resource::from(s))).collect();
        self.redact_signals(actor, purpose, visible).await
    }

    /// [`Self::visible_signals`], each with how many later signals report it again,
    /// counting only reports the actor may see in the same listing (a partner does not
    /// learn of the police's reports through a number).
    pub async fn visible_signals_with_reports(
        &self,
        actor: &Actor,
        purpose: &str,
        limit: i64,
    ) -> Result<Vec<ListedSignal>, ServiceError> {
        let signals = self.visible_signals(actor, purpose, limit).await?;
        let ids: Vec<RecordId> = signals.iter().map(|s| s.id).collect();
        let reports = self.store.linked_reports(&ids, &listing_scope(actor)?).await?;
        Ok(signals
            .into_iter()
            .map(|signal| ListedSignal { linked_reports: reports.get(&signal.id).copied().unwrap_or(0), signal })
            .collect())
    }

    pub async fn signal(
        &self,
        actor: &Actor,
        id: RecordId,
        purpose: &str,
    ) -> Result<NeighbourhoodSignal, ServiceError> {
        let signal = self.store.signal(id).await?.ok_or(ServiceError::NotFound)?;
        authorize(actor, Action::Read, &Resource::from(&signal))?;
        let mut shown = self.redact_signals(actor, purpose, vec![signal]).await?;
        shown.pop().ok_or(ServiceError::NotFound)
    }

    pub(crate) async fn redact_signals(
        &self,
        actor: &Actor,
        purpose: &str,
        mut signals: Vec<NeighbourhoodSignal>,
    ) -> Result<Vec<NeighbourhoodSignal>, ServiceError> {
        let mut shown = Vec::new();
        for signal in &mut signals {
            if may(actor, Action::ReadPersonal, &Resource::from(&*signal)) {
                shown.push(Shown {
                    kind: RecordKind::Signal,
                    record_id: signal.id,
                    field: "description",
                    team_id: signal.team_id,
                    org_id: signal.author_org_id,
                });
            } else {
                signal.description = String::new();
            }
        }
        self.log_shown(actor, purpose, &shown).await?;
        Ok(signals)
    }

    pub async fn change_signal(
        &self,
        actor: &Actor,
        id: RecordId,
        change: &SignalChange,
        purpose: &str,
    ) -> Result<Option<NeighbourhoodSignal>, ServiceError> {
        let mut signal = self.store.signal(id).await?.ok_or(ServiceError::NotFound)?;
        authorize(actor, Action::Update, &Resource::from(&signal))?;
        // Referring is the team's decision: a city service that could re-refer would
        // hand a signal's text to an organisation the team never chose.
        if change.referred_to_org_id.is_some() && actor.role == domain::Role::CityService {
            return Err(ServiceError::Forbidden);
        }
        if let Some(status) = change.status {
            signal.status = status;
        }
        if let Some(referred) = change.referred_to_org_id {
            signal.referred_to_org_id = referred;
        }
        if let Some(feedback) = &change.feedback {
            let feedback = feedback.trim();
            // Refused, not cut: a shortened text would be lost without anyone knowing.
            // The same limit as a phone's edit through sync.
            let max = domain::sync::FEEDBACK_MAX_CHARS;
            if feedback.chars().count() > max {
                let mut errors = domain::ValidationErrors::default();
                errors.push("feedback", domain::Problem::TooLong { max });
                return Err(ServiceError::Invalid(errors));
            }
            signal.feedback = (!feedback.is_empty()).then(|| feedback.to_owned());
        }
        if !self.store.update_signal(&signal, self.now()).await? {
            return Err(ServiceError::NotFound);
        }
        // What comes back is what the actor may still see, logged like any other read;
        // `None` when the change took the signal out of their sight.
        match self.signal(actor, id, purpose).await {
            Ok(signal) => Ok(Some(signal)),
            Err(ServiceError::NotFound | ServiceError::Forbidden) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// Which signals a listing shows the actor: the team's for police, the organisation's
/// (filed by or referred to it) for partners and city services.
fn listing_scope(actor: &Actor) -> Result<RecordQuery, ServiceError> {
    match (actor.team_id, actor.org_id) {
        (Some(team_id), _) => Ok(RecordQuery { team_id: Some(team_id), ..RecordQuery::default() }),
        (None, Some(org_id)) => Ok(RecordQuery { org_id: Some(org_id), ..RecordQuery::default() }),
        (None, None) => Err(ServiceError::Forbidden),
    }
}

/// A draft the form or the API may not store, as the form says it. Another team's
/// neighbourhood is, for someone of a team, simply not one of the choices; for anyone
/// else the place is not there to be found.
fn not_prepared(actor: &Actor, no: NotPrepared) -> ServiceError {
    match no {
        NotPrepared::Invalid(errors) => ServiceError::Invalid(errors),
        NotPrepared::Hidden if actor.team_id.is_some() => ServiceError::Invalid(unknown_neighbourhood()),
        NotPrepared::Hidden => ServiceError::NotFound,
        NotPrepared::Forbidden => ServiceError::Forbidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_withdraws_a_referral_and_absence_keeps_it() {
        let withdraw: SignalChange = serde_json::from_str(r#"{"referred_to_org_id": null}"#).unwrap();
        assert_eq!(withdraw.referred_to_org_id, Some(None));
        let keep: SignalChange = serde_json::from_str(r#"{"status": "resolved"}"#).unwrap();
        assert_eq!(keep.referred_to_org_id, None);
        assert_eq!(keep.status, Some(SignalStatus::Resolved));
    }
}
