//! The team's signals on the phone: pulled page by page after each push, so that the
//! signal form can ask "is it one of these?" in a dead zone too.

use domain::place::GeoPoint;
use domain::signal::likely_duplicates;
use domain::sync::{Change, ChangeState, FailureKind};
use domain::{NeighbourhoodSignal, RecordId, SignalCategory};
use serde::{Deserialize, Serialize};

use super::{db, net, with_engine};

/// Changes per pull: a page of signals is small (no photos), so a first pull of a
/// busy team's few thousand signals takes a handful of requests.
const PAGE: usize = 500;

/// A signal as last pulled, with the version an edit made on the phone is based on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PulledSignal {
    pub version: u64,
    pub signal: NeighbourhoodSignal,
}

/// A nearby open signal, as the form offers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbySignal {
    pub id: RecordId,
    pub distance_m: f64,
    pub description: String,
    pub street: Option<String>,
}

/// Pulls every change since the stored cursor. Each page is stored with the cursor
/// after it in one transaction, so a cut resumes exactly where it stopped.
pub async fn pull(credential: &str) -> Result<(), FailureKind> {
    let Some(db) = with_engine(|e| e.db.clone()) else { return Ok(()) };
    let mut cursor: String = db::state(&db, "cursor").await.ok().flatten().unwrap_or_default();
    loop {
        let page = net::pull(credential, &cursor, PAGE).await.map_err(|failed| failed.kind)?;
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for change in page.changes {
            if let Change::Signal { id, version, state } = change {
                match *state {
                    ChangeState::Record { record } => {
                        if let Ok(value) = serde_json::to_value(PulledSignal { version, signal: record }) {
                            upserts.push((id, value));
                        }
                    }
                    ChangeState::Deleted { .. } => deletes.push(id),
                }
            }
        }
        if db::apply_pulled(&db, &upserts, &deletes, &page.cursor).await.is_err() {
            return Ok(());
        }
        cursor = page.cursor;
        if !page.more {
            return Ok(());
        }
    }
}

/// Open signals of `category` within 50 m of `point`, from what was last pulled.
pub async fn nearby_open_signals(category: SignalCategory, point: GeoPoint) -> Vec<NearbySignal> {
    let Some(db) = with_engine(|e| e.db.clone()) else { return Vec::new() };
    let pulled: Vec<PulledSignal> = db::pulled_signals(&db).await.unwrap_or_default();
    let signals: Vec<NeighbourhoodSignal> = pulled.into_iter().map(|p| p.signal).collect();
    likely_duplicates(&signals, category, &point)
        .into_iter()
        .map(|(signal, distance_m)| NearbySignal {
            id: signal.id,
            distance_m,
            description: signal.description.clone(),
            street: signal.location.street.clone(),
        })
        .collect()
}

/// The version of a signal as this phone last pulled it: what an edit made here is
/// based on. `None` before the signal has been pulled (the edit must wait for that).
pub async fn pulled_version(signal_id: RecordId) -> Option<u64> {
    let db = with_engine(|e| e.db.clone())?;
    let pulled: PulledSignal = db::pulled_signal(&db, signal_id).await.ok()??;
    Some(pulled.version)
}
