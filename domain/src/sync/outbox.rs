//! The phone's queue of unsent mutations. Every entry is saved here first and stays,
//! visibly, until the server has answered for it: nothing is dropped on a failure, and
//! an entry the server refused waits for a person instead of being resent blindly.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use super::protocol::{Mutation, MutationBody, Outcome, PushBatch, Receipt, MAX_BATCH_MUTATIONS, PROTOCOL_VERSION};
use crate::ids::{DeviceId, RecordId};
use crate::validation::ValidationErrors;

/// Where one queued mutation stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemState {
    /// Saved on the phone, not yet answered for.
    Pending,
    /// In the push now under way.
    InFlight,
    /// The server applied it; kept until the app has taken note (see `prune_acknowledged`).
    Acknowledged(Outcome),
    /// The server will not apply it as it is; shown to the person, never resent.
    NeedsAttention(Attention),
}

/// Why an entry needs a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Attention {
    /// The server's reasons, per field, to show next to the entry.
    Rejected { errors: ValidationErrors },
    /// Someone else changed the signal first; a team lead resolves it on the server.
    Conflict { record_id: RecordId, current_version: u64 },
}

/// How a push failed as a whole, so that no receipt came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// No answer: offline, timed out, or cut off. The server may have committed the
    /// batch; sending it again is harmless.
    Network,
    /// A 5xx, or a 4xx for the batch as a whole that names no entry (an outdated
    /// protocol, say): nothing was committed, and a later try (or app update) helps.
    ServerError,
    /// 401/403, including a revoked device: keep everything and ask to log in again.
    AuthRefused,
}

impl FailureKind {
    /// Reads a failed push's HTTP status (`None`: no response at all).
    pub fn from_status(status: Option<u16>) -> Self {
        match status {
            None => FailureKind::Network,
            Some(401 | 403) => FailureKind::AuthRefused,
            Some(_) => FailureKind::ServerError,
        }
    }
}

/// One queued mutation with its state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub mutation: Mutation,
    pub state: ItemState,
}

/// The phone's outbox. Serialisable so it can live in IndexedDB; the device id lives
/// and dies with it, because the server refuses a `seq` that is used twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    device_id: DeviceId,
    next_seq: u64,
    /// Ordered by `seq`, which is also the order of saving.
    #[serde(deserialize_with = "items_after_restart")]
    items: Vec<OutboxItem>,
    needs_login: bool,
    failures: u32,
}

/// A push that was under way when the app was closed never got its answer: on
/// loading, its items are pending again. Done here, in loading itself, so no caller can
/// forget it and leave the queue stuck behind an answer that will never come.
fn items_after_restart<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<OutboxItem>, D::Error> {
    let mut items = Vec::<OutboxItem>::deserialize(deserializer)?;
    for item in &mut items {
        if item.state == ItemState::InFlight {
            item.state = ItemState::Pending;
        }
    }
    Ok(items)
}

impl Outbox {
    pub fn new(device_id: DeviceId) -> Self {
        Self { device_id, next_seq: 1, items: Vec::new(), needs_login: false, failures: 0 }
    }

    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// Queues a new entry under the device's next number. `id` is a fresh UUIDv7 made
    /// by the caller (the outbox draws no random numbers); `now` is the phone's clock.
    pub fn enqueue(&mut self, body: MutationBody, id: Uuid, now: DateTime<Utc>) -> Mutation {
        let mutation = Mutation { id, device_id: self.device_id, seq: self.next_seq, created_at: now, body };
        self.next_seq += 1;
        self.items.push(OutboxItem { mutation: mutation.clone(), state: ItemState::Pending });
        mutation
    }

    /// The next push: up to `max` pending mutations, oldest first, now in flight.
    /// `None` when nothing is pending, when a push is already under way (one at a time
    /// keeps the server's view in order and makes a failure's scope unambiguous), or
    /// while the person must log in again.
    pub fn next_batch(&mut self, max: usize) -> Option<PushBatch> {
        if self.needs_login || self.in_flight() {
            return None;
        }
        let max = max.min(MAX_BATCH_MUTATIONS);
        let mut mutations = Vec::new();
        for item in self.items.iter_mut().filter(|item| item.state == ItemState::Pending).take(max) {
            item.state = ItemState::InFlight;
            mutations.push(item.mutation.clone());
        }
        (!mutations.is_empty()).then_some(PushBatch {
            protocol: PROTOCOL_VERSION,
            device_id: self.device_id,
            mutations,
        })
    }

    /// Takes in the server's answer to the push under way. A mutation it did not answer
    /// for (or deferred) is pending again; an answer for an entry already settled
    /// changes nothing, since final receipts never change.
    pub fn on_receipts(&mut self, receipts: &[Receipt]) {
        for receipt in receipts {
            let Some(item) = self.item_mut(receipt.mutation_id, receipt.seq) else { continue };
            if matches!(item.state, ItemState::Acknowledged(_) | ItemState::NeedsAttention(_)) {
                continue;
            }
            item.state = match &receipt.outcome {
                Outcome::Applied { .. } => ItemState::Acknowledged(receipt.outcome.clone()),
                Outcome::Rejected { errors } => {
                    ItemState::NeedsAttention(Attention::Rejected { errors: errors.clone() })
                }
                Outcome::Conflict { record_id, current_version } => ItemState::NeedsAttention(Attention::Conflict {
                    record_id: *record_id,
                    current_version: *current_version,
                }),
                Outcome::Deferred => ItemState::Pending,
            };
        }
        self.return_in_flight();
        self.failures = 0;
    }

    /// The push under way failed as a whole: its entries are pending again, all kept.
    pub fn on_failure(&mut self, kind: FailureKind) {
        self.return_in_flight();
        self.failures = self.failures.saturating_add(1);
        if kind == FailureKind::AuthRefused {
            self.needs_login = true;
        }
    }

    /// The person logged in again: sending resumes at once, without waiting out back-off.
    pub fn logged_in_again(&mut self) {
        self.needs_login = false;
        self.failures = 0;
    }

    /// Whether sending waits for the person to log in again.
    pub fn needs_login(&self) -> bool {
        self.needs_login
    }

    /// Failed pushes in a row since the last answer: the `attempt` for `retry_delay`.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    pub fn in_flight(&self) -> bool {
        self.items.iter().any(|item| item.state == ItemState::InFlight)
    }

    /// Entries not yet answered for ("4 not sent"), including those in flight.
    pub fn pending_count(&self) -> usize {
        self.items.iter().filter(|item| matches!(item.state, ItemState::Pending | ItemState::InFlight)).count()
    }

    /// Entries waiting for a person.
    pub fn attention_count(&self) -> usize {
        self.items.iter().filter(|item| matches!(item.state, ItemState::NeedsAttention(_))).count()
    }

    /// Every queued entry with its state, oldest first, for the outbox screen.
    pub fn items(&self) -> &[OutboxItem] {
        &self.items
    }

    /// Removes and returns the applied entries, once the app has recorded them (e.g.
    /// the record's new version) elsewhere.
    pub fn prune_acknowledged(&mut self) -> Vec<OutboxItem> {
        let (done, kept) = std::mem::take(&mut self.items)
            .into_iter()
            .partition(|item| matches!(item.state, ItemState::Acknowledged(_)));
        self.items = kept;
        done
    }

    /// Removes an entry that needs attention, on a person's explicit say-so (they
    /// re-entered it corrected, as a new entry, or gave it up). Nothing else removes one.
    pub fn dismiss(&mut self, mutation_id: Uuid) -> Option<OutboxItem> {
        let index = self
            .items
            .iter()
            .position(|item| item.mutation.id == mutation_id && matches!(item.state, ItemState::NeedsAttention(_)))?;
        Some(self.items.remove(index))
    }

    /// Finds an item by its receipt: items are in `seq` order, so a binary search keeps
    /// a 10,000-entry queue quick; the id must match too.
    fn item_mut(&mut self, mutation_id: Uuid, seq: u64) -> Option<&mut OutboxItem> {
        let index = self.items.binary_search_by_key(&seq, |item| item.mutation.seq).ok()?;
        let item = &mut self.items[index];
        (item.mutation.id == mutation_id).then_some(item)
    }

    fn return_in_flight(&mut self) {
        for item in &mut self.items {
            if item.state == ItemState::InFlight {
                item.state = ItemState::Pending;
            }
        }
    }
}

#[cfg(test)]
#[path = "outbox_tests.rs"]
mod tests;
