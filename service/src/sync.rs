//! A phone's push: the whole-batch checks, then a verdict per mutation (its content
//! validated, its team found, its rights checked), then the store applies the batch
//! exactly once in one transaction. A mutation that is invalid or not the device
//! owner's to make becomes `Rejected` for that mutation only; only a batch that is
//! wrong as a whole (old protocol, another device's mutations, too large, no device)
//! is refused, and then nothing of it is stored.

use chrono::{DateTime, Utc};
use domain::sync::rules::{check_batch, contact_as_captured, signal_as_captured, SignalEdit};
use domain::sync::{BatchError, Mutation, MutationBody, PushBatch, Receipt};
use domain::{DeviceId, NeighbourhoodSignal, Problem, RecordId, ValidationErrors};
use store::{PreparedMutation, PreparedPush, Verdict};

use crate::prepare::{unknown_neighbourhood, NeighbourhoodTeams, NewRecord, NotPrepared};
use crate::{Action, Actor, Decision, Resource, ServiceError, Services};

/// Why a push was refused as a whole. Nothing of it was stored; the phone keeps it.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// Pushed with a session only: a push speaks for one registered phone, whose
    /// `seq` numbers and dedupe keys are scoped to it.
    #[error("register this phone first: a push needs the phone's device credential")]
    NeedsDevice,
    #[error(transparent)]
    Batch(#[from] BatchError),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// A refusal as a per-mutation error. The validation codes have no "not allowed", so
/// it is `OutOfRange` on the pseudo-field `authorization`: outside what this person
/// may do.
fn not_allowed() -> ValidationErrors {
    let mut errors = ValidationErrors::default();
    errors.push("authorization", Problem::OutOfRange);
    errors
}

/// What a phone is told the policy refused. `Hidden` for someone of a team means
/// another team's record or neighbourhood, answered like the form does: not one of the
/// choices (`hidden_field`). Anyone else (a partner logging a contact) is simply not
/// allowed.
fn refused(actor: &Actor, hidden: bool, hidden_field: fn() -> ValidationErrors) -> Verdict {
    Verdict::Refused(if hidden && actor.team_id.is_some() { hidden_field() } else { not_allowed() })
}

/// A policy decision as a verdict, `None` when it allows.
fn refusal(actor: &Actor, decision: Decision, hidden_field: fn() -> ValidationErrors) -> Option<Verdict> {
    match decision {
        Decision::Allow => None,
        Decision::Hidden => Some(refused(actor, true, hidden_field)),
        Decision::Forbidden => Some(refused(actor, false, hidden_field)),
    }
}

/// A prepared record as a verdict; a draft that is not, as the phone is told it.
fn verdict_of<T>(actor: &Actor, prepared: Result<T, NotPrepared>, stored: fn(T) -> Verdict) -> Verdict {
    match prepared {
        Ok(record) => stored(record),
        Err(NotPrepared::Invalid(errors)) => Verdict::Refused(errors),
        Err(NotPrepared::Hidden) => refused(actor, true, unknown_neighbourhood),
        Err(NotPrepared::Forbidden) => refused(actor, false, unknown_neighbourhood),
    }
}

impl Services {
    /// Applies a phone's push. `caller_device` is the device the request authenticated
    /// as (`None` for a session): the batch must name it, and so must every mutation.
    /// The batch is taken, not borrowed: its mutations go to the store as they are.
    pub async fn push(
        &self,
        caller_device: Option<DeviceId>,
        actor: &Actor,
        batch: PushBatch,
    ) -> Result<Vec<Receipt>, PushError> {
        let device_id = caller_device.ok_or(PushError::NeedsDevice)?;
        check_batch(&batch, device_id)?;
        let now = self.now();
        let teams = self.neighbourhood_teams().await?;
        let mut prepared: Vec<PreparedMutation> = Vec::with_capacity(batch.mutations.len());
        for mutation in batch.mutations {
            let verdict = self.verdict(actor, &mutation, now, &teams, &prepared).await?;
            prepared.push(PreparedMutation { mutation, verdict });
        }
        let push = PreparedPush { device_id, author_id: actor.user_id, now, mutations: prepared };
        let receipts = self.store.apply_push(&push).await.map_err(ServiceError::from)?;
        tracing::info!(device = %device_id, mutations = receipts.len(), "push applied");
        Ok(receipts)
    }

    /// What the store should do with one mutation. `earlier` are this batch's verdicts
    /// so far, so an edit of a signal created in the same batch is checked against it.
    async fn verdict(
        &self,
        actor: &Actor,
        m: &Mutation,
        now: DateTime<Utc>,
        teams: &NeighbourhoodTeams,
        earlier: &[PreparedMutation],
    ) -> Result<Verdict, ServiceError> {
        match &m.body {
            MutationBody::CreateContact(draft) => {
                let draft = contact_as_captured(draft, m.created_at);
                // A created record takes the mutation's id: the phone may already refer to it.
                let new = NewRecord { id: RecordId::from_uuid(m.id), now };
                Ok(verdict_of(actor, Self::prepare_contact(actor, &draft, new, teams), Verdict::CreateContact))
            }
            MutationBody::CreateSignal(draft) => {
                let draft = signal_as_captured(draft, m.created_at);
                let new = NewRecord { id: RecordId::from_uuid(m.id), now };
                let prepared = self.prepare_signal(actor, &draft, new, teams).await?;
                Ok(verdict_of(actor, prepared, Verdict::CreateSignal))
            }
            MutationBody::EditSignal { signal_id, base_version, status, feedback } => {
                let edit = match SignalEdit::check(*base_version, *status, feedback.as_deref()) {
                    Ok(edit) => edit,
                    Err(errors) => return Ok(Verdict::Refused(errors)),
                };
                let signal = match self.store.signal(*signal_id).await? {
                    Some(signal) => Some(signal),
                    None => created_in_batch(earlier, *signal_id),
                };
                // A signal nobody holds is left to the store, which rejects it in the
                // batch's transaction (`unknown_signal`), like its reference model.
                if let Some(signal) = signal {
                    let decision = domain::policy::decide(actor, Action::Update, &Resource::from(&signal));
                    if let Some(refused) = refusal(actor, decision, domain::sync::rules::unknown_signal) {
                        return Ok(refused);
                    }
                }
                Ok(Verdict::Edit {
                    signal_id: *signal_id,
                    base_version: *base_version,
                    status: edit.status,
                    feedback: edit.feedback,
                })
            }
        }
    }
}

fn created_in_batch(earlier: &[PreparedMutation], signal_id: RecordId) -> Option<NeighbourhoodSignal> {
    earlier.iter().find_map(|p| match &p.verdict {
        Verdict::CreateSignal(signal) if signal.id == signal_id => Some(signal.clone()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use domain::{OrgId, Role, TeamId, UserId};
    use uuid::Uuid;

    #[test]
    fn refusals_name_a_field_a_phone_can_show() {
        let officer = Actor {
            user_id: UserId::from_uuid(Uuid::nil()),
            role: Role::Officer,
            team_id: Some(TeamId::from_uuid(Uuid::nil())),
            org_id: None,
            via: domain::policy::Via::Session,
        };
        let partner =
            Actor { team_id: None, org_id: Some(OrgId::from_uuid(Uuid::nil())), role: Role::Partner, ..officer };
        assert_eq!(refusal(&officer, Decision::Allow, unknown_neighbourhood), None);
        let Some(Verdict::Refused(errors)) = refusal(&officer, Decision::Forbidden, unknown_neighbourhood) else {
            panic!()
        };
        assert_eq!(errors.for_field("authorization"), Some(&Problem::OutOfRange));
        let Some(Verdict::Refused(errors)) = refusal(&officer, Decision::Hidden, unknown_neighbourhood) else {
            panic!()
        };
        assert!(errors.for_field("neighbourhood_id").is_some(), "another team's place: not one of the choices");
        let Some(Verdict::Refused(errors)) = refusal(&partner, Decision::Hidden, unknown_neighbourhood) else {
            panic!()
        };
        assert_eq!(errors.for_field("authorization"), Some(&Problem::OutOfRange));
    }
}
