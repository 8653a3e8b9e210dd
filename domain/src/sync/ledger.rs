//! The server's side of a push as an in-memory reference model: what a store must do
//! inside the one transaction that handles a batch. The SQL stores implement the same
//! contract (with the same [`rules`](super::rules)), and the property tests hold this
//! model to it: every mutation decided exactly once, every answer for it the same.

use crate::ids::{DeviceId, PhotoId, RecordId, UserId};
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::protocol::{Mutation, MutationBody, Outcome, PushBatch, Receipt};
use super::rules::{
    admit, already_used, batch_twins, check_batch, contact_as_captured, decision_order, edit_applies,
    signal_as_captured, unknown_signal, Admission, BatchError, Known, SignalEdit,
};
use crate::codes::SignalStatus;
use crate::contact::{Authorship, StreetContact};
use crate::ids::{OrgId, TeamId};
use crate::signal::NeighbourhoodSignal;

/// Who syncs through a device. On the server this comes from the device's owner (and
/// the team from the entry's neighbourhood); the model keeps one per device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    pub author_id: UserId,
    pub team_id: TeamId,
    /// The partner organisation of the owner, `None` for the police.
    pub org_id: Option<OrgId>,
}

/// A stored signal with its version history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalRecord {
    pub signal: NeighbourhoodSignal,
    /// 1 when created, one more for every applied edit.
    pub version: u64,
    /// `writers[v - 1]` is the device that wrote version `v`: an edit based on an older
    /// version may still apply when every version since was its own device's.
    pub writers: Vec<DeviceId>,
}

impl SignalRecord {
    /// Whether a device other than `device_id` wrote any version after `base_version`.
    pub fn others_since(&self, base_version: u64, device_id: DeviceId) -> bool {
        let skip = usize::try_from(base_version).unwrap_or(usize::MAX);
        self.writers.iter().skip(skip).any(|writer| *writer != device_id)
    }
}

/// An edit that was not applied because the signal had changed since its base: kept
/// whole, for a team lead to resolve, never silently dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptConflict {
    pub mutation_id: Uuid,
    pub device_id: DeviceId,
    pub signal_id: RecordId,
    pub base_version: u64,
    pub current_version: u64,
    pub status: Option<SignalStatus>,
    pub feedback: Option<String>,
    pub created_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
struct StoredReceipt {
    device_id: DeviceId,
    receipt: Receipt,
}

/// What the server keeps per device: its owner and which `seq` belongs to which id.
#[derive(Debug, Clone, PartialEq)]
struct DeviceLog {
    sender: Sender,
    active: bool,
    seqs: BTreeMap<u64, Uuid>,
    /// Every `seq` up to this one is decided; edits after a gap wait for it to close.
    settled_through: u64,
}

/// The in-memory reference implementation of the server's push handling.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    devices: BTreeMap<DeviceId, DeviceLog>,
    receipts: BTreeMap<Uuid, StoredReceipt>,
    contacts: BTreeMap<RecordId, StreetContact>,
    signals: BTreeMap<RecordId, SignalRecord>,
    conflicts: Vec<KeptConflict>,
    decided: Vec<Uuid>,
}

impl Ledger {
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets a device push. Registering it again (its owner logged in again after a
    /// revocation) keeps its numbering: its queued mutations still count from where
    /// they were.
    pub fn register_device(&mut self, device_id: DeviceId, sender: Sender) {
        let log = self.devices.entry(device_id).or_insert(DeviceLog {
            sender,
            active: true,
            seqs: BTreeMap::new(),
            settled_through: 0,
        });
        log.sender = sender;
        log.active = true;
    }

    /// Refuses the device's next pushes (lost phone); what it sent stays.
    pub fn revoke_device(&mut self, device_id: DeviceId) {
        if let Some(log) = self.devices.get_mut(&device_id) {
            log.active = false;
        }
    }

    /// Handles one push as one transaction: one receipt per mutation, in the batch's
    /// order, deciding them in `seq` order. An `Err` means nothing was stored.
    pub fn apply_batch(&mut self, batch: &PushBatch, now: DateTime<Utc>) -> Result<Vec<Receipt>, BatchError> {
        let sender = match self.devices.get(&batch.device_id) {
            Some(log) if log.active => log.sender,
            _ => return Err(BatchError::UnknownDevice),
        };
        check_batch(batch, batch.device_id)?;
        let mut answers: Vec<Option<Receipt>> = vec![None; batch.mutations.len()];
        let order = decision_order(&batch.mutations);
        let twins = batch_twins(&batch.mutations, &order);
        for i in order {
            let mutation = &batch.mutations[i];
            let twin = twins[i].map(|t| &batch.mutations[t]);
            let receipt = match admit(mutation, self.known(mutation, twin)) {
                Admission::Answer(receipt) => receipt,
                Admission::Decide => {
                    let outcome = self.decide(mutation, sender, now);
                    self.store(mutation, outcome)
                }
            };
            answers[i] = Some(receipt);
        }
        // `decision_order` is a permutation, so every slot is filled.
        Ok(answers.into_iter().flatten().collect())
    }

    fn known<'a>(&'a self, m: &Mutation, batch_twin: Option<&'a Mutation>) -> Known<'a> {
        let log = self.devices.get(&m.device_id);
        Known {
            batch_twin,
            stored: self.receipts.get(&m.id).map(|s| (s.device_id, &s.receipt)),
            seq_holder: log.and_then(|log| log.seqs.get(&m.seq).copied()),
            earlier_settled: log.map_or(0, |log| log.settled_through) >= m.seq.saturating_sub(1),
        }
    }

    /// Records a decision: its receipt under the mutation id and its `seq` for the device.
    fn store(&mut self, m: &Mutation, outcome: Outcome) -> Receipt {
        let receipt = Receipt { mutation_id: m.id, seq: m.seq, outcome };
        self.receipts.insert(m.id, StoredReceipt { device_id: m.device_id, receipt: receipt.clone() });
        if let Some(log) = self.devices.get_mut(&m.device_id) {
            log.seqs.insert(m.seq, m.id);
            while log.seqs.contains_key(&(log.settled_through + 1)) {
                log.settled_through += 1;
            }
        }
        self.decided.push(m.id);
        receipt
    }

    fn decide(&mut self, m: &Mutation, sender: Sender, now: DateTime<Utc>) -> Outcome {
        // A created record takes the mutation's id: the phone may already refer to it.
        let record_id = RecordId::from_uuid(m.id);
        let by = Authorship { id: record_id, author_id: sender.author_id, team_id: sender.team_id, now };
        if !m.body.is_edit() && (self.contacts.contains_key(&record_id) || self.signals.contains_key(&record_id)) {
            return Outcome::Rejected { errors: already_used("id") };
        }
        match &m.body {
            MutationBody::CreateContact(draft) => match contact_as_captured(draft, m.created_at).validate(by) {
                Ok(contact) => {
                    self.contacts.insert(contact.id, contact);
                    Outcome::Applied { record_id, version: 1 }
                }
                Err(errors) => Outcome::Rejected { errors },
            },
            MutationBody::CreateSignal(draft) => {
                match signal_as_captured(draft, m.created_at).validate(by, sender.org_id) {
                    Ok(signal) if self.photo_named(signal.photo.map(|p| p.id)) => {
                        Outcome::Rejected { errors: already_used("photo_id") }
                    }
                    Ok(signal) => {
                        let record = SignalRecord { signal, version: 1, writers: vec![m.device_id] };
                        self.signals.insert(record_id, record);
                        Outcome::Applied { record_id, version: 1 }
                    }
                    Err(errors) => Outcome::Rejected { errors },
                }
            }
            MutationBody::EditSignal { signal_id, base_version, status, feedback } => {
                self.decide_edit(m, *signal_id, *base_version, *status, feedback.as_deref(), now)
            }
        }
    }

    fn decide_edit(
        &mut self,
        m: &Mutation,
        signal_id: RecordId,
        base_version: u64,
        status: Option<SignalStatus>,
        feedback: Option<&str>,
        now: DateTime<Utc>,
    ) -> Outcome {
        let edit = match SignalEdit::check(base_version, status, feedback) {
            Ok(edit) => edit,
            Err(errors) => return Outcome::Rejected { errors },
        };
        let Some(record) = self.signals.get_mut(&signal_id) else {
            return Outcome::Rejected { errors: unknown_signal() };
        };
        let others = record.others_since(base_version, m.device_id);
        if edit_applies(base_version, record.version, others) {
            edit.apply_to(&mut record.signal);
            record.version += 1;
            record.writers.push(m.device_id);
            return Outcome::Applied { record_id: signal_id, version: record.version };
        }
        self.conflicts.push(KeptConflict {
            mutation_id: m.id,
            device_id: m.device_id,
            signal_id,
            base_version,
            current_version: record.version,
            status,
            feedback: feedback.map(str::to_owned),
            created_at: m.created_at,
            received_at: now,
        });
        Outcome::Conflict { record_id: signal_id, current_version: record.version }
    }

    /// Whether some stored signal already names this photo: a photo belongs to the
    /// first signal that names it, whose author alone uploads it.
    fn photo_named(&self, photo_id: Option<PhotoId>) -> bool {
        photo_id.is_some_and(|id| self.signals.values().any(|r| r.signal.photo.is_some_and(|p| p.id == id)))
    }

    /// The stored (final) receipt of a mutation, if it was decided.
    pub fn receipt(&self, mutation_id: Uuid) -> Option<&Receipt> {
        self.receipts.get(&mutation_id).map(|s| &s.receipt)
    }

    /// Every stored receipt of one device, by mutation id.
    pub fn receipts_of(&self, device_id: DeviceId) -> impl Iterator<Item = &Receipt> {
        self.receipts.values().filter(move |s| s.device_id == device_id).map(|s| &s.receipt)
    }

    pub fn contacts(&self) -> &BTreeMap<RecordId, StreetContact> {
        &self.contacts
    }

    pub fn signals(&self) -> &BTreeMap<RecordId, SignalRecord> {
        &self.signals
    }

    pub fn conflicts(&self) -> &[KeptConflict] {
        &self.conflicts
    }

    /// Every mutation id in the order it was decided: a stored effect has happened once
    /// for each entry, so a duplicate here would be a doubled record.
    pub fn decided(&self) -> &[Uuid] {
        &self.decided
    }

    /// The highest `seq` up to which every mutation of the device is decided.
    pub fn settled_through(&self, device_id: DeviceId) -> u64 {
        self.devices.get(&device_id).map_or(0, |log| log.settled_through)
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
