//! A test world for the sync core: phones with outboxes, the ledger as the server, and a
//! hostile network between them that splits, shuffles, duplicates, cuts and replays
//! pushes, loses answers, revokes devices and kills the app mid-push. What people save,
//! and what each entry must become, is in `scenario.rs`.
//!
//! Everything that reaches the server is also written down ([`World::take_deliveries`]), so
//! another server (the real stores, in the service's tests) can be put through the same
//! run and held to the ledger's answers.

// Test support (compiled for other crates' tests with the `testing` feature): a broken
// simulation stops at the line that broke, like a test.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "test support, not shipped")]

use crate::ids::{DeviceId, RecordId, TeamId, UserId};
use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::ledger::{Ledger, Sender};
use super::outbox::{FailureKind, Outbox};
use super::protocol::{MutationBody, PushBatch, Receipt, PROTOCOL_VERSION};
use super::rules::BatchError;
use super::scenario::{edit_body, valid_signal, Captured, Entry, Shared, STATUSES};

/// What the network (or the person) does in one step.
#[derive(Debug, Clone)]
pub enum Fault {
    Deliver,
    /// The batch's mutations arrive in another order.
    Shuffle,
    /// The request never reaches the server.
    DropRequest,
    /// The server commits; the answer is lost.
    LoseResponse,
    /// Only the first `keep` mutations reach the server, then the connection drops.
    Truncate {
        keep: usize,
    },
    /// A proxy splits the batch into parts sent in any order; the phone hears the
    /// joined answers, or nothing.
    Split {
        cuts: usize,
        answer: bool,
    },
    /// The request is sent twice; the phone hears the second answer.
    Duplicate,
    /// A retrying proxy sends some of the batch's mutations twice within the one push,
    /// shuffled: each copy must get the same answer, and be decided once.
    Echo,
    ServerError,
    /// The device was revoked; its push is refused as a whole.
    Revoked,
    /// The person logs in again (re-registering a revoked device).
    LogIn,
    /// The app is killed mid-push (after or before the server got it) and reloaded.
    Restart {
        reached: bool,
    },
    /// An old push (any phone's) arrives again, shuffled and cut to `keep` mutations.
    Replay {
        pick: usize,
        keep: usize,
    },
}

/// Something that reached the server, in the order it happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// A push as the server received it, when, and what the ledger answered.
    Push { batch: PushBatch, at: DateTime<Utc>, answer: Result<Vec<Receipt>, BatchError> },
    /// Someone revoked the device (a lost phone).
    Revoke { device_id: DeviceId, at: DateTime<Utc> },
    /// The device's owner logged in on it again.
    LogIn { device_id: DeviceId, at: DateTime<Utc> },
}

#[derive(Debug, Clone)]
pub struct Step {
    pub phone: usize,
    /// How many of the next entries are saved before the network acts.
    pub capture: usize,
    pub max: usize,
    pub fault: Fault,
    pub salt: u64,
}

pub struct World {
    pub ledger: Ledger,
    pub phones: Vec<Outbox>,
    pub now: DateTime<Utc>,
    pub shared: Vec<Shared>,
    pub office: DeviceId,
    pub captured: Vec<Captured>,
    /// Every push that ever left a phone, for replays.
    pub sent: Vec<PushBatch>,
    /// Every receipt the server ever gave, whether or not a phone heard it.
    pub answers: BTreeMap<Uuid, Vec<Receipt>>,
    /// Everything that reached the server since the last [`World::take_deliveries`].
    deliveries: Vec<Delivery>,
    pub(super) to_capture: VecDeque<(usize, Entry)>,
    /// Per phone, the signals it created, and whether the server will accept them.
    pub(super) own_signals: Vec<Vec<(RecordId, bool)>>,
    next_id: u128,
}

pub fn device(phone: usize) -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(1 + phone as u128))
}

/// Who syncs through a phone: one officer per phone, all of one team (the ledger has no
/// policy; who may do what is the service's tests' subject). The office is phone 99.
pub fn sender(phone: usize) -> Sender {
    Sender {
        author_id: UserId::from_uuid(Uuid::from_u128(500 + phone as u128)),
        team_id: TeamId::from_uuid(Uuid::from_u128(900)),
        org_id: None,
    }
}

const OFFICE_PHONE: usize = 99;

impl World {
    pub fn new(phones: usize, entries: Vec<(usize, Entry)>) -> Self {
        let mut world = Self {
            ledger: Ledger::new(),
            phones: (0..phones).map(|p| Outbox::new(device(p))).collect(),
            now: DateTime::from_timestamp(1_750_000_000, 0).unwrap(),
            shared: Vec::new(),
            office: DeviceId::from_uuid(Uuid::from_u128(0x0ff1ce)),
            captured: Vec::new(),
            sent: Vec::new(),
            answers: BTreeMap::new(),
            deliveries: Vec::new(),
            to_capture: entries.into_iter().map(|(p, e)| (p % phones, e)).collect(),
            own_signals: vec![Vec::new(); phones],
            next_id: 0x1_0000,
        };
        for p in 0..phones {
            world.ledger.register_device(device(p), sender(p));
        }
        world.seed_shared_signals();
        world
    }

    /// Three signals the office created and edited once or twice before the run; every
    /// phone has pulled them at their current version.
    fn seed_shared_signals(&mut self) {
        self.ledger.register_device(self.office, sender(OFFICE_PHONE));
        let mut office = Outbox::new(self.office);
        for k in 0..3u64 {
            let mutation_id = self.fresh_id();
            office.enqueue(MutationBody::CreateSignal(valid_signal()), mutation_id, self.now);
            let id = RecordId::from_uuid(mutation_id);
            for base in 1..=(k % 2 + 1) {
                let edit = edit_body(id, base, STATUSES[base as usize], Some("from the office".into()));
                office.enqueue(edit, self.fresh_id(), self.now);
            }
            self.shared.push(Shared { id, version: k % 2 + 2 });
        }
        let batch = office.next_batch(100).expect("office entries");
        let answer = self.ledger.apply_batch(&batch, self.now);
        self.deliveries.push(Delivery::Push { batch: batch.clone(), at: self.now, answer: answer.clone() });
        let receipts = answer.expect("office batch");
        office.on_receipts(&receipts);
        assert_eq!(office.pending_count() + office.attention_count(), 0, "seeding failed: {receipts:?}");
    }

    /// Every device the server knows, with its owner: the phones, then the office.
    pub fn senders(&self) -> Vec<(DeviceId, Sender)> {
        let phones = (0..self.phones.len()).map(|p| (device(p), sender(p)));
        phones.chain([(self.office, sender(OFFICE_PHONE))]).collect()
    }

    /// What reached the server since the last call, oldest first.
    pub fn take_deliveries(&mut self) -> Vec<Delivery> {
        std::mem::take(&mut self.deliveries)
    }

    pub(super) fn fresh_id(&mut self) -> Uuid {
        self.next_id += 1;
        Uuid::from_u128(self.next_id)
    }

    /// The server's handling of a push, with every answer recorded.
    fn deliver(&mut self, batch: &PushBatch) -> Option<Vec<Receipt>> {
        if batch.mutations.is_empty() {
            return Some(Vec::new());
        }
        let answer = self.ledger.apply_batch(batch, self.now);
        self.deliveries.push(Delivery::Push { batch: batch.clone(), at: self.now, answer: answer.clone() });
        let receipts = answer.ok()?;
        assert_eq!(receipts.len(), batch.mutations.len(), "one receipt per mutation");
        for (receipt, mutation) in receipts.iter().zip(&batch.mutations) {
            assert_eq!(receipt.mutation_id, mutation.id, "receipts in the batch's order");
            self.answers.entry(mutation.id).or_default().push(receipt.clone());
        }
        Some(receipts)
    }

    pub fn step(&mut self, step: &Step) {
        self.capture_next(step.capture);
        self.now += Duration::seconds(5);
        let phone = step.phone % self.phones.len();
        let mut rng = Rng::new(step.salt);
        match step.fault {
            Fault::LogIn => return self.log_in(phone),
            Fault::Replay { pick, keep } => return self.replay(pick, keep, &mut rng),
            _ => {}
        }
        let Some(batch) = self.phones[phone].next_batch(step.max) else { return };
        assert_eq!(batch.protocol, PROTOCOL_VERSION);
        self.sent.push(batch.clone());
        let outcome = match step.fault {
            Fault::Deliver => self.deliver(&batch),
            Fault::Shuffle => self.deliver(&rng.shuffled(&batch)),
            Fault::DropRequest => None,
            Fault::LoseResponse => self.deliver(&batch).and(None),
            Fault::Truncate { keep } => self.deliver(&cut(&batch, keep)).and(None),
            Fault::Split { cuts, answer } => self.split(&batch, cuts, &mut rng).filter(|_| answer),
            Fault::Duplicate => self.deliver(&batch).and_then(|_| self.deliver(&batch)),
            Fault::Echo => self.deliver(&rng.echoed(&batch)),
            Fault::ServerError => return self.phones[phone].on_failure(FailureKind::ServerError),
            Fault::Revoked => {
                self.ledger.revoke_device(device(phone));
                self.deliveries.push(Delivery::Revoke { device_id: device(phone), at: self.now });
                assert!(self.deliver(&batch).is_none(), "a revoked device's push must be refused");
                None
            }
            Fault::Restart { reached } => {
                if reached {
                    self.deliver(&batch);
                }
                return self.restart(phone);
            }
            Fault::LogIn | Fault::Replay { .. } => unreachable!("handled above"),
        };
        match outcome {
            Some(receipts) => self.phones[phone].on_receipts(&receipts),
            None if matches!(step.fault, Fault::Revoked) => self.phones[phone].on_failure(FailureKind::AuthRefused),
            None => self.phones[phone].on_failure(FailureKind::Network),
        }
    }

    fn split(&mut self, batch: &PushBatch, cuts: usize, rng: &mut Rng) -> Option<Vec<Receipt>> {
        let shuffled = rng.shuffled(batch);
        let mut points: Vec<usize> = (0..cuts).map(|_| rng.below(batch.mutations.len() + 1)).collect();
        points.extend([0, batch.mutations.len()]);
        points.sort_unstable();
        let mut parts: Vec<PushBatch> = points
            .windows(2)
            .map(|w| PushBatch { mutations: shuffled.mutations[w[0]..w[1]].to_vec(), ..batch.clone() })
            .collect();
        rng.shuffle(&mut parts);
        let mut joined = Vec::new();
        for part in &parts {
            joined.extend(self.deliver(part)?);
        }
        Some(joined)
    }

    fn replay(&mut self, pick: usize, keep: usize, rng: &mut Rng) {
        if self.sent.is_empty() {
            return;
        }
        let old = rng.shuffled(&self.sent[pick % self.sent.len()]);
        // A revoked device's old push is refused as a whole; that is fine too.
        self.deliver(&cut(&old, keep));
    }

    pub(super) fn log_in(&mut self, phone: usize) {
        self.ledger.register_device(device(phone), sender(phone));
        self.deliveries.push(Delivery::LogIn { device_id: device(phone), at: self.now });
        self.phones[phone].logged_in_again();
    }

    /// The app is killed and reloaded from its stored outbox.
    fn restart(&mut self, phone: usize) {
        let stored = serde_json::to_string(&self.phones[phone]).expect("outbox serialises");
        self.phones[phone] = serde_json::from_str(&stored).expect("outbox loads");
    }

    /// Calm weather: everyone logged in, every push answered, until all queues are empty.
    /// Each round settles at least one entry per phone with any pending, so as many
    /// rounds as entries (plus a margin) must do. Returns whether all queues drained.
    pub fn drain(&mut self) -> bool {
        self.capture_next(usize::MAX);
        for phone in 0..self.phones.len() {
            self.log_in(phone);
        }
        for _ in 0..self.captured.len() + 10 {
            if self.phones.iter().all(|outbox| outbox.pending_count() == 0) {
                return true;
            }
            self.now += Duration::seconds(30);
            for phone in 0..self.phones.len() {
                if let Some(batch) = self.phones[phone].next_batch(16) {
                    self.sent.push(batch.clone());
                    let receipts = self.deliver(&batch).expect("a calm push is accepted");
                    self.phones[phone].on_receipts(&receipts);
                }
            }
        }
        self.phones.iter().all(|outbox| outbox.pending_count() == 0)
    }
}

fn cut(batch: &PushBatch, keep: usize) -> PushBatch {
    PushBatch { mutations: batch.mutations.iter().take(keep).cloned().collect(), ..batch.clone() }
}

/// A tiny deterministic generator for shuffles (xorshift64*): proptest chooses the
/// seed, so a failing case replays exactly, and `rand` stays out of the crate.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    /// The batch with about a third of its mutations twice, shuffled.
    fn echoed(&mut self, batch: &PushBatch) -> PushBatch {
        let mut echoed = batch.clone();
        echoed.mutations.extend(batch.mutations.iter().filter(|_| self.below(3) == 0).cloned());
        self.shuffle(&mut echoed.mutations);
        echoed
    }

    fn shuffled(&mut self, batch: &PushBatch) -> PushBatch {
        let mut batch = batch.clone();
        self.shuffle(&mut batch.mutations);
        batch
    }
}
