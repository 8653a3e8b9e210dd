//! Settling a kept conflict, in one transaction, written once for both backends on top
//! of the push's own reads and writes ([`SyncTx`]): "apply the edit" is the same
//! status-and-feedback write a phone's edit makes, as a new version by the lead (on the
//! web, so written by no device), with its signal version and change-feed row.

use async_trait::async_trait;
use domain::sync::conflicts::ResolutionChoice;
use domain::RecordId;
use uuid::Uuid;

use crate::feed::{kept_edit, Resolution, ResolveOutcome};
use crate::sync::SyncTx;
use crate::StoreError;

/// A conflict as the resolving transaction holds it.
pub(crate) struct HeldConflict {
    pub signal_id: RecordId,
    pub body: String,
    pub resolved: bool,
}

#[async_trait]
pub(crate) trait ResolveTx: SyncTx {
    /// The conflict, held against a concurrent resolution until commit.
    async fn conflict_for_resolve(&mut self, mutation_id: Uuid) -> Result<Option<HeldConflict>, StoreError>;
    async fn mark_resolved(&mut self, resolution: &Resolution) -> Result<(), StoreError>;
}

pub(crate) async fn resolve<T: ResolveTx>(tx: &mut T, r: &Resolution) -> Result<ResolveOutcome, StoreError> {
    let Some(held) = tx.conflict_for_resolve(r.mutation_id).await? else { return Ok(ResolveOutcome::Unknown) };
    if held.resolved {
        return Ok(ResolveOutcome::AlreadyResolved);
    }
    let Some((mut signal, current)) = tx.signal_for_edit(held.signal_id).await? else {
        // The signal's rows cascade to its conflicts: a held conflict has its signal.
        return Err(StoreError::Corrupt(format!("conflict {} has no signal", r.mutation_id)));
    };
    let version = match r.choice {
        ResolutionChoice::KeepCurrent => current,
        ResolutionChoice::ApplyEdit => {
            kept_edit(r.mutation_id, &held.body)?.as_edit().apply_to(&mut signal);
            let version = current + 1;
            tx.write_edit(&signal, version, r.at).await?;
            tx.insert_version(signal.id, version, None, r.at).await?;
            version
        }
    };
    tx.mark_resolved(r).await?;
    Ok(ResolveOutcome::Resolved { signal_id: held.signal_id, version })
}
