use crate::ids::{DeviceId, NeighbourhoodId, PhotoId, RecordId, TeamId, UserId};
use chrono::Duration;

use super::*;
use crate::contact::ContactDraft;
use crate::signal::SignalDraft;
use crate::sync::protocol::PROTOCOL_VERSION;
use crate::validation::Problem;

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_750_000_000, 0).unwrap() + Duration::minutes(minutes)
}

fn sender(n: u128) -> Sender {
    Sender {
        author_id: UserId::from_uuid(Uuid::from_u128(100 + n)),
        team_id: TeamId::from_uuid(Uuid::from_u128(200)),
        org_id: None,
    }
}

/// A ledger with devices 1 and 2 registered.
fn ledger() -> Ledger {
    let mut ledger = Ledger::new();
    ledger.register_device(device(1), sender(1));
    ledger.register_device(device(2), sender(2));
    ledger
}

fn device(n: u128) -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(n))
}

pub(crate) fn contact() -> ContactDraft {
    ContactDraft {
        neighbourhood_id: NeighbourhoodId::from_uuid(Uuid::from_u128(300)).to_string(),
        mobility: "on_foot".into(),
        kind: "conversation".into(),
        reason: "acquaintance".into(),
        outcome: "informed".into(),
        ..ContactDraft::default()
    }
}

fn signal() -> SignalDraft {
    SignalDraft {
        neighbourhood_id: NeighbourhoodId::from_uuid(Uuid::from_u128(300)).to_string(),
        category: "waste".into(),
        urgency: "normal".into(),
        description: "Dumped mattresses behind the school".into(),
        ..SignalDraft::default()
    }
}

fn mutation(device_n: u128, seq: u64, body: MutationBody) -> Mutation {
    Mutation { id: Uuid::now_v7(), device_id: device(device_n), seq, created_at: at(0), body }
}

/// The record a create made: it takes its mutation's id.
fn record_of(create: &Mutation) -> RecordId {
    RecordId::from_uuid(create.id)
}

fn edit(signal_id: RecordId, base_version: u64, status: SignalStatus) -> MutationBody {
    MutationBody::EditSignal { signal_id, base_version, status: Some(status), feedback: None }
}

fn push(ledger: &mut Ledger, mutations: Vec<Mutation>, now: DateTime<Utc>) -> Vec<Receipt> {
    let batch = PushBatch { protocol: PROTOCOL_VERSION, device_id: mutations[0].device_id, mutations };
    ledger.apply_batch(&batch, now).expect("batch accepted")
}

#[test]
fn a_replayed_batch_changes_nothing_and_answers_the_same() {
    let mut ledger = ledger();
    let batch = vec![
        mutation(1, 1, MutationBody::CreateContact(contact())),
        mutation(1, 2, MutationBody::CreateSignal(signal())),
    ];
    let first = push(&mut ledger, batch.clone(), at(10));
    assert!(first.iter().all(|r| matches!(r.outcome, Outcome::Applied { version: 1, .. })));
    let before = ledger.clone();
    let again = push(&mut ledger, batch.clone(), at(20));
    assert_eq!(again, first);
    assert_eq!(ledger, before, "a replay stores nothing");
    let part = push(&mut ledger, vec![batch[1].clone()], at(30));
    assert_eq!(part, vec![first[1].clone()]);
}

#[test]
fn a_created_record_takes_the_mutation_id_and_the_capture_time() {
    let mut ledger = ledger();
    let m = Mutation { created_at: at(-90), ..mutation(1, 1, MutationBody::CreateContact(contact())) };
    push(&mut ledger, vec![m.clone()], at(0));
    let stored = &ledger.contacts()[&record_of(&m)];
    assert_eq!(stored.occurred_at, at(-90), "logged offline an hour and a half ago");
    assert_eq!(stored.received_at, at(0));
    assert_eq!(stored.author_id, sender(1).author_id);
}

#[test]
fn an_invalid_entry_is_rejected_with_its_reasons_and_does_not_block_the_others() {
    let mut ledger = ledger();
    let bad = ContactDraft { kind: "arrest".into(), ..contact() };
    let receipts = push(
        &mut ledger,
        vec![mutation(1, 1, MutationBody::CreateContact(bad)), mutation(1, 2, MutationBody::CreateContact(contact()))],
        at(0),
    );
    let Outcome::Rejected { errors } = &receipts[0].outcome else { panic!("{receipts:?}") };
    assert_eq!(errors.for_field("kind"), Some(&Problem::UnknownCode));
    assert!(matches!(receipts[1].outcome, Outcome::Applied { .. }));
    assert_eq!(ledger.contacts().len(), 1);
    assert_eq!(ledger.receipt(receipts[0].mutation_id), Some(&receipts[0]), "a rejection is stored too");
}

#[test]
fn an_entry_kept_offline_too_long_is_rejected_as_too_old() {
    let mut ledger = ledger();
    let m =
        Mutation { created_at: at(0) - Duration::days(61), ..mutation(1, 1, MutationBody::CreateContact(contact())) };
    let receipts = push(&mut ledger, vec![m], at(0));
    assert!(matches!(&receipts[0].outcome, Outcome::Rejected { errors } if errors.for_field("occurred_at").is_some()));
}

#[test]
fn a_shuffled_batch_is_decided_in_seq_order_and_answered_in_its_own() {
    let mut ledger = ledger();
    let create = mutation(1, 1, MutationBody::CreateSignal(signal()));
    let first_edit = mutation(1, 2, edit(record_of(&create), 1, SignalStatus::InProgress));
    let second_edit = mutation(1, 3, edit(record_of(&create), 1, SignalStatus::Resolved));
    let receipts = push(&mut ledger, vec![second_edit.clone(), create.clone(), first_edit.clone()], at(0));
    assert_eq!(receipts.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![3, 1, 2]);
    assert_eq!(receipts[0].outcome, Outcome::Applied { record_id: record_of(&create), version: 3 });
    let record = &ledger.signals()[&record_of(&create)];
    assert_eq!((record.version, record.signal.status), (3, SignalStatus::Resolved));
}

#[test]
fn after_a_lost_batch_creates_go_ahead_and_edits_wait() {
    let mut ledger = ledger();
    let create = mutation(1, 1, MutationBody::CreateSignal(signal()));
    let change = mutation(1, 2, edit(record_of(&create), 1, SignalStatus::Resolved));
    let contact = mutation(1, 3, MutationBody::CreateContact(contact()));
    let early = push(&mut ledger, vec![change.clone(), contact.clone()], at(0));
    assert_eq!(early[0].outcome, Outcome::Deferred);
    assert!(matches!(early[1].outcome, Outcome::Applied { .. }));
    assert_eq!(ledger.receipt(change.id), None, "a deferral is not stored");
    assert_eq!(ledger.settled_through(device(1)), 0);

    push(&mut ledger, vec![create.clone()], at(1));
    let late = push(&mut ledger, vec![change.clone(), contact.clone()], at(2));
    assert_eq!(late[0].outcome, Outcome::Applied { record_id: record_of(&create), version: 2 });
    assert_eq!(late[1], early[1], "the contact was not applied twice");
    assert_eq!(ledger.settled_through(device(1)), 3);
    assert_eq!(ledger.decided().len(), 3);
}

#[test]
fn an_edit_of_a_signal_the_server_never_got_is_rejected() {
    let mut ledger = ledger();
    let bad_create = mutation(1, 1, MutationBody::CreateSignal(SignalDraft::default()));
    let change = mutation(1, 2, edit(record_of(&bad_create), 1, SignalStatus::Resolved));
    let receipts = push(&mut ledger, vec![bad_create, change], at(0));
    let Outcome::Rejected { errors } = &receipts[1].outcome else { panic!("{receipts:?}") };
    assert_eq!(errors.for_field("signal_id"), Some(&Problem::UnknownCode));
}

#[test]
fn two_devices_editing_the_same_version_keep_the_second_as_a_conflict() {
    let mut ledger = ledger();
    let create = mutation(1, 1, MutationBody::CreateSignal(signal()));
    push(&mut ledger, vec![create.clone()], at(0));
    let mine = mutation(1, 2, edit(record_of(&create), 1, SignalStatus::InProgress));
    let theirs = Mutation {
        body: MutationBody::EditSignal {
            signal_id: record_of(&create),
            base_version: 1,
            status: Some(SignalStatus::Resolved),
            feedback: Some("Cleared by the city".into()),
        },
        ..mutation(2, 1, MutationBody::CreateContact(contact()))
    };
    push(&mut ledger, vec![mine], at(1));
    let receipts = push(&mut ledger, vec![theirs.clone()], at(2));
    assert_eq!(receipts[0].outcome, Outcome::Conflict { record_id: record_of(&create), current_version: 2 });
    let record = &ledger.signals()[&record_of(&create)];
    assert_eq!(
        (record.version, record.signal.status),
        (2, SignalStatus::InProgress),
        "not applied over the newer version"
    );
    let kept = &ledger.conflicts()[0];
    assert_eq!((kept.mutation_id, kept.base_version, kept.current_version), (theirs.id, 1, 2));
    assert_eq!(kept.feedback.as_deref(), Some("Cleared by the city"), "kept whole, not lost");
    assert_eq!(kept.received_at, at(2));

    // The first device's next offline edit, still based on version 1, is its own chain.
    let again = mutation(1, 3, edit(record_of(&create), 1, SignalStatus::Resolved));
    assert_eq!(
        push(&mut ledger, vec![again], at(3))[0].outcome,
        Outcome::Applied { record_id: record_of(&create), version: 3 }
    );
}

#[test]
fn an_offline_chain_of_edits_conflicts_whole_once_someone_else_changed_the_signal() {
    let mut ledger = ledger();
    let create = mutation(1, 1, MutationBody::CreateSignal(signal()));
    push(&mut ledger, vec![create.clone()], at(0));
    push(&mut ledger, vec![mutation(2, 1, edit(record_of(&create), 1, SignalStatus::InProgress))], at(1));
    // Device 1 edited twice offline, both from version 1, the last it heard of.
    let first = mutation(1, 2, edit(record_of(&create), 1, SignalStatus::Referred));
    let second = mutation(1, 3, edit(record_of(&create), 1, SignalStatus::Resolved));
    let receipts = push(&mut ledger, vec![first, second], at(2));
    assert!(receipts.iter().all(|r| matches!(r.outcome, Outcome::Conflict { current_version: 2, .. })), "{receipts:?}");
    assert_eq!(ledger.conflicts().len(), 2);
}

#[test]
fn reused_numbers_and_borrowed_ids_are_refused_without_being_stored() {
    let mut ledger = ledger();
    let first = mutation(1, 1, MutationBody::CreateContact(contact()));
    push(&mut ledger, vec![first.clone()], at(0));
    let reuse = mutation(1, 1, MutationBody::CreateContact(contact()));
    let answer = push(&mut ledger, vec![reuse.clone()], at(1));
    assert!(matches!(&answer[0].outcome, Outcome::Rejected { errors } if errors.for_field("seq").is_some()));
    assert_eq!(push(&mut ledger, vec![reuse.clone()], at(2)), answer, "the same answer every time");

    let borrowed = Mutation { device_id: device(2), ..first.clone() };
    let answer = push(&mut ledger, vec![borrowed], at(3));
    assert!(matches!(&answer[0].outcome, Outcome::Rejected { errors } if errors.for_field("id").is_some()));
    assert_eq!(ledger.contacts().len(), 1);
    assert_eq!(ledger.decided(), &[first.id]);
}

#[test]
fn only_registered_devices_push_and_a_revoked_one_keeps_its_numbering() {
    let mut ledger = ledger();
    let stranger = mutation(9, 1, MutationBody::CreateContact(contact()));
    let batch = PushBatch { protocol: PROTOCOL_VERSION, device_id: device(9), mutations: vec![stranger] };
    assert_eq!(ledger.apply_batch(&batch, at(0)), Err(BatchError::UnknownDevice));

    push(&mut ledger, vec![mutation(1, 1, MutationBody::CreateContact(contact()))], at(0));
    ledger.revoke_device(device(1));
    let next = mutation(1, 2, MutationBody::CreateContact(contact()));
    let batch = PushBatch { protocol: PROTOCOL_VERSION, device_id: device(1), mutations: vec![next.clone()] };
    assert_eq!(ledger.apply_batch(&batch, at(1)), Err(BatchError::UnknownDevice));
    ledger.register_device(device(1), sender(1));
    assert!(matches!(push(&mut ledger, vec![next], at(2))[0].outcome, Outcome::Applied { .. }));
    assert_eq!(ledger.settled_through(device(1)), 2);
}

#[test]
fn a_batch_speaking_for_two_devices_stores_nothing() {
    let mut ledger = ledger();
    let mine = mutation(1, 1, MutationBody::CreateContact(contact()));
    let theirs = mutation(2, 1, MutationBody::CreateContact(contact()));
    let batch = PushBatch { protocol: PROTOCOL_VERSION, device_id: device(1), mutations: vec![mine, theirs.clone()] };
    assert_eq!(ledger.apply_batch(&batch, at(0)), Err(BatchError::ForeignMutation { mutation_id: theirs.id }));
    assert_eq!(ledger, self::ledger());
}

fn rejected_on(receipt: &Receipt, field: &str) -> Option<Problem> {
    match &receipt.outcome {
        Outcome::Rejected { errors } => errors.for_field(field).cloned(),
        _ => None,
    }
}

#[test]
fn one_id_twice_in_a_batch_is_stored_once_and_other_contents_are_refused() {
    let mut ledger = ledger();
    let first = mutation(1, 1, MutationBody::CreateContact(contact()));
    let same = first.clone();
    let other = Mutation { seq: 2, body: MutationBody::CreateSignal(signal()), ..first.clone() };
    let receipts = push(&mut ledger, vec![first.clone(), other, same], at(10));
    assert!(matches!(receipts[0].outcome, Outcome::Applied { .. }), "{receipts:?}");
    assert_eq!(rejected_on(&receipts[1], "id"), Some(Problem::AlreadyUsed), "never the first's receipt");
    assert_eq!(receipts[2], receipts[0], "the same contents twice are one mutation");
    assert_eq!((ledger.contacts().len(), ledger.signals().len()), (1, 0));
    // Seq 2 holds no place: the phone's next entry with it is decided normally.
    let next = push(&mut ledger, vec![mutation(1, 2, MutationBody::CreateSignal(signal()))], at(11));
    assert!(matches!(next[0].outcome, Outcome::Applied { .. }), "{next:?}");
}

#[test]
fn a_seq_beyond_storage_is_refused_alone_and_its_neighbours_apply() {
    let mut ledger = ledger();
    let huge = mutation(1, crate::sync::MAX_STORED_NUMBER + 1, MutationBody::CreateContact(contact()));
    let receipts = push(&mut ledger, vec![mutation(1, 1, MutationBody::CreateContact(contact())), huge], at(10));
    assert!(matches!(receipts[0].outcome, Outcome::Applied { .. }), "{receipts:?}");
    assert_eq!(rejected_on(&receipts[1], "seq"), Some(Problem::OutOfRange));
    assert_eq!(ledger.settled_through(device(1)), 1);
}

#[test]
fn a_photo_belongs_to_the_first_signal_that_names_it() {
    let mut ledger = ledger();
    let photo_id = Some(PhotoId::new_v7());
    let mine = push(
        &mut ledger,
        vec![mutation(1, 1, MutationBody::CreateSignal(SignalDraft { photo_id, ..signal() }))],
        at(10),
    );
    assert!(matches!(mine[0].outcome, Outcome::Applied { .. }), "{mine:?}");
    let claim = push(
        &mut ledger,
        vec![mutation(2, 1, MutationBody::CreateSignal(SignalDraft { photo_id, ..signal() }))],
        at(11),
    );
    assert_eq!(rejected_on(&claim[0], "photo_id"), Some(Problem::AlreadyUsed));
}
