use super::*;
use crate::contact::ContactDraft;
use crate::ids::{DeviceId, RecordId};
use crate::validation::Problem;

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_750_000_000, 0).unwrap() + chrono::Duration::minutes(minutes)
}

/// An outbox holding `n` contacts, queued a minute apart.
fn outbox(n: u64) -> Outbox {
    let mut outbox = Outbox::new(DeviceId::from_uuid(Uuid::from_u128(1)));
    for i in 0..n {
        outbox.enqueue(
            MutationBody::CreateContact(ContactDraft::default()),
            Uuid::from_u128(1000 + u128::from(i)),
            at(i as i64),
        );
    }
    outbox
}

fn applied(m: &Mutation) -> Receipt {
    Receipt {
        mutation_id: m.id,
        seq: m.seq,
        outcome: Outcome::Applied { record_id: RecordId::from_uuid(m.id), version: 1 },
    }
}

fn rejected(m: &Mutation) -> Receipt {
    let mut errors = ValidationErrors::default();
    errors.push("kind", Problem::Required);
    Receipt { mutation_id: m.id, seq: m.seq, outcome: Outcome::Rejected { errors } }
}

fn states(outbox: &Outbox) -> Vec<&ItemState> {
    outbox.items().iter().map(|item| &item.state).collect()
}

#[test]
fn entries_are_numbered_from_one_in_the_order_saved() {
    let mut outbox = outbox(2);
    let third = outbox.enqueue(MutationBody::CreateContact(ContactDraft::default()), Uuid::from_u128(9), at(5));
    assert_eq!((third.seq, third.device_id, third.created_at), (3, DeviceId::from_uuid(Uuid::from_u128(1)), at(5)));
    assert_eq!(outbox.items().iter().map(|i| i.mutation.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(outbox.pending_count(), 3);
}

#[test]
fn a_batch_takes_the_oldest_pending_and_only_one_is_under_way() {
    let mut outbox = outbox(5);
    assert_eq!(outbox.next_batch(0), None);
    let batch = outbox.next_batch(2).expect("pending entries");
    assert_eq!(batch.protocol, PROTOCOL_VERSION);
    assert_eq!(batch.mutations.iter().map(|m| m.seq).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(states(&outbox)[..3], [&ItemState::InFlight, &ItemState::InFlight, &ItemState::Pending]);
    assert_eq!(outbox.next_batch(10), None, "one push at a time");
    assert_eq!(outbox.pending_count(), 5, "in flight still counts as not sent");
}

#[test]
fn each_outcome_settles_its_entry_and_unanswered_ones_return() {
    let mut outbox = outbox(5);
    let batch = outbox.next_batch(5).unwrap();
    let m = &batch.mutations;
    let conflict = Receipt {
        mutation_id: m[2].id,
        seq: 3,
        outcome: Outcome::Conflict { record_id: RecordId::from_uuid(Uuid::from_u128(7)), current_version: 4 },
    };
    let deferred = Receipt { mutation_id: m[3].id, seq: 4, outcome: Outcome::Deferred };
    outbox.on_receipts(&[applied(&m[0]), rejected(&m[1]), conflict, deferred]);
    let states = states(&outbox);
    assert!(matches!(states[0], ItemState::Acknowledged(Outcome::Applied { version: 1, .. })));
    assert!(
        matches!(states[1], ItemState::NeedsAttention(Attention::Rejected { errors }) if errors.for_field("kind").is_some())
    );
    assert_eq!(
        states[2],
        &ItemState::NeedsAttention(Attention::Conflict {
            record_id: RecordId::from_uuid(Uuid::from_u128(7)),
            current_version: 4
        })
    );
    assert_eq!(states[3..], [&ItemState::Pending, &ItemState::Pending], "deferred and unanswered are sent again");
    assert_eq!((outbox.pending_count(), outbox.attention_count()), (2, 2));

    let next = outbox.next_batch(10).unwrap();
    assert_eq!(
        next.mutations.iter().map(|m| m.seq).collect::<Vec<_>>(),
        vec![4, 5],
        "refused entries are never resent"
    );
}

#[test]
fn a_settled_entry_stays_settled_and_a_stray_receipt_is_ignored() {
    let mut outbox = outbox(2);
    let batch = outbox.next_batch(2).unwrap();
    outbox.on_receipts(&[rejected(&batch.mutations[0]), applied(&batch.mutations[1])]);
    let before = outbox.clone();
    outbox.on_receipts(&[applied(&batch.mutations[0])]);
    let stray = Receipt { mutation_id: Uuid::from_u128(5), ..applied(&batch.mutations[1]) };
    outbox.on_receipts(&[stray]);
    assert_eq!(outbox, before);
}

#[test]
fn failures_keep_every_entry_and_count_for_back_off() {
    let mut outbox = outbox(3);
    outbox.next_batch(2).unwrap();
    outbox.on_failure(FailureKind::Network);
    outbox.next_batch(2).unwrap();
    outbox.on_failure(FailureKind::ServerError);
    assert_eq!(outbox.failures(), 2);
    assert_eq!(states(&outbox), vec![&ItemState::Pending; 3]);
    let batch = outbox.next_batch(3).unwrap();
    outbox.on_receipts(&[applied(&batch.mutations[0])]);
    assert_eq!(outbox.failures(), 0, "an answer ends the run of failures");
}

#[test]
fn a_refused_login_stops_sending_until_the_person_logs_in_again() {
    let mut outbox = outbox(2);
    outbox.next_batch(2).unwrap();
    outbox.on_failure(FailureKind::AuthRefused);
    assert!(outbox.needs_login());
    assert_eq!(outbox.next_batch(2), None);
    assert_eq!(outbox.pending_count(), 2, "the data is kept");
    outbox.logged_in_again();
    assert_eq!((outbox.needs_login(), outbox.failures()), (false, 0));
    assert_eq!(outbox.next_batch(2).unwrap().mutations.len(), 2);
}

#[test]
fn a_reloaded_outbox_sends_again_what_was_under_way() {
    let mut outbox = outbox(3);
    let batch = outbox.next_batch(1).unwrap();
    outbox.on_receipts(&[rejected(&batch.mutations[0])]);
    outbox.next_batch(1).unwrap();
    let json = serde_json::to_string(&outbox).unwrap();
    let mut reloaded: Outbox = serde_json::from_str(&json).unwrap();
    assert!(!reloaded.in_flight());
    assert_eq!(reloaded.pending_count(), 2);
    assert_eq!(reloaded.items()[0], outbox.items()[0], "a refused entry stays refused");
    assert_eq!(reloaded.next_batch(5).unwrap().mutations.iter().map(|m| m.seq).collect::<Vec<_>>(), vec![2, 3]);
    let next = reloaded.enqueue(MutationBody::CreateContact(ContactDraft::default()), Uuid::from_u128(77), at(9));
    assert_eq!(next.seq, 4, "numbering continues after a reload");
}

#[test]
fn states_serialise_flat_with_their_reason() {
    let mut outbox = outbox(1);
    let batch = outbox.next_batch(1).unwrap();
    outbox.on_receipts(&[rejected(&batch.mutations[0])]);
    let json = serde_json::to_value(&outbox.items()[0]).unwrap();
    assert_eq!(json["state"]["state"], "needs_attention");
    assert_eq!(json["state"]["reason"], "rejected");
    assert_eq!(json["state"]["errors"]["errors"][0]["field"], "kind");
}

#[test]
fn only_a_person_removes_an_entry_that_needs_attention() {
    let mut outbox = outbox(3);
    let batch = outbox.next_batch(3).unwrap();
    outbox.on_receipts(&[applied(&batch.mutations[0]), rejected(&batch.mutations[1])]);
    assert_eq!(outbox.dismiss(batch.mutations[2].id), None, "a pending entry cannot be dismissed");
    assert_eq!(outbox.prune_acknowledged().len(), 1);
    assert_eq!(outbox.dismiss(batch.mutations[1].id).map(|item| item.mutation.seq), Some(2));
    assert_eq!(outbox.items().len(), 1);
    assert_eq!(outbox.pending_count(), 1);
}

#[test]
fn http_statuses_map_to_failure_kinds() {
    assert_eq!(FailureKind::from_status(None), FailureKind::Network);
    assert_eq!(FailureKind::from_status(Some(401)), FailureKind::AuthRefused);
    assert_eq!(FailureKind::from_status(Some(403)), FailureKind::AuthRefused);
    assert_eq!(FailureKind::from_status(Some(503)), FailureKind::ServerError);
    assert_eq!(FailureKind::from_status(Some(426)), FailureKind::ServerError);
}
