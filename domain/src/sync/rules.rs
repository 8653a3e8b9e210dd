//! The decisions a push requires, as pure functions: the in-memory [`Ledger`] and the
//! SQL stores call these same functions with what they read inside the batch's
//! transaction, so the reference model and the real stores cannot drift apart.
//!
//! [`Ledger`]: super::Ledger

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::protocol::{
    Mutation, Outcome, PushBatch, Receipt, FEEDBACK_MAX_CHARS, MAX_BATCH_MUTATIONS, MAX_STORED_NUMBER, PROTOCOL_VERSION,
};
use crate::codes::SignalStatus;
use crate::contact::ContactDraft;
use crate::ids::DeviceId;
use crate::signal::{NeighbourhoodSignal, SignalDraft};
use crate::validation::{Problem, ValidationErrors};

/// Why a whole push is refused before any mutation in it is looked at. Nothing of such
/// a batch is stored; the phone keeps every entry of it pending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    #[error("sync protocol {got} is not supported; this server speaks {PROTOCOL_VERSION}")]
    UnsupportedProtocol { got: u32 },
    /// The device is not registered or was revoked (the server answers 401).
    #[error("this device may not sync; log in again")]
    UnknownDevice,
    /// The batch names another device than the credential it came with.
    #[error("the batch names another device than its credential")]
    DeviceMismatch,
    /// A batch speaks for one device only: its credential's.
    #[error("mutation {mutation_id} belongs to another device than the batch")]
    ForeignMutation { mutation_id: Uuid },
    #[error("a batch holds at most {MAX_BATCH_MUTATIONS} mutations, not {count}")]
    TooLarge { count: usize },
}

/// Checks what can be checked of a batch without reading the store. `device_id` is the
/// device the request authenticated as, never the one the body claims.
pub fn check_batch(batch: &PushBatch, device_id: DeviceId) -> Result<(), BatchError> {
    if batch.protocol != PROTOCOL_VERSION {
        return Err(BatchError::UnsupportedProtocol { got: batch.protocol });
    }
    if batch.device_id != device_id {
        return Err(BatchError::DeviceMismatch);
    }
    if batch.mutations.len() > MAX_BATCH_MUTATIONS {
        return Err(BatchError::TooLarge { count: batch.mutations.len() });
    }
    match batch.mutations.iter().find(|m| m.device_id != device_id) {
        Some(m) => Err(BatchError::ForeignMutation { mutation_id: m.id }),
        None => Ok(()),
    }
}

/// The order in which a batch's mutations are decided: by `seq`, whatever order the
/// network or the phone put them in (ties keep their order in the batch). Receipts are
/// still returned in the batch's own order. Over the batch's `mutations`, or anything
/// holding them in their order (the store's judged mutations), so nothing is copied.
pub fn decision_order<M: AsRef<Mutation>>(mutations: &[M]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..mutations.len()).collect();
    order.sort_by_key(|&i| mutations[i].as_ref().seq);
    order
}

/// For each mutation of the batch, the one of the same id decided before it in `order`
/// (the [`decision_order`]), if any: what [`Known::batch_twin`] is for it.
pub fn batch_twins<M: AsRef<Mutation>>(mutations: &[M], order: &[usize]) -> Vec<Option<usize>> {
    let mut first: std::collections::HashMap<Uuid, usize> = std::collections::HashMap::new();
    let mut twins = vec![None; mutations.len()];
    for &i in order {
        match first.entry(mutations[i].as_ref().id) {
            std::collections::hash_map::Entry::Occupied(earlier) => twins[i] = Some(*earlier.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
    twins
}

/// What the store knows about one mutation, read in the batch's transaction just
/// before deciding it (so it includes the effect of earlier mutations of the batch).
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    /// The mutation of the same id decided before this one in the same batch (see
    /// [`batch_twins`]), if any.
    pub batch_twin: Option<&'a Mutation>,
    /// The stored receipt for this mutation id, and the device that sent it.
    pub stored: Option<(DeviceId, &'a Receipt)>,
    /// The id of the mutation that already holds this device's `seq`, if any.
    pub seq_holder: Option<Uuid>,
    /// Whether every `seq` of this device below this one has a stored receipt. In SQL:
    /// `count(*) … where device_id = ? and seq < ?` equals `seq - 1` (seqs are unique
    /// per device and start at 1).
    pub earlier_settled: bool,
}

/// Whether a mutation is answered without being decided, or must be decided now.
#[derive(Debug, Clone, PartialEq)]
pub enum Admission {
    /// Answer this and store nothing: a replay's stored receipt, a refusal, a deferral.
    Answer(Receipt),
    /// Decide it (apply, reject or keep as conflict) and store its receipt.
    Decide,
}

/// The ordering rules, in the order they are checked:
/// 0. an id that came earlier in the same batch with other contents is refused (field
///    `id`, `already_used`): the receipt of the earlier one would silently drop this
///    one. The same contents twice are one mutation, answered alike (rule 1);
/// 1. an id with a stored receipt is a replay: the stored receipt, unchanged;
/// 2. an id stored for another device is refused (field `id`), without leaking the
///    other device's receipt;
/// 3. a `seq` of 0 or one already held by another id is refused (field `seq`): a phone
///    that lost its outbox must register as a new device, never reuse its numbers. A
///    `seq` above [`MAX_STORED_NUMBER`] is refused too (`out_of_range`): it can never
///    be stored, so it holds no place in the device's numbering and no edit waits for
///    it (edits wait only for lower seqs, and none is higher);
/// 4. an edit waits (`Deferred`) until every earlier mutation of its device is decided,
///    so it sees the device's own earlier creates and edits;
/// 5. everything else is decided now. Creates do not wait for a gap: they read nothing
///    an earlier mutation writes, so deciding them early equals deciding them in order.
///
/// Refusals are not stored, yet every later answer for the id is the same, because an
/// id's owner and a `seq`'s holder never change once stored.
pub fn admit(m: &Mutation, known: Known<'_>) -> Admission {
    let answer = |outcome| Admission::Answer(Receipt { mutation_id: m.id, seq: m.seq, outcome });
    if known.batch_twin.is_some_and(|twin| twin != m) {
        return answer(Outcome::Rejected { errors: already_used("id") });
    }
    match known.stored {
        Some((device, stored)) if device == m.device_id => return Admission::Answer(stored.clone()),
        Some(_) => return answer(refusal("id")),
        None => {}
    }
    if m.seq == 0 || known.seq_holder.is_some_and(|holder| holder != m.id) {
        return answer(refusal("seq"));
    }
    if m.seq > MAX_STORED_NUMBER {
        let mut errors = ValidationErrors::default();
        errors.push("seq", Problem::OutOfRange);
        return answer(Outcome::Rejected { errors });
    }
    if m.body.is_edit() && !known.earlier_settled {
        return answer(Outcome::Deferred);
    }
    Admission::Decide
}

fn refusal(field: &str) -> Outcome {
    let mut errors = ValidationErrors::default();
    errors.push(field, Problem::Malformed);
    Outcome::Rejected { errors }
}

/// The answer for a create whose chosen id (`id`, or the signal's `photo_id`) a record
/// already holds: the same whether that record is the sender's, their team's or
/// anyone else's, so it says nothing about records they may not see.
pub fn already_used(field: &str) -> ValidationErrors {
    let mut errors = ValidationErrors::default();
    errors.push(field, Problem::AlreadyUsed);
    errors
}

/// A contact as the server validates it: one logged offline without its own time took
/// place when the phone saved it, not when the network came back.
pub fn contact_as_captured(draft: &ContactDraft, created_at: DateTime<Utc>) -> ContactDraft {
    ContactDraft { occurred_at: draft.occurred_at.or(Some(created_at)), ..draft.clone() }
}

/// A signal as the server validates it; see [`contact_as_captured`].
pub fn signal_as_captured(draft: &SignalDraft, created_at: DateTime<Utc>) -> SignalDraft {
    SignalDraft { occurred_at: draft.occurred_at.or(Some(created_at)), ..draft.clone() }
}

/// The error for an edit of a signal the server does not hold (never created, or its
/// create was rejected). `UnknownCode` as for an unknown neighbourhood: the id is not
/// one the server knows.
pub fn unknown_signal() -> ValidationErrors {
    let mut errors = ValidationErrors::default();
    errors.push("signal_id", Problem::UnknownCode);
    errors
}

/// A checked edit of a signal.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalEdit {
    pub status: Option<SignalStatus>,
    /// `None`: unchanged; `Some(None)`: withdrawn; `Some(Some(text))`: replaced.
    pub feedback: Option<Option<String>>,
}

impl SignalEdit {
    /// Checks an edit's own content, before any version is compared: an invalid edit is
    /// rejected, not kept as a conflict nobody could apply anyway.
    pub fn check(
        base_version: u64,
        status: Option<SignalStatus>,
        feedback: Option<&str>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if base_version == 0 {
            // Versions start at 1; a 0 is a phone's bug, not a stale edit.
            errors.push("base_version", Problem::Malformed);
        } else if base_version > MAX_STORED_NUMBER {
            // No signal ever gets there, and a conflict based on it could not be stored.
            errors.push("base_version", Problem::OutOfRange);
        }
        if status.is_none() && feedback.is_none() {
            errors.push("status", Problem::Required);
        }
        let feedback = feedback.map(str::trim).map(|text| {
            if text.chars().count() > FEEDBACK_MAX_CHARS {
                // Refused rather than cut: the writer decides what to leave out.
                errors.push("feedback", Problem::TooLong { max: FEEDBACK_MAX_CHARS });
            }
            (!text.is_empty()).then(|| text.to_owned())
        });
        errors.into_result(|| Self { status, feedback })
    }

    pub fn apply_to(&self, signal: &mut NeighbourhoodSignal) {
        if let Some(status) = self.status {
            signal.status = status;
        }
        if let Some(feedback) = &self.feedback {
            signal.feedback.clone_from(feedback);
        }
    }
}

/// Whether an edit may be applied. It may when nobody but its own device changed the
/// signal since `base_version`: a phone that edits a signal twice offline sends both
/// edits with the version it last saw, and the second must not conflict with the
/// first. `others_since_base` is whether any version in `(base_version,
/// current_version]` was written by another device (or on the web), so the stores keep
/// the writer of every version.
pub fn edit_applies(base_version: u64, current_version: u64, others_since_base: bool) -> bool {
    base_version <= current_version && !others_since_base
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, SystemClock};
    use crate::ids::RecordId;
    use crate::sync::protocol::MutationBody;

    fn mutation(seq: u64, body: MutationBody) -> Mutation {
        Mutation {
            id: Uuid::now_v7(),
            device_id: DeviceId::from_uuid(Uuid::from_u128(7)),
            seq,
            created_at: SystemClock.now(),
            body,
        }
    }

    fn edit() -> MutationBody {
        MutationBody::EditSignal {
            signal_id: RecordId::from_uuid(Uuid::nil()),
            base_version: 1,
            status: Some(SignalStatus::Resolved),
            feedback: None,
        }
    }

    const FRESH: Known<'static> = Known { batch_twin: None, stored: None, seq_holder: None, earlier_settled: true };

    #[test]
    fn a_replay_gets_the_stored_receipt_and_a_stranger_gets_nothing_of_it() {
        let m = mutation(3, MutationBody::CreateContact(ContactDraft::default()));
        let stored = Receipt {
            mutation_id: m.id,
            seq: 3,
            outcome: Outcome::Applied { record_id: RecordId::from_uuid(m.id), version: 1 },
        };
        let own = Known { stored: Some((m.device_id, &stored)), ..FRESH };
        assert_eq!(admit(&m, own), Admission::Answer(stored.clone()));
        let foreign = Known { stored: Some((DeviceId::from_uuid(Uuid::from_u128(8)), &stored)), ..FRESH };
        let Admission::Answer(answer) = admit(&m, foreign) else { panic!("must be answered") };
        assert!(matches!(answer.outcome, Outcome::Rejected { ref errors } if errors.for_field("id").is_some()));
    }

    #[test]
    fn a_reused_or_zero_seq_is_refused() {
        let m = mutation(2, MutationBody::CreateContact(ContactDraft::default()));
        let taken = Known { seq_holder: Some(Uuid::now_v7()), ..FRESH };
        assert!(matches!(admit(&m, taken), Admission::Answer(Receipt { outcome: Outcome::Rejected { .. }, .. })));
        let zero = mutation(0, MutationBody::CreateContact(ContactDraft::default()));
        assert!(matches!(admit(&zero, FRESH), Admission::Answer(Receipt { outcome: Outcome::Rejected { .. }, .. })));
        let own_slot = Known { seq_holder: Some(m.id), ..FRESH };
        assert_eq!(admit(&m, own_slot), Admission::Decide);
    }

    #[test]
    fn a_seq_the_server_cannot_store_is_refused_on_its_own() {
        let over = mutation(MAX_STORED_NUMBER + 1, MutationBody::CreateContact(ContactDraft::default()));
        let Admission::Answer(answer) = admit(&over, FRESH) else { panic!("must be answered") };
        let Outcome::Rejected { errors } = answer.outcome else { panic!("rejected, not {:?}", answer.outcome) };
        assert_eq!(errors.for_field("seq"), Some(&Problem::OutOfRange));
        assert_eq!(answer.seq, MAX_STORED_NUMBER + 1, "the receipt names the seq the phone sent");
        let gap = Known { earlier_settled: false, ..FRESH };
        assert!(matches!(
            admit(&mutation(u64::MAX, edit()), gap),
            Admission::Answer(Receipt { outcome: Outcome::Rejected { .. }, .. })
        ));
        assert_eq!(admit(&mutation(MAX_STORED_NUMBER, edit()), FRESH), Admission::Decide, "the largest storable");
    }

    #[test]
    fn the_same_id_twice_in_a_batch_with_other_contents_is_refused() {
        let first = mutation(4, MutationBody::CreateContact(ContactDraft::default()));
        let other = Mutation { seq: 5, body: MutationBody::CreateSignal(SignalDraft::default()), ..first.clone() };
        let Admission::Answer(answer) = admit(&other, Known { batch_twin: Some(&first), ..FRESH }) else {
            panic!("must be answered")
        };
        let Outcome::Rejected { errors } = answer.outcome else { panic!("rejected, not {:?}", answer.outcome) };
        assert_eq!(errors.for_field("id"), Some(&Problem::AlreadyUsed));
        // The same contents twice are one mutation: answered as the first (here: decided).
        assert_eq!(admit(&first.clone(), Known { batch_twin: Some(&first), ..FRESH }), Admission::Decide);

        let device_id = first.device_id;
        let batch = PushBatch { protocol: PROTOCOL_VERSION, device_id, mutations: vec![other, first.clone(), first] };
        assert_eq!(batch_twins(&batch.mutations, &decision_order(&batch.mutations)), vec![Some(1), None, Some(1)]);
    }

    #[test]
    fn edits_wait_for_a_gap_and_creates_do_not() {
        let gap = Known { earlier_settled: false, ..FRESH };
        let Admission::Answer(answer) = admit(&mutation(5, edit()), gap) else { panic!("an edit waits") };
        assert_eq!(answer.outcome, Outcome::Deferred);
        assert_eq!(admit(&mutation(5, MutationBody::CreateSignal(SignalDraft::default())), gap), Admission::Decide);
        assert_eq!(admit(&mutation(5, edit()), FRESH), Admission::Decide);
    }

    #[test]
    fn batches_are_decided_in_seq_order() {
        let device_id = DeviceId::from_uuid(Uuid::from_u128(7));
        let mutations = [3, 1, 2, 1].map(|seq| mutation(seq, edit())).to_vec();
        let batch = PushBatch { protocol: PROTOCOL_VERSION, device_id, mutations };
        assert_eq!(decision_order(&batch.mutations), vec![1, 3, 2, 0]);
        assert_eq!(check_batch(&batch, device_id), Ok(()));
        assert_eq!(check_batch(&batch, DeviceId::from_uuid(Uuid::nil())), Err(BatchError::DeviceMismatch));
        let old = PushBatch { protocol: 0, ..batch.clone() };
        assert_eq!(check_batch(&old, device_id), Err(BatchError::UnsupportedProtocol { got: 0 }));
        let mut mixed = batch;
        mixed.mutations[2].device_id = DeviceId::from_uuid(Uuid::nil());
        let stranger = mixed.mutations[2].id;
        assert_eq!(check_batch(&mixed, device_id), Err(BatchError::ForeignMutation { mutation_id: stranger }));
    }

    #[test]
    fn a_capture_without_its_own_time_happened_when_saved() {
        let saved = DateTime::from_timestamp(1_750_000_000, 0).unwrap();
        assert_eq!(contact_as_captured(&ContactDraft::default(), saved).occurred_at, Some(saved));
        let own = SignalDraft { occurred_at: Some(saved - chrono::Duration::hours(1)), ..SignalDraft::default() };
        assert_eq!(signal_as_captured(&own, saved).occurred_at, own.occurred_at);
    }

    #[test]
    fn edits_are_checked_before_versions() {
        let empty = SignalEdit::check(1, None, None).unwrap_err();
        assert_eq!(empty.for_field("status"), Some(&Problem::Required));
        let long = "x".repeat(FEEDBACK_MAX_CHARS + 1);
        let refused = SignalEdit::check(0, None, Some(&long)).unwrap_err();
        assert_eq!(refused.for_field("feedback"), Some(&Problem::TooLong { max: FEEDBACK_MAX_CHARS }));
        assert_eq!(refused.for_field("base_version"), Some(&Problem::Malformed));
        let beyond = SignalEdit::check(MAX_STORED_NUMBER + 1, Some(SignalStatus::Resolved), None).unwrap_err();
        assert_eq!(beyond.for_field("base_version"), Some(&Problem::OutOfRange));
        assert!(SignalEdit::check(MAX_STORED_NUMBER, Some(SignalStatus::Resolved), None).is_ok());
        let withdraw = SignalEdit::check(2, None, Some("  ")).unwrap();
        assert_eq!(withdraw.feedback, Some(None));
    }

    #[test]
    fn an_edit_applies_over_its_own_devices_versions_only() {
        assert!(edit_applies(3, 3, false));
        assert!(edit_applies(1, 3, false), "both later versions were this device's own");
        assert!(!edit_applies(1, 3, true), "someone else changed it since");
        assert!(!edit_applies(4, 3, false), "a version the server never had");
    }
}
