//! A phone as the app drives it: the domain's `Outbox`, entries saved in bursts, one
//! push at a time with a short timeout, the answer (or its absence) fed back, and the
//! domain's back-off between failures, scaled down from seconds to tens of milliseconds.

use domain::{DeviceId, NeighbourhoodId, RecordId};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::sync::{retry_delay, FailureKind, ItemState, MutationBody, Outbox, Outcome, PushBatch, Receipt};
use domain::{Clock, ContactDraft, SystemClock};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::support::{v1, TestServer};

/// Short, as on a flaky network: a push cut off by it may still have been committed.
const PUSH_TIMEOUT: Duration = Duration::from_millis(1500);
/// The phone's back-off, divided by this, so a retry comes within tens of milliseconds.
const BACKOFF_SCALE: u32 = 20;
const MAX_BACKOFF: Duration = Duration::from_millis(150);
/// A run that has not drained its outbox by then is stuck, not slow.
const DEADLINE: Duration = Duration::from_secs(120);

pub struct Phone {
    http: reqwest::Client,
    base: String,
    credential: String,
    hood: NeighbourhoodId,
    outbox: Outbox,
    rng: StdRng,
    in_flight: Arc<AtomicBool>,
    logged: usize,
}

#[derive(Debug, Default)]
pub struct Stats {
    /// Pushes sent, answered or not.
    pub pushes: u32,
    /// Pushes that failed as a whole (no answer, timeout, 5xx) and were retried.
    pub retries: u32,
    /// Outbox entries acknowledged as applied at the end.
    pub acknowledged: usize,
}

#[derive(Deserialize)]
struct Answer {
    receipts: Vec<Receipt>,
}

impl Phone {
    /// Logs in as `username` and registers a phone, as the app does at first log-in.
    pub async fn register(server: &TestServer, username: &str, hood: NeighbourhoodId, seed: u64) -> Self {
        let person = server.logged_in(username).await;
        let registered = person
            .post(&v1("/devices"), &json!({ "label": "Fault-test gsm" }))
            .await
            .expect(StatusCode::CREATED, "a phone");
        let device_id: DeviceId = registered["device_id"].as_str().and_then(|s| s.parse().ok()).expect("a device id");
        Self {
            http: reqwest::Client::new(),
            base: server.base.clone(),
            credential: registered["credential"].as_str().expect("a credential").to_owned(),
            hood,
            outbox: Outbox::new(device_id),
            rng: StdRng::seed_from_u64(seed),
            in_flight: Arc::new(AtomicBool::new(false)),
            logged: 0,
        }
    }

    /// Set while a push is under way, for the killer's tally.
    pub fn in_flight_flag(&self) -> Arc<AtomicBool> {
        self.in_flight.clone()
    }

    /// Logs `n` contacts over a simulated shift (a burst of 1–60 every 50–150 ms, so the
    /// run lasts long enough for dozens of kills) and syncs, as the app does, whenever
    /// anything is pending, until the outbox is drained.
    pub async fn log_and_sync(&mut self, n: usize) -> Stats {
        let started = Instant::now();
        let mut next_burst = started;
        let mut stats = Stats::default();
        loop {
            if self.logged < n && Instant::now() >= next_burst {
                let burst = self.rng.gen_range(1..=60).min(n - self.logged);
                self.save_contacts(burst);
                next_burst = Instant::now() + Duration::from_millis(self.rng.gen_range(50..=150));
            }
            let size = self.rng.gen_range(20..=200);
            let Some(batch) = self.outbox.next_batch(size) else {
                if self.logged == n {
                    break;
                }
                tokio::time::sleep_until(next_burst.into()).await;
                continue;
            };
            stats.pushes += 1;
            match self.send(&batch).await {
                Ok(receipts) => self.outbox.on_receipts(&receipts),
                Err(kind) => {
                    stats.retries += 1;
                    self.outbox.on_failure(kind);
                    assert!(!self.outbox.needs_login(), "the server refused the phone's credential");
                    let delay = retry_delay(self.outbox.failures(), self.rng.gen()) / BACKOFF_SCALE;
                    tokio::time::sleep(delay.min(MAX_BACKOFF)).await;
                }
            }
            assert!(
                started.elapsed() < DEADLINE,
                "outbox not drained after {DEADLINE:?}: {} of {n} logged, {} pending, {} need attention, {stats:?}",
                self.logged,
                self.outbox.pending_count(),
                self.outbox.attention_count()
            );
        }
        stats.acknowledged = self.applied_count();
        stats
    }

    fn save_contacts(&mut self, count: usize) {
        for _ in 0..count {
            let draft = ContactDraft {
                neighbourhood_id: self.hood.to_string(),
                mobility: if self.logged.is_multiple_of(2) { "on_foot" } else { "bike" }.into(),
                kind: "conversation".into(),
                reason: "information".into(),
                outcome: "informed".into(),
                // The marker the final count looks for; unique per entry.
                note: Some(format!("fault-test {:05}", self.logged)),
                ..ContactDraft::default()
            };
            self.outbox.enqueue(MutationBody::CreateContact(draft), Uuid::now_v7(), SystemClock.now());
            self.logged += 1;
        }
    }

    /// One push: the receipts, or how it failed as a whole.
    async fn send(&self, batch: &PushBatch) -> Result<Vec<Receipt>, FailureKind> {
        self.in_flight.store(true, Ordering::SeqCst);
        let request = self
            .http
            .post(format!("{}{}", self.base, v1("/sync/push")))
            .header("origin", &self.base)
            .header("authorization", format!("Device {}", self.credential))
            .json(batch)
            .timeout(PUSH_TIMEOUT)
            .send();
        let result = match request.await {
            Ok(reply) if reply.status() == StatusCode::OK => match reply.json::<Answer>().await {
                Ok(answer) => Ok(answer.receipts),
                // Cut off while the answer was being read.
                Err(_) => Err(FailureKind::Network),
            },
            Ok(reply) => Err(FailureKind::from_status(Some(reply.status().as_u16()))),
            Err(_) => Err(FailureKind::Network),
        };
        self.in_flight.store(false, Ordering::SeqCst);
        result
    }

    fn applied_count(&self) -> usize {
        let applied = |state: &ItemState| matches!(state, ItemState::Acknowledged(Outcome::Applied { .. }));
        self.outbox.items().iter().filter(|item| applied(&item.state)).count()
    }

    /// Every receipt names the record its create made: the mutation's own id, version 1.
    pub fn assert_receipts_name_their_records(&self) {
        for item in self.outbox.items() {
            let expected = Outcome::Applied { record_id: RecordId::from_uuid(item.mutation.id), version: 1 };
            assert_eq!(item.state, ItemState::Acknowledged(expected), "seq {}", item.mutation.seq);
        }
    }

    /// Sends the first `count` entries again, as a phone that never heard their answers
    /// would, and checks the receipts are the ones it already holds.
    pub async fn replay_first(&self, count: usize) {
        let items = &self.outbox.items()[..count];
        let batch = PushBatch {
            protocol: domain::sync::PROTOCOL_VERSION,
            device_id: self.outbox.device_id(),
            mutations: items.iter().map(|item| item.mutation.clone()).collect(),
        };
        let receipts = self.send(&batch).await.expect("a replay to a running server is answered");
        for (item, receipt) in items.iter().zip(&receipts) {
            assert_eq!(ItemState::Acknowledged(receipt.outcome.clone()), item.state, "seq {}", item.mutation.seq);
        }
        assert_eq!(receipts.len(), count, "one receipt per replayed entry");
    }
}
