//! Pushes applied exactly once, in one transaction: replays, a batch that fails
//! midway, two devices editing one signal offline, gaps in a device's seqs and reused
//! seqs. The service layer's part (validating drafts, checking rights) is played by the
//! tests, which hand the store ready verdicts. Each test runs against both backends.

use crate::support;
use domain::{NeighbourhoodId, RecordId};

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use domain::sync::{Mutation, MutationBody, Outcome, Receipt};
use domain::{ContactDraft, Problem, SignalDraft, SignalStatus, ValidationErrors};
use store::{testing, Device, PreparedMutation, PreparedPush, Store, StoreError, Verdict};
use support::fixtures::{now, Org};
use support::TestDb;
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    a_replayed_push_whole_or_in_part_gets_the_same_receipts_and_stores_nothing_new,
    a_push_that_fails_midway_stores_nothing_and_its_good_mutations_apply_once_later,
    a_second_device_editing_offline_gets_a_conflict_and_the_first_edit_stays,
    an_edit_after_a_gap_waits_until_the_gap_closes_and_creates_do_not,
    a_reused_seq_or_a_foreign_id_is_refused_and_not_stored,
    a_web_edit_is_a_version_of_its_own,
    pushes_racing_each_other_are_decided_one_after_the_other,
);

/// A team with a phone for each of its two officers.
struct Field {
    org: Org,
    phone: Device,
    other_phone: Device,
}

impl Field {
    async fn create(store: &dyn Store, name: &str) -> Self {
        let org = Org::create(store, name).await;
        let phone = testing::phone(org.officer.id, &format!("{name}-1"), now() - Duration::days(1));
        let other_phone = testing::phone(org.other_officer.id, &format!("{name}-2"), now() - Duration::days(1));
        for d in [&phone, &other_phone] {
            store.insert_device(d).await.expect("device");
        }
        Self { org, phone, other_phone }
    }

    /// A contact logged on `phone` as its `seq`th entry; the record takes the id.
    fn contact(&self, phone: &Device, seq: u64) -> PreparedMutation {
        let m = mutation(phone, seq, MutationBody::CreateContact(ContactDraft::default()));
        let contact = domain::StreetContact {
            id: RecordId::from_uuid(m.id),
            author_id: phone.user_id,
            ..self.org.contact(saved(seq))
        };
        PreparedMutation { mutation: m, verdict: Verdict::CreateContact(contact) }
    }

    fn signal(&self, phone: &Device, seq: u64) -> PreparedMutation {
        let m = mutation(phone, seq, MutationBody::CreateSignal(SignalDraft::default()));
        let signal = domain::NeighbourhoodSignal {
            id: RecordId::from_uuid(m.id),
            author_id: phone.user_id,
            status: SignalStatus::Open,
            ..self.org.signal(saved(seq))
        };
        PreparedMutation { mutation: m, verdict: Verdict::CreateSignal(signal) }
    }
}

/// When the phone saved its `seq`th entry: hours before the network came back.
fn saved(seq: u64) -> DateTime<Utc> {
    now() - Duration::hours(5) + Duration::minutes(seq as i64)
}

fn mutation(phone: &Device, seq: u64, body: MutationBody) -> Mutation {
    Mutation { id: Uuid::now_v7(), device_id: phone.id, seq, created_at: saved(seq), body }
}

fn edit(
    phone: &Device,
    seq: u64,
    signal_id: RecordId,
    base_version: u64,
    status: SignalStatus,
    feedback: &str,
) -> PreparedMutation {
    let body =
        MutationBody::EditSignal { signal_id, base_version, status: Some(status), feedback: Some(feedback.to_owned()) };
    PreparedMutation {
        mutation: mutation(phone, seq, body),
        verdict: Verdict::Edit {
            signal_id,
            base_version,
            status: Some(status),
            feedback: Some(Some(feedback.to_owned())),
        },
    }
}

/// A contact the service layer refused (say, an unknown code).
fn refused(phone: &Device, seq: u64) -> PreparedMutation {
    let mut errors = ValidationErrors::default();
    errors.push("kind", Problem::UnknownCode);
    let m = mutation(phone, seq, MutationBody::CreateContact(ContactDraft::default()));
    PreparedMutation { mutation: m, verdict: Verdict::Refused(errors) }
}

fn push(phone: &Device, mutations: &[PreparedMutation]) -> PreparedPush {
    PreparedPush { device_id: phone.id, author_id: phone.user_id, now: now(), mutations: mutations.to_vec() }
}

async fn send(store: &dyn Store, phone: &Device, mutations: &[PreparedMutation]) -> Vec<Receipt> {
    store.apply_push(&push(phone, mutations)).await.expect("the push goes through")
}

/// The record a create makes: it takes its mutation's id.
fn record_of(create: &PreparedMutation) -> RecordId {
    RecordId::from_uuid(create.mutation.id)
}

fn applied(id: RecordId, version: u64) -> Outcome {
    Outcome::Applied { record_id: id, version }
}

fn refused_on(receipt: &Receipt, field: &str) -> bool {
    matches!(&receipt.outcome, Outcome::Rejected { errors } if errors.for_field(field) == Some(&Problem::Malformed))
}

/// Rows of every table a push writes to, to show that a replay writes nothing.
async fn footprint(db: &TestDb) -> [i64; 5] {
    let mut counts = [0; 5];
    let tables = ["street_contacts", "neighbourhood_signals", "signal_versions", "sync_receipts", "sync_conflicts"];
    for (count, table) in counts.iter_mut().zip(tables) {
        *count = db.count(table).await;
    }
    counts
}

async fn a_replayed_push_whole_or_in_part_gets_the_same_receipts_and_stores_nothing_new(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let f = Field::create(store, "Deurne").await;
    let (contact, signal) = (f.contact(&f.phone, 1), f.signal(&f.phone, 2));
    let signal_id = record_of(&signal);
    let change = edit(&f.phone, 3, signal_id, 1, SignalStatus::InProgress, "Netheid verwittigd.");
    // Out of seq order on purpose: decided by seq, answered in the push's order.
    let batch = [change, refused(&f.phone, 4), signal, contact.clone()];
    let first = send(store, &f.phone, &batch).await;
    assert_eq!(
        first.iter().map(|r| r.mutation_id).collect::<Vec<_>>(),
        batch.iter().map(|p| p.mutation.id).collect::<Vec<_>>()
    );
    assert_eq!(first[0].outcome, applied(signal_id, 2), "the edit saw the create of the same push");
    assert!(matches!(&first[1].outcome, Outcome::Rejected { errors } if errors.for_field("kind").is_some()));
    assert_eq!(first[2].outcome, applied(signal_id, 1));
    assert_eq!(first[3].outcome, applied(record_of(&contact), 1));
    let after = footprint(&db).await;
    assert_eq!(after, [1, 1, 2, 4, 0]);
    let stored = store.signal(signal_id).await.expect("read").expect("the signal");
    assert_eq!((stored.status, stored.feedback.as_deref()), (SignalStatus::InProgress, Some("Netheid verwittigd.")));

    assert_eq!(send(store, &f.phone, &batch).await, first, "a whole replay");
    let part = [batch[3].clone(), batch[0].clone()];
    assert_eq!(send(store, &f.phone, &part).await, [first[3].clone(), first[0].clone()], "a partial replay");
    // Even through another connection, as after a server restart.
    let again = db.reconnect().await;
    assert_eq!(send(again.as_ref(), &f.phone, &batch[1..2]).await, first[1..2]);
    assert_eq!(footprint(&db).await, after, "no replay wrote anything");
    assert_eq!(store.signal(signal_id).await.expect("read"), Some(stored));
}

async fn a_push_that_fails_midway_stores_nothing_and_its_good_mutations_apply_once_later(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let f = Field::create(store, "Merksem").await;
    let (first, last) = (f.contact(&f.phone, 1), f.contact(&f.phone, 3));
    let mut broken = f.signal(&f.phone, 2);
    // A neighbourhood deleted after the service checked it: the insert hits the
    // foreign key after the first contact is already written in the transaction.
    let Verdict::CreateSignal(signal) = &mut broken.verdict else { unreachable!() };
    signal.neighbourhood_id = NeighbourhoodId::new_v7();
    let failed = store.apply_push(&push(&f.phone, &[first.clone(), broken, last.clone()])).await;
    assert!(matches!(failed, Err(StoreError::NotFound(_))), "{failed:?}");
    assert_eq!(footprint(&db).await, [0, 0, 0, 0, 0], "nothing of the failed push stays");

    let receipts = send(store, &f.phone, &[first.clone(), last.clone()]).await;
    assert_eq!(receipts[0].outcome, applied(record_of(&first), 1));
    assert_eq!(receipts[1].outcome, applied(record_of(&last), 1), "a create does not wait for the gap");
    assert_eq!(send(store, &f.phone, &[last, first]).await, [receipts[1].clone(), receipts[0].clone()]);
    assert_eq!(footprint(&db).await, [2, 0, 0, 2, 0], "each good mutation applied once");
}

async fn a_second_device_editing_offline_gets_a_conflict_and_the_first_edit_stays(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let f = Field::create(store, "Hoboken").await;
    let create = f.signal(&f.phone, 1);
    let signal_id = record_of(&create);
    send(store, &f.phone, &[create]).await;
    // Both phones saw version 1, then went into a dead zone and edited it.
    let mine = edit(&f.phone, 2, signal_id, 1, SignalStatus::Resolved, "Lamp vervangen.");
    let theirs = edit(&f.other_phone, 1, signal_id, 1, SignalStatus::Referred, "Doorgegeven aan de stad.");
    assert_eq!(send(store, &f.phone, &[mine]).await[0].outcome, applied(signal_id, 2));
    // The same phone editing again from the version it last saw is its own chain.
    let again = edit(&f.phone, 3, signal_id, 1, SignalStatus::Resolved, "Lamp vervangen, getest.");
    assert_eq!(send(store, &f.phone, &[again]).await[0].outcome, applied(signal_id, 3));

    let answer = send(store, &f.other_phone, std::slice::from_ref(&theirs)).await;
    assert_eq!(answer[0].outcome, Outcome::Conflict { record_id: signal_id, current_version: 3 });
    assert_eq!(db.count("sync_conflicts").await, 1, "the conflicting edit is kept");
    let kept = format!(
        "sync_conflicts WHERE mutation_id = '{}' AND signal_id = '{signal_id}' AND device_id = '{}' \
         AND author_id = '{}' AND base_version = 1 AND current_version = 3 AND resolved_at IS NULL",
        theirs.mutation.id, f.other_phone.id, f.org.other_officer.id
    );
    assert_eq!(db.count(&kept).await, 1, "with who, what and on which versions");
    let stored = store.signal(signal_id).await.expect("read").expect("signal");
    assert_eq!((stored.status, stored.feedback.as_deref()), (SignalStatus::Resolved, Some("Lamp vervangen, getest.")));
    assert_eq!(send(store, &f.other_phone, &[theirs]).await, answer, "the conflict is final");
    assert_eq!(db.count("sync_conflicts").await, 1);
    assert_eq!(db.count("signal_versions").await, 3);
}

async fn an_edit_after_a_gap_waits_until_the_gap_closes_and_creates_do_not(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let f = Field::create(store, "Ekeren").await;
    let create = f.signal(&f.phone, 1);
    let signal_id = record_of(&create);
    send(store, &f.phone, &[create]).await;
    // Seq 2 is still on its way: 3 and 4 arrive first.
    let (second, third) = (f.contact(&f.phone, 2), f.contact(&f.phone, 3));
    let change = edit(&f.phone, 4, signal_id, 1, SignalStatus::InProgress, "Ter plaatse geweest.");
    let early = send(store, &f.phone, &[third.clone(), change.clone()]).await;
    assert_eq!(early[0].outcome, applied(record_of(&third), 1));
    assert_eq!(early[1].outcome, Outcome::Deferred);
    assert_eq!(footprint(&db).await, [1, 1, 1, 2, 0], "a deferral stores nothing");
    assert_eq!(store.signal(signal_id).await.expect("read").expect("signal").status, SignalStatus::Open);

    let late = send(store, &f.phone, &[change.clone(), second.clone(), third]).await;
    assert_eq!(late[0].outcome, applied(signal_id, 2), "decided after seq 2 in the same push");
    assert_eq!(late[1].outcome, applied(record_of(&second), 1));
    assert_eq!(late[2], early[0]);
    assert_eq!(send(store, &f.phone, &[change]).await[0], late[0]);
    assert_eq!(footprint(&db).await, [2, 1, 2, 4, 0]);
    assert_eq!(store.signal(signal_id).await.expect("read").expect("signal").status, SignalStatus::InProgress);
}

async fn a_reused_seq_or_a_foreign_id_is_refused_and_not_stored(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let f = Field::create(store, "Berchem").await;
    let first = f.contact(&f.phone, 1);
    send(store, &f.phone, std::slice::from_ref(&first)).await;
    // A phone that lost its outbox and counts from 1 again.
    let reused = f.contact(&f.phone, 1);
    let answer = send(store, &f.phone, std::slice::from_ref(&reused)).await;
    assert!(refused_on(&answer[0], "seq"), "{answer:?}");
    assert_eq!(answer[0].mutation_id, reused.mutation.id);
    // Another device sending the first one's id learns nothing of its receipt.
    let mut stolen = first.clone();
    stolen.mutation.device_id = f.other_phone.id;
    let answer = send(store, &f.other_phone, &[stolen]).await;
    assert!(refused_on(&answer[0], "id"), "{answer:?}");
    let zero = f.contact(&f.phone, 0);
    assert!(refused_on(&send(store, &f.phone, &[zero]).await[0], "seq"));
    assert_eq!(footprint(&db).await, [1, 0, 0, 1, 0], "refusals are not stored");
    // Refusals are stable: the same answer again, and the first stays applied.
    assert!(refused_on(&send(store, &f.phone, &[reused]).await[0], "seq"));
    assert_eq!(send(store, &f.phone, std::slice::from_ref(&first)).await[0].outcome, applied(record_of(&first), 1));
}

async fn a_web_edit_is_a_version_of_its_own(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let f = Field::create(store, "Wilrijk").await;
    let filed = f.org.signal(now() - Duration::hours(1));
    store.insert_signal(&filed).await.expect("filed on the web");
    assert_eq!(db.count("signal_versions").await, 1, "version 1, written on the web");
    let handled = domain::NeighbourhoodSignal { status: SignalStatus::Resolved, ..filed.clone() };
    // Written at the moment the caller gives (the services' clock), not the store's own.
    let handled_at = now() + Duration::days(1);
    assert!(store.update_signal(&handled, handled_at).await.expect("handled on the web"));
    let web_versions = "signal_versions WHERE written_by_device IS NULL";
    assert_eq!(db.count(web_versions).await, 2);
    let cut = (handled_at - Duration::hours(1)).format("%Y-%m-%dT%H:%M:%S%.6fZ");
    assert_eq!(db.count(&format!("signal_versions WHERE written_at > '{cut}'")).await, 1, "at the caller's moment");
    // The phone still had version 1: the web's change since makes its edit a conflict.
    let stale = edit(&f.phone, 1, filed.id, 1, SignalStatus::InProgress, "Nog niet opgelost?");
    let answer = send(store, &f.phone, &[stale]).await;
    assert_eq!(answer[0].outcome, Outcome::Conflict { record_id: filed.id, current_version: 2 });
    let fresh = edit(&f.phone, 2, filed.id, 2, SignalStatus::InProgress, "Toch nog defect.");
    assert_eq!(send(store, &f.phone, &[fresh]).await[0].outcome, applied(filed.id, 3));
    // An edit of a signal the server does not hold is rejected, not kept as a conflict.
    let ghost = edit(&f.phone, 3, RecordId::new_v7(), 1, SignalStatus::Resolved, "?");
    let answer = send(store, &f.phone, &[ghost]).await;
    assert!(matches!(&answer[0].outcome, Outcome::Rejected { errors } if errors.for_field("signal_id").is_some()));
    assert!(!store.update_signal(&f.org.signal(now()), now()).await.expect("an unknown signal"));
    assert_eq!(footprint(&db).await, [0, 1, 3, 3, 1]);
}

async fn pushes_racing_each_other_are_decided_one_after_the_other(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let f = Field::create(store, "Zurenborg").await;
    let create = f.signal(&f.phone, 1);
    let signal_id = record_of(&create);
    send(store, &f.phone, &[create]).await;
    // A retry racing its slow original: both get the same receipts, stored once.
    let batch: Vec<_> = (2..40).map(|seq| f.contact(&f.phone, seq)).collect();
    let (original, retry) = tokio::join!(send(store, &f.phone, &batch), send(store, &f.phone, &batch));
    assert_eq!(original, retry);
    assert!(original.iter().zip(&batch).all(|(r, p)| r.outcome == applied(record_of(p), 1)));
    assert_eq!(footprint(&db).await, [38, 1, 1, 39, 0]);
    // Two phones editing the same version at the same moment: one applies, one is kept.
    let mine = edit(&f.phone, 40, signal_id, 1, SignalStatus::Resolved, "Opgelost.");
    let theirs = edit(&f.other_phone, 1, signal_id, 1, SignalStatus::Referred, "Doorverwezen.");
    let (mine, theirs) = ([mine], [theirs]);
    let (a, b) = tokio::join!(send(store, &f.phone, &mine), send(store, &f.other_phone, &theirs));
    let mut outcomes = [a[0].outcome.clone(), b[0].outcome.clone()];
    outcomes.sort_by_key(|o| matches!(o, Outcome::Conflict { .. }));
    assert_eq!(outcomes, [applied(signal_id, 2), Outcome::Conflict { record_id: signal_id, current_version: 2 }]);
    assert_eq!((db.count("signal_versions").await, db.count("sync_conflicts").await), (2, 1));
}
