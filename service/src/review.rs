//! The team lead's review of what the team's phones synced: the records with the
//! phone each came from, and the offline edits kept as conflicts, which the lead
//! resolves. Only the lead of the signal's team may (`Resource::TeamSync`).

use domain::sync::conflicts::{OpenConflict, ResolutionChoice, Resolved};
use store::{ConflictRecord, Resolution, ResolveOutcome, SyncedRecord};
use uuid::Uuid;

use crate::{authorize, Action, Actor, Resource, ServiceError, Services};

impl Services {
    /// The open conflicts of the lead's team, oldest first, each with the signal as it
    /// now is (its text shown, and logged, under `purpose`).
    pub async fn open_conflicts(&self, actor: &Actor, purpose: &str) -> Result<Vec<OpenConflict>, ServiceError> {
        let team_id = actor.team_id.ok_or(ServiceError::Forbidden)?;
        authorize(actor, Action::Read, &Resource::TeamSync { team_id })?;
        let kept = self.store.open_conflicts(team_id).await?;
        let signals = kept.iter().map(|k| k.signal.clone()).collect();
        let shown = self.redact_signals(actor, purpose, signals).await?;
        Ok(kept.into_iter().zip(shown).map(|(k, signal)| open_conflict(k, signal)).collect())
    }

    /// Settles a kept conflict: the signal stays, or takes the phone's edit as a new
    /// version written by the lead. A conflict already settled is a 409, so two leads
    /// deciding at once learn that one of them came second.
    pub async fn resolve_conflict(
        &self,
        actor: &Actor,
        mutation_id: Uuid,
        choice: ResolutionChoice,
    ) -> Result<Resolved, ServiceError> {
        let kept = self.store.conflict(mutation_id).await?.ok_or(ServiceError::NotFound)?;
        authorize(actor, Action::Update, &Resource::TeamSync { team_id: kept.signal.team_id })?;
        let resolution = Resolution { mutation_id, choice, by: actor.user_id, at: self.now() };
        match self.store.resolve_conflict(&resolution).await? {
            ResolveOutcome::Resolved { signal_id, version } => {
                tracing::info!(conflict = %mutation_id, choice = choice.code(), by = %actor.user_id, "conflict resolved");
                Ok(Resolved { mutation_id, signal_id, choice, version })
            }
            ResolveOutcome::Unknown => Err(ServiceError::NotFound),
            ResolveOutcome::AlreadyResolved => Err(already_resolved()),
        }
    }

    /// The team's records, newest arrival first, with author and phone. Shows codes and
    /// times only, no free text, so nothing here goes to the access log.
    pub async fn synced_records(&self, actor: &Actor, limit: i64) -> Result<Vec<SyncedRecord>, ServiceError> {
        let team_id = actor.team_id.ok_or(ServiceError::Forbidden)?;
        authorize(actor, Action::Read, &Resource::TeamSync { team_id })?;
        Ok(self.store.synced_records(team_id, limit).await?)
    }
}

fn already_resolved() -> ServiceError {
    ServiceError::Conflict("this conflict was already resolved".to_owned())
}

fn open_conflict(k: ConflictRecord, signal: domain::NeighbourhoodSignal) -> OpenConflict {
    OpenConflict {
        mutation_id: k.mutation_id,
        signal,
        current_version: k.signal_version,
        base_version: k.base_version,
        edit: k.edit,
        device_id: k.device_id,
        device_label: k.device_label,
        author_id: k.author_id,
        author_name: k.author_name,
        received_at: k.kept_at,
    }
}
