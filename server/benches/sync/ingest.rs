//! Push ingest rate: the whole push use case in-process (whole-batch checks, each
//! mutation validated and authorised, the store's one transaction with its dedupe
//! reads, locks, receipts and feed rows), next to a raw batched INSERT of the same
//! three rows per entry into the same tables (`raw_insert`), alternating batch by
//! batch so both meet the same table sizes.

use std::time::{Duration, Instant};

use domain::sync::{MutationBody, Outcome, PushBatch};
use domain::{Authorship, Clock, RecordId, SystemClock};
use secrecy::SecretString;
use server::config::Config;

use crate::common::{contact_batch, quantile, register_devices, TEAM};
use crate::raw_insert::{Entry, RawDb};

/// The largest batch the protocol allows: what a phone with a long queue sends.
pub const BATCH: usize = 500;
const ROUNDS: usize = 31;

pub struct Ingest {
    pub push: Duration,
    pub raw: Duration,
}

impl Ingest {
    pub fn print(&self, store: &str) {
        let rate = |d: Duration| BATCH as f64 / d.as_secs_f64();
        println!(
            "{:<10} {:>14.0} {:>14.0} {:>8.0} %",
            store,
            rate(self.push),
            rate(self.raw),
            100.0 * self.raw.as_secs_f64() / self.push.as_secs_f64()
        );
    }
}

/// Medians over [`ROUNDS`] batches of [`BATCH`] contacts each way, on the database at `url`.
pub async fn measure(url: &str, folder: &std::path::Path) -> Ingest {
    let config = Config {
        listen: "127.0.0.1:0".parse().expect("an address"),
        database_url: SecretString::from(url.to_owned()),
        site_root: folder.join("site"),
        demo_data: true,
        ..Config::default()
    };
    let running = server::start(&config).await.expect("the server starts");
    let base = format!("http://{}", running.addr);
    let services = running.state.app.services.clone();
    let store = running.store.clone();
    tokio::spawn(running.serve());

    // The baseline's receipts belong to a phone of their own: they take its seqs.
    let mut devices = register_devices(&base, 2).await;
    let mut raw_device = devices.remove(1);
    let mut device = devices.remove(0);
    let actor = services.device_caller(&device.credential).await.expect("the phone's owner").actor;
    let user = actor.user_id;
    let teams = store.teams().await.expect("teams");
    let team = teams.iter().find(|t| t.name == TEAM).expect("the demo team").id;
    let hood = store.neighbourhoods_of_team(team).await.expect("neighbourhoods")[0].id;
    let raw = RawDb::connect(url).await;

    let (mut push_times, mut raw_times) = (Vec::new(), Vec::new());
    // Round 0 warms the caches and connections and is not counted.
    for round in 0..=ROUNDS {
        let batch = contact_batch(&mut device, hood, BATCH);
        let start = Instant::now();
        let receipts = services.push(Some(device.id), &actor, batch).await.expect("the push");
        let pushed = start.elapsed();
        let applied = receipts.iter().filter(|r| matches!(r.outcome, Outcome::Applied { .. })).count();
        assert_eq!(applied, BATCH, "every contact of the push applied");

        let entries = same_entries(&contact_batch(&mut raw_device, hood, BATCH), user, team);
        let start = Instant::now();
        raw.insert(&entries, raw_device.id, SystemClock.now()).await;
        let inserted = start.elapsed();
        if round > 0 {
            push_times.push(pushed);
            raw_times.push(inserted);
        }
    }
    raw.close().await;
    Ingest { push: quantile(&mut push_times, 0.5), raw: quantile(&mut raw_times, 0.5) }
}

/// The rows a push of `batch` would store, with the receipts it would answer.
fn same_entries(batch: &PushBatch, author_id: domain::UserId, team_id: domain::TeamId) -> Vec<Entry> {
    batch
        .mutations
        .iter()
        .map(|m| {
            let MutationBody::CreateContact(draft) = &m.body else { unreachable!("contacts only") };
            let draft = domain::sync::rules::contact_as_captured(draft, m.created_at);
            let by = Authorship { id: RecordId::from_uuid(m.id), author_id, team_id, now: SystemClock.now() };
            let contact = draft.validate(by).expect("a valid contact");
            let outcome = Outcome::Applied { record_id: contact.id, version: 1 };
            let outcome = serde_json::to_string(&outcome).expect("an outcome as JSON");
            Entry { contact, seq: i64::try_from(m.seq).expect("a small seq"), outcome }
        })
        .collect()
}
