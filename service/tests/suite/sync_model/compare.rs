//! After a run: what the store holds against what the ledger holds. Records are read
//! through the store's own methods where it has them (what the pages and the pull
//! read); the sync bookkeeping no method returns (stored receipts, who wrote each
//! version, a conflict's version when it was kept) is read from its tables.
//!
//! Nothing here is normalised but the kept edit's feedback (see [`kept_feedback`]):
//! the real server's clock is set to the simulator's moment for every call, and every
//! id a push stores (records, receipts, conflicts, devices) is the phone's, so times
//! and ids compare as they are. (What differs on the way, a revoked phone's refusal
//! and the moment of a log-in, is explained in `real.rs`.)

use domain::{DeviceId, RecordId, TeamId, UserId};
use std::collections::BTreeMap;

use domain::sync::rules::SignalEdit;
use domain::sync::{KeptConflict, Ledger, Outcome, Receipt};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use store::RecordQuery;
use uuid::Uuid;

use super::database::Database;
use super::real::{real, RealServer};

pub async fn records(
    ledger: &Ledger,
    db: &Database,
    server: &RealServer,
    team_id: TeamId,
) -> Result<(), TestCaseError> {
    let devices: Vec<DeviceId> = server.authors().into_keys().collect();
    receipts(ledger, db, &devices).await?;
    let store = db.store.as_ref();
    // The store caps a listing at 500; a run saves fewer entries than that.
    let team = RecordQuery { team_id: Some(team_id), limit: 500, ..RecordQuery::default() };

    let contacts = real(store.contacts(&team).await, "contacts")?;
    prop_assert_eq!(real(store.count_contacts(None).await, "count")?, contacts.len() as i64, "contacts of no team");
    let contacts: BTreeMap<_, _> = contacts.into_iter().map(|c| (c.id, c)).collect();
    same_maps("contact", ledger.contacts(), &contacts)?;

    let signals = real(store.signals(&team).await, "signals")?;
    prop_assert_eq!(real(store.count_signals(None).await, "count")?, signals.len() as i64, "signals of no team");
    let signals: BTreeMap<_, _> = signals.into_iter().map(|s| (s.id, s)).collect();
    let modelled: BTreeMap<_, _> = ledger.signals().iter().map(|(id, r)| (*id, r.signal.clone())).collect();
    same_maps("signal", &modelled, &signals)?;
    versions(ledger, db).await?;
    conflicts(ledger, db, server, team_id).await
}

/// Every decided mutation has the same stored receipt, for the same device.
async fn receipts(ledger: &Ledger, db: &Database, devices: &[DeviceId]) -> Result<(), TestCaseError> {
    let rows: Vec<(String, String, i64, String)> =
        db.rows("SELECT CAST(mutation_id AS TEXT), CAST(device_id AS TEXT), seq, outcome FROM sync_receipts").await;
    let mut stored = BTreeMap::new();
    for (mutation_id, device_id, seq, outcome) in rows {
        let outcome: Outcome = serde_json::from_str(&outcome).expect("a stored outcome reads");
        let receipt =
            Receipt { mutation_id: read_id(&mutation_id), seq: u64::try_from(seq).expect("seq ≥ 1"), outcome };
        stored.insert(receipt.mutation_id, (read_id::<DeviceId>(&device_id), receipt));
    }
    let mut modelled = BTreeMap::new();
    for device in devices {
        modelled.extend(ledger.receipts_of(*device).map(|r| (r.mutation_id, (*device, r.clone()))));
    }
    prop_assert_eq!(modelled.len(), ledger.decided().len(), "the ledger decided for a device the run does not have");
    same_maps("stored receipt", &modelled, &stored)
}

/// Each signal's version, and the device that wrote each version (which decides later
/// conflicts), as the ledger has them.
async fn versions(ledger: &Ledger, db: &Database) -> Result<(), TestCaseError> {
    let rows: Vec<(String, i64, Option<String>)> =
        db.rows("SELECT CAST(signal_id AS TEXT), version, CAST(written_by_device AS TEXT) FROM signal_versions").await;
    let mut by_version: BTreeMap<RecordId, BTreeMap<i64, Option<DeviceId>>> = BTreeMap::new();
    for (signal_id, version, device) in rows {
        by_version.entry(read_id(&signal_id)).or_default().insert(version, device.as_deref().map(read_id));
    }
    let writers: BTreeMap<RecordId, Vec<Option<DeviceId>>> = by_version
        .into_iter()
        .map(|(id, versions)| {
            let numbers: Vec<i64> = versions.keys().copied().collect();
            assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>(), "versions of {id} with gaps");
            (id, versions.into_values().collect())
        })
        .collect();
    let modelled: BTreeMap<RecordId, Vec<Option<DeviceId>>> =
        ledger.signals().iter().map(|(id, r)| (*id, r.writers.iter().copied().map(Some).collect())).collect();
    same_maps("signal's writers", &modelled, &writers)?;

    let current: Vec<(String, i64)> = db.rows("SELECT CAST(id AS TEXT), version FROM neighbourhood_signals").await;
    let current: BTreeMap<RecordId, u64> = current.into_iter().map(|(id, v)| (read_id(&id), v as u64)).collect();
    let modelled: BTreeMap<RecordId, u64> = ledger.signals().iter().map(|(id, r)| (*id, r.version)).collect();
    same_maps("signal's version", &modelled, &current)
}

/// The kept conflicts, whole: who, which signal, from and at which version, what the
/// edit would change and when it was saved and kept.
async fn conflicts(ledger: &Ledger, db: &Database, server: &RealServer, team_id: TeamId) -> Result<(), TestCaseError> {
    let kept_at: Vec<(String, i64)> =
        db.rows("SELECT CAST(mutation_id AS TEXT), current_version FROM sync_conflicts").await;
    let current: BTreeMap<Uuid, u64> = kept_at.into_iter().map(|(id, v)| (read_id(&id), v as u64)).collect();
    let open = real(db.store.open_conflicts(team_id).await, "conflicts")?;
    let authors = server.authors();
    let stored: BTreeMap<Uuid, Conflict> = open
        .into_iter()
        .map(|c| {
            let conflict = Conflict {
                device_id: c.device_id,
                author_id: c.author_id,
                signal_id: c.signal.id,
                base_version: c.base_version,
                current_version: current.get(&c.mutation_id).copied(),
                status: c.edit.status,
                feedback: c.edit.feedback,
                saved_at: c.edit.saved_at,
                kept_at: c.kept_at,
            };
            (c.mutation_id, conflict)
        })
        .collect();
    prop_assert_eq!(current.len(), stored.len(), "a kept conflict is not open, or of another team");
    let modelled: BTreeMap<Uuid, Conflict> = ledger
        .conflicts()
        .iter()
        .map(|k| {
            let conflict = Conflict {
                device_id: k.device_id,
                author_id: authors[&k.device_id],
                signal_id: k.signal_id,
                base_version: k.base_version,
                current_version: Some(k.current_version),
                status: k.status,
                feedback: kept_feedback(k),
                saved_at: k.created_at,
                kept_at: k.received_at,
            };
            (k.mutation_id, conflict)
        })
        .collect();
    same_maps("kept conflict", &modelled, &stored)
}

/// A kept conflict in the form both sides can give.
#[derive(Debug, PartialEq)]
struct Conflict {
    device_id: DeviceId,
    author_id: UserId,
    signal_id: RecordId,
    base_version: u64,
    current_version: Option<u64>,
    status: Option<domain::SignalStatus>,
    feedback: Option<Option<String>>,
    saved_at: chrono::DateTime<chrono::Utc>,
    kept_at: chrono::DateTime<chrono::Utc>,
}

/// The one normalisation: the ledger keeps the phone's feedback as sent, the store
/// keeps it as the server reads it (trimmed; blank meaning "withdrawn"), which is the
/// form a lead's `apply_edit` writes. Both come from the same text; compare the read.
fn kept_feedback(k: &KeptConflict) -> Option<Option<String>> {
    match SignalEdit::check(k.base_version, k.status, k.feedback.as_deref()) {
        Ok(edit) => edit.feedback,
        // Only a valid edit can be kept; this keeps the difference visible if not.
        Err(_) => k.feedback.clone().map(Some),
    }
}

/// Equal maps, or the first key that differs, with both sides.
fn same_maps<K: Ord + std::fmt::Display, V: PartialEq + std::fmt::Debug>(
    what: &str,
    ledger: &BTreeMap<K, V>,
    store: &BTreeMap<K, V>,
) -> Result<(), TestCaseError> {
    if ledger == store {
        return Ok(());
    }
    let keys = ledger.keys().chain(store.keys());
    let first = keys.filter(|k| ledger.get(k) != store.get(k)).min().expect("unequal maps differ somewhere");
    Err(TestCaseError::fail(format!(
        "{what} {first} differs ({} in the ledger, {} in the store)\n  ledger: {:?}\n  store:  {:?}",
        ledger.len(),
        store.len(),
        ledger.get(first),
        store.get(first)
    )))
}

/// An id as a query cast it to text, as the id its column holds.
fn read_id<T: From<Uuid>>(text: &str) -> T {
    T::from(Uuid::parse_str(text).expect("an id reads"))
}
