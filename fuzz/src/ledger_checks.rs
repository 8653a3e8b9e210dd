//! The sync contract as properties of the in-memory [`Ledger`], the reference model the
//! SQL stores are held to, driven through the same `rules` functions they call.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use domain::sync::rules::{batch_twins, decision_order};
use domain::sync::{BatchError, Ledger, Outcome, PushBatch, Receipt, MAX_STORED_NUMBER};
use domain::{DeviceId, RecordId};
use uuid::Uuid;

/// The order the mutations are decided in is a permutation of the batch, by `seq`,
/// ties in batch order; a mutation's twin is the first one of its id in that order.
pub fn check_order(batch: &PushBatch) {
    let order = decision_order(&batch.mutations);
    let mut seen = vec![false; batch.mutations.len()];
    for &i in &order {
        assert!(!std::mem::replace(&mut seen[i], true), "decision_order names {i} twice");
    }
    assert!(seen.iter().all(|s| *s), "decision_order leaves a mutation out");
    for pair in order.windows(2) {
        let (a, b) = (&batch.mutations[pair[0]], &batch.mutations[pair[1]]);
        assert!(a.seq < b.seq || (a.seq == b.seq && pair[0] < pair[1]), "not by seq, ties in batch order: {order:?}");
    }
    let twins = batch_twins(&batch.mutations, &order);
    let position: HashMap<usize, usize> = order.iter().enumerate().map(|(at, &i)| (i, at)).collect();
    let mut first_of: HashMap<Uuid, usize> = HashMap::new();
    for &i in &order {
        let first = *first_of.entry(batch.mutations[i].id).or_insert(i);
        match twins[i] {
            None => assert_eq!(first, i, "mutation {i} has an earlier twin that batch_twins missed"),
            Some(t) => {
                assert_eq!(t, first, "the twin of {i} is the first of its id");
                assert!(position[&t] < position[&i], "a twin is decided before");
            }
        }
    }
}

/// Applies `batch` as the device it names and checks every promise of the contract
/// about the answers, the replay of the same batch, and the ledger afterwards.
pub fn apply_checked(ledger: &mut Ledger, batch: &PushBatch, now: DateTime<Utc>) -> Result<Vec<Receipt>, BatchError> {
    check_order(batch);
    let before = ledger.clone();
    let receipts = match ledger.apply_batch(batch, now) {
        Ok(receipts) => receipts,
        Err(err) => {
            assert_eq!(*ledger, before, "a refused batch ({err}) stored something");
            return Err(err);
        }
    };
    assert_eq!(receipts.len(), batch.mutations.len(), "one receipt per mutation");
    for (m, r) in batch.mutations.iter().zip(&receipts) {
        assert_eq!(r.mutation_id, m.id, "receipts come in the batch's order");
        let replayed = before.receipt(m.id) == Some(r);
        assert!(r.seq == m.seq || replayed, "a receipt with another seq must be the stored one, unchanged: {r:?}");
        match &r.outcome {
            Outcome::Deferred => {
                assert!(m.body.is_edit() && (1..=MAX_STORED_NUMBER).contains(&m.seq), "only edits wait: {m:?}");
                assert_eq!(ledger.receipt(m.id), None, "a deferred mutation is not stored");
            }
            Outcome::Applied { .. } | Outcome::Conflict { .. } => {
                assert_eq!(ledger.receipt(m.id), Some(r), "applied and conflict answers are stored as answered");
            }
            Outcome::Rejected { errors } => assert!(!errors.is_empty(), "a rejection says why"),
        }
        if !replayed {
            if m.seq == 0 || m.seq > MAX_STORED_NUMBER {
                assert!(matches!(r.outcome, Outcome::Rejected { .. }), "seq {} is refused: {r:?}", m.seq);
            }
            if let Outcome::Applied { record_id, version } = r.outcome {
                if !m.body.is_edit() {
                    assert_eq!(
                        (record_id, version),
                        (RecordId::from_uuid(m.id), 1),
                        "a create makes a record of its own id"
                    );
                }
            }
        }
    }
    // The same batch again, straight away (the answer was lost on the way back): every
    // final answer the same, and nothing stored. A deferred edit may now be refused, when
    // a mutation decided after it in the batch took its `seq`.
    let mut again = ledger.clone();
    let replayed = again.apply_batch(batch, now).expect("a batch accepted once is accepted again");
    for (first, replay) in receipts.iter().zip(&replayed) {
        if first.outcome.is_final() {
            assert_eq!(replay, first, "a replay gets the same final answers");
        }
    }
    assert!(again == *ledger, "a replay changes nothing");
    Ok(receipts)
}

/// What must hold of the ledger at any time, for the devices that have pushed.
pub fn check_ledger(ledger: &Ledger, devices: &[DeviceId]) {
    let decided = ledger.decided();
    let unique: HashSet<Uuid> = decided.iter().copied().collect();
    assert_eq!(unique.len(), decided.len(), "a mutation was decided twice");
    let stored: usize = devices.iter().map(|d| ledger.receipts_of(*d).count()).sum();
    assert_eq!(stored, decided.len(), "every decision has its stored receipt, and nothing else is stored");
    for device in devices {
        let seqs: HashSet<u64> = ledger.receipts_of(*device).map(|r| r.seq).collect();
        let through = (0..).take_while(|n| seqs.contains(&(n + 1))).count() as u64;
        assert_eq!(ledger.settled_through(*device), through, "settled_through of {device}");
    }
    for (id, contact) in ledger.contacts() {
        assert_eq!(contact.id, *id);
    }
    for (id, record) in ledger.signals() {
        assert_eq!(record.signal.id, *id);
        assert!(record.version >= 1 && record.version == record.writers.len() as u64, "one writer per version");
    }
    for id in decided {
        let receipt = ledger.receipt(*id).expect("a decided mutation has a receipt");
        match receipt.outcome {
            Outcome::Applied { record_id, version } => match ledger.signals().get(&record_id) {
                Some(record) => assert!(version <= record.version, "a version the signal never had"),
                None => {
                    assert!(version == 1 && ledger.contacts().contains_key(&record_id), "an applied create's record")
                }
            },
            Outcome::Conflict { record_id, current_version } => {
                let kept = ledger.conflicts().iter().find(|c| c.mutation_id == *id).expect("a conflict is kept");
                assert_eq!((kept.signal_id, kept.current_version), (record_id, current_version));
                let writers = &ledger.signals()[&record_id].writers;
                let newer = writers.iter().skip(kept.base_version.min(usize::MAX as u64) as usize);
                let others = newer.take((current_version.saturating_sub(kept.base_version)) as usize);
                assert!(
                    kept.base_version > current_version || others.clone().any(|w| *w != kept.device_id),
                    "a conflict although only its own device wrote since its base"
                );
            }
            Outcome::Rejected { .. } => {}
            Outcome::Deferred => panic!("a stored receipt is final"),
        }
    }
    assert_eq!(ledger.conflicts().len(), unique.iter().filter(|id| is_conflict(ledger, id)).count());
}

fn is_conflict(ledger: &Ledger, id: &Uuid) -> bool {
    matches!(ledger.receipt(*id), Some(Receipt { outcome: Outcome::Conflict { .. }, .. }))
}
