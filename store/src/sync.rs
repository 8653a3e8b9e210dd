//! Applying a phone's push exactly once. The decisions are the domain's
//! (`domain::sync::rules`, the same functions its reference `Ledger` calls); this file
//! only feeds them what the batch's transaction reads, in the order they prescribe, and
//! writes their effects. Each backend supplies the reads and writes ([`SyncTx`]) on
//! its own transaction, so the steps below are written once for both.

use domain::{DeviceId, PhotoId, RecordId, UserId};
use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::sync::rules::{
    admit, already_used, batch_twins, decision_order, edit_applies, unknown_signal, Admission, Known, SignalEdit,
};
use domain::sync::{Mutation, Outcome, Receipt, MAX_STORED_NUMBER};
use domain::{NeighbourhoodSignal, SignalStatus, StreetContact, ValidationErrors};
use uuid::Uuid;

use crate::rows::Columns;
use crate::StoreError;

/// A push after the service layer has judged each mutation's content and rights, ready
/// for the store to decide its order, replays and conflicts in one transaction.
#[derive(Debug, Clone)]
pub struct PreparedPush {
    /// The device the request authenticated as; every mutation is this device's.
    pub device_id: DeviceId,
    /// The device's owner: the author of the conflicts it causes.
    pub author_id: UserId,
    /// When the server received the push: stored with receipts, versions, conflicts.
    pub now: DateTime<Utc>,
    pub mutations: Vec<PreparedMutation>,
}

#[derive(Debug, Clone)]
pub struct PreparedMutation {
    pub mutation: Mutation,
    pub verdict: Verdict,
}

/// The domain's batch rules read the mutations from the prepared push itself.
impl AsRef<Mutation> for PreparedMutation {
    fn as_ref(&self) -> &Mutation {
        &self.mutation
    }
}

/// What the service layer made of a mutation before the store saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Validated and allowed; the contact's id is the mutation id.
    CreateContact(StreetContact),
    /// Validated and allowed; the signal's id is the mutation id.
    CreateSignal(NeighbourhoodSignal),
    /// A checked edit (see `SignalEdit::check`) the device's owner may make; whether it
    /// applies or conflicts is decided here, against the stored versions.
    Edit {
        signal_id: RecordId,
        base_version: u64,
        status: Option<SignalStatus>,
        /// `None`: unchanged; `Some(None)`: withdrawn; `Some(Some(text))`: replaced.
        feedback: Option<Option<String>>,
    },
    /// Invalid, or not this person's to make: answered `Rejected` with these reasons.
    Refused(ValidationErrors),
}

/// A kept conflict, as [`SyncTx::insert_conflict`] stores it.
pub(crate) struct ConflictRow<'a> {
    pub mutation_id: Uuid,
    pub signal_id: RecordId,
    pub device_id: DeviceId,
    pub author_id: UserId,
    pub base_version: u64,
    pub current_version: u64,
    /// JSON: the edit's status and feedback and when the phone saved it.
    pub body: &'a str,
    pub created_at: DateTime<Utc>,
}

/// A batch's dedupe keys, as [`SyncTx::held`] looks them up.
pub(crate) struct Keys<'a> {
    pub device_id: DeviceId,
    pub mutation_ids: &'a [Uuid],
    /// The device's seqs in the batch that the schema can hold.
    pub seqs: &'a [u64],
    /// The record ids and photo ids the batch's allowed creates chose.
    pub record_ids: &'a [RecordId],
    pub photo_ids: &'a [PhotoId],
}

/// What the store already holds of a batch's [`Keys`].
#[derive(Debug, Default)]
pub(crate) struct Held {
    /// The stored receipts of the mutation ids, each with the device that sent it.
    pub receipts: Vec<(DeviceId, Receipt)>,
    /// Which of the device's seqs are taken, and by which mutation id.
    pub seq_holders: Vec<(u64, Uuid)>,
    /// Which of the record ids a street contact or a neighbourhood signal already has.
    pub taken_ids: Vec<RecordId>,
    /// Which of the photo ids some neighbourhood signal already names.
    pub named_photos: Vec<PhotoId>,
}

impl Held {
    /// Files the rows of a backend's lookup (`sql::HELD_KEYS_SQLITE`,
    /// `sql::HELD_KEYS_POSTGRES`), each under the key its `found` names.
    pub(crate) fn from_rows(rows: &[impl Columns]) -> Result<Self, StoreError> {
        let mut held = Self::default();
        for row in rows {
            let found = row.text("found")?;
            held.add(&found, row.uuid("id")?, row.opt_id("device_id")?, row.opt_i64("seq")?, row.opt_text("outcome")?)?;
        }
        Ok(held)
    }

    fn add(
        &mut self,
        found: &str,
        id: Uuid,
        device_id: Option<DeviceId>,
        seq: Option<i64>,
        outcome: Option<String>,
    ) -> Result<(), StoreError> {
        match (found, device_id, seq, outcome) {
            ("receipt", Some(device_id), Some(seq), Some(outcome)) => {
                self.receipts.push((device_id, stored_receipt(id, seq, &outcome)?));
            }
            ("seq", _, Some(seq), _) => self.seq_holders.push((from_db(seq, "seq")?, id)),
            ("id", ..) => self.taken_ids.push(RecordId::from_uuid(id)),
            ("photo", ..) => self.named_photos.push(PhotoId::from_uuid(id)),
            (found, ..) => return Err(StoreError::Corrupt(format!("dedupe lookup: {found} row for {id} incomplete"))),
        }
        Ok(())
    }
}

/// The reads and writes a push needs, on one open transaction of one backend.
#[async_trait]
pub(crate) trait SyncTx: Send {
    /// What the store holds of the batch's dedupe keys, in one round trip.
    async fn held(&mut self, keys: &Keys<'_>) -> Result<Held, StoreError>;
    /// How many of the device's seqs below `seq` have a stored receipt.
    async fn settled_below(&mut self, device_id: DeviceId, seq: u64) -> Result<u64, StoreError>;
    /// Writes the contacts, in as few statements as the backend allows.
    async fn insert_contacts(&mut self, contacts: &[&StreetContact]) -> Result<(), StoreError>;
    async fn insert_signal(&mut self, signal: &NeighbourhoodSignal) -> Result<(), StoreError>;
    /// The signal and its version, held against concurrent writers until commit.
    async fn signal_for_edit(&mut self, signal_id: RecordId) -> Result<Option<(NeighbourhoodSignal, u64)>, StoreError>;
    async fn others_since(
        &mut self,
        signal_id: RecordId,
        base_version: u64,
        device_id: DeviceId,
    ) -> Result<bool, StoreError>;
    /// Writes the signal's status and feedback as `version`, written `at`.
    async fn write_edit(
        &mut self,
        signal: &NeighbourhoodSignal,
        version: u64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn insert_version(
        &mut self,
        signal_id: RecordId,
        version: u64,
        device_id: Option<DeviceId>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn insert_conflict(&mut self, conflict: &ConflictRow<'_>) -> Result<(), StoreError>;
    /// Writes the receipts (with their outcomes as JSON), in as few statements as the
    /// backend allows.
    async fn insert_receipts(
        &mut self,
        device_id: DeviceId,
        receipts: &[(Receipt, String)],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

/// What the batch's transaction knows of its dedupe keys. Read with one query before
/// deciding (two queries per mutation made the push several times slower than the
/// rows it writes; a query per kind of key cost a round trip each), then kept up to
/// date here as mutations are decided, so a
/// mutation sees the effect of the batch's earlier ones exactly as a fresh read would.
/// The contacts and receipts decided are written at the end, one statement each: no
/// step of the push reads them back before commit.
struct Pending<'a> {
    stored: HashMap<Uuid, (DeviceId, Receipt)>,
    seqs: HashMap<u64, Uuid>,
    /// Ids the batch's creates chose that some record already has (written outside any
    /// push, e.g. on the web), and photo ids some signal names, this batch's included.
    taken_ids: HashSet<RecordId>,
    named_photos: HashSet<PhotoId>,
    contacts: Vec<&'a StreetContact>,
    receipts: Vec<(Receipt, String)>,
}

impl<'a> Pending<'a> {
    async fn read<T: SyncTx>(tx: &mut T, push: &'a PreparedPush) -> Result<Self, StoreError> {
        let ids: Vec<Uuid> = push.mutations.iter().map(|p| p.mutation.id).collect();
        // A seq the schema cannot hold is held by nobody (and refused by `admit`).
        let seqs: Vec<u64> =
            push.mutations.iter().map(|p| p.mutation.seq).filter(|seq| *seq <= MAX_STORED_NUMBER).collect();
        let (record_ids, photo_ids) = Self::chosen_ids(push);
        let keys = Keys {
            device_id: push.device_id,
            mutation_ids: &ids,
            seqs: &seqs,
            record_ids: &record_ids,
            photo_ids: &photo_ids,
        };
        let held = tx.held(&keys).await?;
        Ok(Self {
            stored: held.receipts.into_iter().map(|(d, r)| (r.mutation_id, (d, r))).collect(),
            seqs: held.seq_holders.into_iter().collect(),
            taken_ids: held.taken_ids.into_iter().collect(),
            named_photos: held.named_photos.into_iter().collect(),
            contacts: Vec::with_capacity(push.mutations.len()),
            receipts: Vec::with_capacity(push.mutations.len()),
        })
    }

    /// The record ids and photo ids the batch's allowed creates chose.
    fn chosen_ids(push: &PreparedPush) -> (Vec<RecordId>, Vec<PhotoId>) {
        let mut records = Vec::new();
        let mut photos = Vec::new();
        for prepared in &push.mutations {
            match &prepared.verdict {
                Verdict::CreateContact(contact) => records.push(contact.id),
                Verdict::CreateSignal(signal) => {
                    records.push(signal.id);
                    photos.extend(signal.photo.map(|p| p.id));
                }
                Verdict::Edit { .. } | Verdict::Refused(_) => {}
            }
        }
        (records, photos)
    }

    /// Why a create cannot be stored under the ids it chose, if it cannot. A record's
    /// id is only in `taken_ids` when something other than this push holds it: the
    /// batch's own creates are answered by their stored receipt before this.
    fn refuse_taken(&self, id: RecordId, photo_id: Option<PhotoId>) -> Option<Outcome> {
        if self.taken_ids.contains(&id) {
            return Some(Outcome::Rejected { errors: already_used("id") });
        }
        photo_id
            .filter(|photo| self.named_photos.contains(photo))
            .map(|_| Outcome::Rejected { errors: already_used("photo_id") })
    }

    /// Whether every seq of the device below `seq` is decided, stored or in this batch.
    async fn earlier_settled<T: SyncTx>(&self, tx: &mut T, device_id: DeviceId, seq: u64) -> Result<bool, StoreError> {
        let in_batch = self.receipts.iter().filter(|(r, _)| r.seq < seq).count() as u64;
        Ok(seq >= 1 && tx.settled_below(device_id, seq).await? + in_batch == seq - 1)
    }

    async fn write<T: SyncTx>(self, tx: &mut T, push: &PreparedPush) -> Result<(), StoreError> {
        tx.insert_contacts(&self.contacts).await?;
        tx.insert_receipts(push.device_id, &self.receipts, push.now).await
    }
}

/// Decides every mutation of `push` in seq order on `tx` and returns the receipts in
/// the push's own order. The caller commits `tx` only when this succeeds, so a push
/// that fails anywhere stores nothing.
pub(crate) async fn apply<T: SyncTx>(tx: &mut T, push: &PreparedPush) -> Result<Vec<Receipt>, StoreError> {
    let mut pending = Pending::read(tx, push).await?;
    let mut receipts: Vec<Option<Receipt>> = vec![None; push.mutations.len()];
    let order = decision_order(&push.mutations);
    let twins = batch_twins(&push.mutations, &order);
    for index in order {
        let prepared = &push.mutations[index];
        let twin = twins[index].map(|t| &push.mutations[t].mutation);
        receipts[index] = Some(admit_and_decide(tx, push, prepared, twin, &mut pending).await?);
    }
    pending.write(tx, push).await?;
    Ok(receipts.into_iter().flatten().collect())
}

async fn admit_and_decide<'a, T: SyncTx>(
    tx: &mut T,
    push: &PreparedPush,
    prepared: &'a PreparedMutation,
    batch_twin: Option<&Mutation>,
    pending: &mut Pending<'a>,
) -> Result<Receipt, StoreError> {
    let m = &prepared.mutation;
    let stored = pending.stored.get(&m.id);
    let seq_holder = if stored.is_none() { pending.seqs.get(&m.seq).copied() } else { None };
    // Only an edit waits for the seqs below it; a create is decided as it arrives, so
    // its (growing with the device's history) count is not worth reading. A seq the
    // schema cannot hold is refused by `admit` whatever this says.
    let countable = m.body.is_edit() && m.seq <= MAX_STORED_NUMBER;
    let earlier_settled = countable && pending.earlier_settled(tx, m.device_id, m.seq).await?;
    let known =
        Known { batch_twin, stored: stored.map(|(device, receipt)| (*device, receipt)), seq_holder, earlier_settled };
    if let Admission::Answer(receipt) = admit(m, known) {
        return Ok(receipt);
    }
    let outcome = decide(tx, push, prepared, pending).await?;
    let receipt = Receipt { mutation_id: m.id, seq: m.seq, outcome };
    let json = serde_json::to_string(&receipt.outcome)
        .map_err(|e| StoreError::Corrupt(format!("receipt of mutation {} does not serialise: {e}", m.id)))?;
    pending.stored.insert(m.id, (m.device_id, receipt.clone()));
    pending.seqs.insert(m.seq, m.id);
    pending.receipts.push((receipt.clone(), json));
    Ok(receipt)
}

async fn decide<'a, T: SyncTx>(
    tx: &mut T,
    push: &PreparedPush,
    prepared: &'a PreparedMutation,
    pending: &mut Pending<'a>,
) -> Result<Outcome, StoreError> {
    let m = &prepared.mutation;
    match &prepared.verdict {
        Verdict::CreateContact(contact) => {
            if let Some(refused) = pending.refuse_taken(contact.id, None) {
                return Ok(refused);
            }
            pending.contacts.push(contact);
            Ok(Outcome::Applied { record_id: contact.id, version: 1 })
        }
        Verdict::CreateSignal(signal) => {
            let photo_id = signal.photo.map(|p| p.id);
            if let Some(refused) = pending.refuse_taken(signal.id, photo_id) {
                return Ok(refused);
            }
            pending.named_photos.extend(photo_id);
            tx.insert_signal(signal).await?;
            tx.insert_version(signal.id, 1, Some(m.device_id), push.now).await?;
            Ok(Outcome::Applied { record_id: signal.id, version: 1 })
        }
        Verdict::Refused(errors) => Ok(Outcome::Rejected { errors: errors.clone() }),
        Verdict::Edit { signal_id, base_version, status, feedback } => {
            let edit = SignalEdit { status: *status, feedback: feedback.clone() };
            decide_edit(tx, push, m, *signal_id, *base_version, &edit).await
        }
    }
}

async fn decide_edit<T: SyncTx>(
    tx: &mut T,
    push: &PreparedPush,
    m: &Mutation,
    signal_id: RecordId,
    base_version: u64,
    edit: &SignalEdit,
) -> Result<Outcome, StoreError> {
    let Some((mut signal, current)) = tx.signal_for_edit(signal_id).await? else {
        return Ok(Outcome::Rejected { errors: unknown_signal() });
    };
    let others = tx.others_since(signal_id, base_version, m.device_id).await?;
    if edit_applies(base_version, current, others) {
        edit.apply_to(&mut signal);
        let version = current + 1;
        tx.write_edit(&signal, version, push.now).await?;
        tx.insert_version(signal_id, version, Some(m.device_id), push.now).await?;
        return Ok(Outcome::Applied { record_id: signal_id, version });
    }
    let body = conflict_body(edit, m.created_at).to_string();
    tx.insert_conflict(&ConflictRow {
        mutation_id: m.id,
        signal_id,
        device_id: m.device_id,
        author_id: push.author_id,
        base_version,
        current_version: current,
        body: &body,
        created_at: push.now,
    })
    .await?;
    Ok(Outcome::Conflict { record_id: signal_id, current_version: current })
}

/// What a team lead needs to resolve the conflict: the fields the edit would change
/// (a withdrawn feedback as `null`, an untouched field left out) and when it was made.
fn conflict_body(edit: &SignalEdit, saved_at: DateTime<Utc>) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    if let Some(status) = edit.status {
        body.insert("status".into(), status.code().into());
    }
    if let Some(feedback) = &edit.feedback {
        body.insert("feedback".into(), feedback.clone().into());
    }
    body.insert("saved_at".into(), saved_at.to_rfc3339().into());
    serde_json::Value::Object(body)
}

/// A stored receipt, read back for a replay.
pub(crate) fn stored_receipt(mutation_id: Uuid, seq: i64, outcome: &str) -> Result<Receipt, StoreError> {
    let outcome = serde_json::from_str(outcome)
        .map_err(|e| StoreError::Corrupt(format!("receipt of mutation {mutation_id}: {e}")))?;
    let seq =
        u64::try_from(seq).map_err(|_| StoreError::Corrupt(format!("receipt of mutation {mutation_id}: seq {seq}")))?;
    Ok(Receipt { mutation_id, seq, outcome })
}

/// Versions and seqs are `u64` in the protocol and `BIGINT` in the schema.
pub(crate) fn to_db(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::Corrupt(format!("{n} is out of the stored range")))
}

pub(crate) fn from_db(n: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("{what} {n} is negative")))
}
