//! The phone's IndexedDB: one database per person (`wijkpost-<user id>`), so two people
//! sharing a phone never send each other's entries.
//!
//! Through the `idb` crate: a thin futures wrapper over the browser's own API, kept up
//! to date and small (it adds no runtime of its own beyond a oneshot channel), where
//! `rexie` would add a second layer over it and hand-written `web-sys` callbacks
//! would repeat what `idb` already gets right (upgrade events, transaction futures).
//!
//! Stores:
//! - `state`: the outbox (one JSON value, so its numbering and its items always change
//!   together), the pull cursor and the last successful sync;
//! - `sent`: the entries the server has applied (the records this person created);
//! - `signals`: the team's signals as last pulled, for the nearby-duplicates check;
//! - `photos`: photos waiting to be uploaded, with how far each got.

use domain::{PhotoId, RecordId, UserId};
use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use js_sys::Uint8Array;
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use crate::phone::SaveError;

const STATE: &str = "state";
const SENT: &str = "sent";
const SIGNALS: &str = "signals";
const PHOTOS: &str = "photos";
const VERSION: u32 = 1;

pub async fn open(user_id: UserId) -> Result<Database, SaveError> {
    let factory = Factory::new().map_err(storage)?;
    let mut request = factory.open(&format!("wijkpost-{user_id}"), Some(VERSION)).map_err(storage)?;
    request.on_upgrade_needed(|event| {
        let Ok(db) = event.database() else { return };
        for name in [STATE, SENT, SIGNALS, PHOTOS] {
            if !db.store_names().iter().any(|n| n == name) {
                let _ = db.create_object_store(name, ObjectStoreParams::new());
            }
        }
    });
    request.await.map_err(storage)
}

fn storage(err: impl std::fmt::Display) -> SaveError {
    SaveError::Storage(err.to_string())
}

fn json<T: Serialize>(value: &T) -> Result<JsValue, SaveError> {
    serde_json::to_string(value).map(|s| JsValue::from_str(&s)).map_err(storage)
}

fn parse<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    value.as_string().and_then(|s| serde_json::from_str(&s).ok())
}

/// Reads one value of the `state` store.
pub async fn state<T: DeserializeOwned>(db: &Database, key: &str) -> Result<Option<T>, SaveError> {
    let tx = db.transaction(&[STATE], TransactionMode::ReadOnly).map_err(storage)?;
    let store = tx.object_store(STATE).map_err(storage)?;
    let value = store.get(JsValue::from_str(key)).map_err(storage)?.await.map_err(storage)?;
    Ok(value.and_then(parse))
}

/// Writes the outbox, and the entries it just settled, in one transaction.
///
/// The transaction is created before the first `await`: IndexedDB runs read-write
/// transactions on one store in the order they were created, so of two saves started
/// one after the other the later snapshot always lands last, whatever the timing.
pub async fn save_outbox<S: Serialize>(
    db: &Database,
    outbox: &impl Serialize,
    settled: &[(Uuid, S)],
) -> Result<(), SaveError> {
    let tx = db.transaction(&[STATE, SENT], TransactionMode::ReadWrite).map_err(storage)?;
    let state = tx.object_store(STATE).map_err(storage)?;
    let pending_put = state.put(&json(outbox)?, Some(&JsValue::from_str("outbox"))).map_err(storage)?;
    let sent = tx.object_store(SENT).map_err(storage)?;
    for (id, entry) in settled {
        sent.put(&json(entry)?, Some(&JsValue::from_str(&id.to_string()))).map_err(storage)?;
    }
    pending_put.await.map_err(storage)?;
    tx.commit().map_err(storage)?.await.map_err(storage)?;
    Ok(())
}

pub async fn put_state(db: &Database, key: &str, value: &impl Serialize) -> Result<(), SaveError> {
    let tx = db.transaction(&[STATE], TransactionMode::ReadWrite).map_err(storage)?;
    let store = tx.object_store(STATE).map_err(storage)?;
    store.put(&json(value)?, Some(&JsValue::from_str(key))).map_err(storage)?;
    tx.commit().map_err(storage)?.await.map_err(storage)?;
    Ok(())
}

/// Pulled signals: written and deleted in one transaction with the cursor that
/// follows them, so a cut never leaves a cursor ahead of its data.
pub async fn apply_pulled(
    db: &Database,
    upserts: &[(RecordId, serde_json::Value)],
    deletes: &[RecordId],
    cursor: &str,
) -> Result<(), SaveError> {
    let tx = db.transaction(&[STATE, SIGNALS], TransactionMode::ReadWrite).map_err(storage)?;
    let signals = tx.object_store(SIGNALS).map_err(storage)?;
    for (id, value) in upserts {
        signals.put(&json(value)?, Some(&JsValue::from_str(&id.to_string()))).map_err(storage)?;
    }
    for id in deletes {
        signals.delete(JsValue::from_str(&id.to_string())).map_err(storage)?;
    }
    let state = tx.object_store(STATE).map_err(storage)?;
    state.put(&json(&cursor)?, Some(&JsValue::from_str("cursor"))).map_err(storage)?;
    tx.commit().map_err(storage)?.await.map_err(storage)?;
    Ok(())
}

pub async fn pulled_signals<T: DeserializeOwned>(db: &Database) -> Result<Vec<T>, SaveError> {
    let tx = db.transaction(&[SIGNALS], TransactionMode::ReadOnly).map_err(storage)?;
    let store = tx.object_store(SIGNALS).map_err(storage)?;
    let values = store.get_all(None, None).map_err(storage)?.await.map_err(storage)?;
    Ok(values.into_iter().filter_map(parse).collect())
}

pub async fn pulled_signal<T: DeserializeOwned>(db: &Database, id: RecordId) -> Result<Option<T>, SaveError> {
    let tx = db.transaction(&[SIGNALS], TransactionMode::ReadOnly).map_err(storage)?;
    let store = tx.object_store(SIGNALS).map_err(storage)?;
    let value = store.get(JsValue::from_str(&id.to_string())).map_err(storage)?.await.map_err(storage)?;
    Ok(value.and_then(parse))
}

/// A photo waiting for upload: its bookkeeping as JSON, its bytes as they are.
pub async fn put_photo(db: &Database, id: PhotoId, meta: &impl Serialize, bytes: &[u8]) -> Result<(), SaveError> {
    let tx = db.transaction(&[PHOTOS], TransactionMode::ReadWrite).map_err(storage)?;
    let store = tx.object_store(PHOTOS).map_err(storage)?;
    let record = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        js_sys::Reflect::set(&record, &JsValue::from_str(k), v).map_err(|e| storage(format!("{e:?}")))
    };
    set("meta", &json(meta)?)?;
    set("bytes", &Uint8Array::from(bytes).into())?;
    store.put(&record, Some(&JsValue::from_str(&id.to_string()))).map_err(storage)?;
    tx.commit().map_err(storage)?.await.map_err(storage)?;
    Ok(())
}

/// Every waiting photo's bookkeeping (without the bytes).
pub async fn photo_metas<T: DeserializeOwned>(db: &Database) -> Result<Vec<T>, SaveError> {
    let tx = db.transaction(&[PHOTOS], TransactionMode::ReadOnly).map_err(storage)?;
    let store = tx.object_store(PHOTOS).map_err(storage)?;
    let values = store.get_all(None, None).map_err(storage)?.await.map_err(storage)?;
    Ok(values
        .into_iter()
        .filter_map(|v| js_sys::Reflect::get(&v, &JsValue::from_str("meta")).ok())
        .filter_map(parse)
        .collect())
}

pub async fn photo_bytes(db: &Database, id: PhotoId) -> Result<Option<Vec<u8>>, SaveError> {
    let tx = db.transaction(&[PHOTOS], TransactionMode::ReadOnly).map_err(storage)?;
    let store = tx.object_store(PHOTOS).map_err(storage)?;
    let value = store.get(JsValue::from_str(&id.to_string())).map_err(storage)?.await.map_err(storage)?;
    Ok(value
        .and_then(|v| js_sys::Reflect::get(&v, &JsValue::from_str("bytes")).ok())
        .map(|bytes| Uint8Array::new(&bytes).to_vec()))
}

pub async fn delete_photo(db: &Database, id: PhotoId) -> Result<(), SaveError> {
    let tx = db.transaction(&[PHOTOS], TransactionMode::ReadWrite).map_err(storage)?;
    let store = tx.object_store(PHOTOS).map_err(storage)?;
    store.delete(JsValue::from_str(&id.to_string())).map_err(storage)?;
    tx.commit().map_err(storage)?.await.map_err(storage)?;
    Ok(())
}
