//! Property tests of the whole loop: phones save entries, a hostile network carries
//! their pushes to the ledger, and afterwards every entry must be where it belongs:
//! applied exactly once, or refused with the server's reasons, or kept as a conflict;
//! never lost, never doubled, and answered the same way every time it was asked about.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use uuid::Uuid;

use super::outbox::{Attention, ItemState};
use super::protocol::{MutationBody, Outcome, Receipt};
use super::scenario::{edited_signal, Entry, Expect};
use super::sim::{device, Step, World};
use super::strategies::{entry, step};
use crate::ids::RecordId;

/// Runs the world through its hostile steps, then calm weather until every queue is empty.
fn run(phones: usize, entries: Vec<(usize, Entry)>, steps: &[Step]) -> Result<World, TestCaseError> {
    let mut world = World::new(phones, entries);
    for step in steps {
        world.step(step);
    }
    prop_assert!(world.drain(), "the outboxes did not drain in calm weather");
    world.settle_expectations();
    Ok(world)
}

/// Each entry's final receipt matches what it had to become, and the phone shows it.
fn check_entries(world: &World) -> Result<(), TestCaseError> {
    for c in &world.captured {
        let m = &c.mutation;
        let Some(stored) = world.ledger.receipt(m.id) else {
            return Err(TestCaseError::fail(format!("mutation {} (seq {}) was never decided", m.id, m.seq)));
        };
        prop_assert_eq!((stored.mutation_id, stored.seq), (m.id, m.seq));
        let record_id = if m.body.is_edit() { edited_signal(m) } else { RecordId::from_uuid(m.id) };
        match (&c.expect, &stored.outcome) {
            (Expect::Applied | Expect::AppliedOrConflict, Outcome::Applied { record_id: r, version }) => {
                prop_assert_eq!(*r, record_id);
                prop_assert!(m.body.is_edit() || *version == 1);
            }
            (Expect::Rejected { field, problem }, Outcome::Rejected { errors }) => {
                prop_assert_eq!(errors.for_field(field), Some(problem), "{:?}", errors);
            }
            (Expect::Conflict | Expect::AppliedOrConflict, Outcome::Conflict { record_id: r, .. }) => {
                prop_assert_eq!(*r, record_id);
            }
            (expect, outcome) => {
                return Err(TestCaseError::fail(format!("{:?} expected for {:?}, got {outcome:?}", expect, m.body)));
            }
        }
        let item = world.phones[c.phone].items().iter().find(|item| item.mutation.id == m.id);
        let shown = item.map(|item| &item.state).cloned().unwrap_or(ItemState::Pending);
        let agrees = match (&shown, &stored.outcome) {
            (ItemState::Acknowledged(outcome), Outcome::Applied { .. }) => outcome == &stored.outcome,
            (ItemState::NeedsAttention(Attention::Rejected { errors }), Outcome::Rejected { errors: server }) => {
                errors == server
            }
            (
                ItemState::NeedsAttention(Attention::Conflict { record_id, current_version }),
                Outcome::Conflict { record_id: r, current_version: v },
            ) => (record_id, current_version) == (r, v),
            _ => false,
        };
        prop_assert!(agrees, "the phone shows {:?} for a mutation the server answered {:?}", shown, stored);
    }
    Ok(())
}

/// Every answer ever given for a mutation, heard or not, is its stored receipt; only an
/// edit may first have been deferred.
fn check_answers(world: &World) -> Result<(), TestCaseError> {
    let bodies: BTreeMap<Uuid, &MutationBody> =
        world.captured.iter().map(|c| (c.mutation.id, &c.mutation.body)).collect();
    for (id, answers) in &world.answers {
        let stored = world.ledger.receipt(*id);
        for answer in answers {
            if answer.outcome == Outcome::Deferred {
                prop_assert!(bodies[id].is_edit(), "a create was deferred");
            } else {
                prop_assert_eq!(Some(answer), stored, "answers for one mutation differ");
            }
        }
    }
    Ok(())
}

/// Exactly once: every entry decided once, the records are exactly the valid creates.
fn check_records(world: &World) -> Result<(), TestCaseError> {
    let decided = world.ledger.decided();
    let unique: BTreeSet<Uuid> = decided.iter().copied().collect();
    prop_assert_eq!(unique.len(), decided.len(), "a mutation was decided twice");
    let office_decisions = world.ledger.receipts_of(world.office).count();
    prop_assert_eq!(decided.len(), world.captured.len() + office_decisions);

    let applied_creates = |want_signal: bool| -> BTreeSet<RecordId> {
        world
            .captured
            .iter()
            .filter(|c| c.expect == Expect::Applied)
            .filter(|c| {
                matches!(c.mutation.body, MutationBody::CreateSignal(_)) == want_signal && !c.mutation.body.is_edit()
            })
            .map(|c| RecordId::from_uuid(c.mutation.id))
            .collect()
    };
    let contacts: BTreeSet<RecordId> = world.ledger.contacts().keys().copied().collect();
    prop_assert_eq!(contacts, applied_creates(false), "contacts lost or doubled");
    for c in world.captured.iter().filter(|c| matches!(c.mutation.body, MutationBody::CreateContact(_))) {
        if let Some(contact) = world.ledger.contacts().get(&RecordId::from_uuid(c.mutation.id)) {
            prop_assert_eq!(contact.occurred_at, c.mutation.created_at, "a contact logged offline keeps its time");
        }
    }
    let mut signals = applied_creates(true);
    signals.extend(world.shared.iter().map(|s| s.id));
    let stored: BTreeSet<RecordId> = world.ledger.signals().keys().copied().collect();
    prop_assert_eq!(stored, signals, "signals lost or doubled");

    for (p, _) in world.phones.iter().enumerate() {
        let sent = world.captured.iter().filter(|c| c.phone == p).count();
        prop_assert_eq!(world.ledger.receipts_of(device(p)).count(), sent, "phone {}: not every entry decided", p);
    }
    Ok(())
}

/// Versions form one chain per signal; an applied edit only ever follows its own
/// device's versions since its base; a conflict is kept whole and was a real one.
fn check_edits(world: &World) -> Result<(), TestCaseError> {
    let mut applied: BTreeMap<RecordId, Vec<(u64, &super::protocol::Mutation)>> = BTreeMap::new();
    for c in world.captured.iter().filter(|c| c.mutation.body.is_edit()) {
        if let Some(Receipt { outcome: Outcome::Applied { version, .. }, .. }) = world.ledger.receipt(c.mutation.id) {
            applied.entry(edited_signal(&c.mutation)).or_default().push((*version, &c.mutation));
        }
    }
    for (id, record) in world.ledger.signals() {
        prop_assert_eq!(record.writers.len() as u64, record.version);
        let start = world.shared.iter().find(|s| s.id == *id).map_or(1, |s| s.version);
        let mut edits = applied.remove(id).unwrap_or_default();
        edits.sort_by_key(|(version, _)| *version);
        let versions: Vec<u64> = edits.iter().map(|(v, _)| *v).collect();
        prop_assert_eq!(versions, (start + 1..=record.version).collect::<Vec<_>>(), "signal {}: versions", id);
        for (version, m) in &edits {
            let MutationBody::EditSignal { base_version, .. } = &m.body else { unreachable!() };
            let span = &record.writers[*base_version as usize..*version as usize];
            prop_assert!(span.iter().all(|w| *w == m.device_id), "edit {} applied over another device's version", m.id);
        }
        if let Some((_, last)) = edits.last() {
            let MutationBody::EditSignal { status, feedback, .. } = &last.body else { unreachable!() };
            prop_assert_eq!(Some(record.signal.status), *status);
            prop_assert_eq!(&record.signal.feedback, feedback);
        }
    }
    prop_assert!(applied.is_empty(), "edits applied to signals that do not exist");

    let conflicts: BTreeMap<Uuid, _> = world.ledger.conflicts().iter().map(|k| (k.mutation_id, k)).collect();
    prop_assert_eq!(conflicts.len(), world.ledger.conflicts().len(), "a conflict kept twice");
    let mut expected = 0;
    for c in &world.captured {
        let Some(Receipt { outcome: Outcome::Conflict { current_version, .. }, .. }) =
            world.ledger.receipt(c.mutation.id)
        else {
            continue;
        };
        expected += 1;
        let MutationBody::EditSignal { signal_id, base_version, status, feedback } = &c.mutation.body else {
            unreachable!()
        };
        let Some(kept) = conflicts.get(&c.mutation.id) else {
            return Err(TestCaseError::fail(format!("conflict {} not kept", c.mutation.id)));
        };
        prop_assert_eq!(
            (kept.signal_id, kept.base_version, kept.current_version, kept.status, &kept.feedback),
            (*signal_id, *base_version, *current_version, *status, feedback)
        );
        let writers = &world.ledger.signals()[signal_id].writers;
        let since = writers.get(*base_version as usize..*current_version as usize).unwrap_or_default();
        let rival = since.iter().any(|w| *w != c.mutation.device_id);
        prop_assert!(base_version > current_version || rival, "a conflict without a rival version");
    }
    prop_assert_eq!(expected, conflicts.len());
    Ok(())
}

/// Replaying every push ever sent, once more, changes nothing and answers the same.
fn check_late_replay(world: &mut World) -> Result<(), TestCaseError> {
    let before = world.ledger.clone();
    for batch in world.sent.clone() {
        let receipts = world.ledger.apply_batch(&batch, world.now).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for receipt in receipts {
            prop_assert_eq!(Some(&receipt), before.receipt(receipt.mutation_id));
        }
    }
    prop_assert!(world.ledger == before, "a late replay changed the ledger");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_entry_arrives_exactly_once_through_a_hostile_network(
        phones in 1..=3usize,
        entries in prop::collection::vec((0..3usize, entry()), 1..200),
        steps in prop::collection::vec(step(), 0..300),
    ) {
        let mut world = run(phones, entries, &steps)?;
        check_entries(&world)?;
        check_answers(&world)?;
        check_records(&world)?;
        check_edits(&world)?;
        check_late_replay(&mut world)?;
    }
}
