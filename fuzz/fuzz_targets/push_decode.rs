//! `POST /sync/push` from the first byte: the body read as the server's `Body` extractor
//! reads it (a JSON object, then a `PushBatch`), the whole-batch checks, and the batch
//! applied to the reference ledger as the device it names.
//!
//! Properties: decoding never panics; a decoded batch survives being written and read
//! again (as a `Value` exactly, as text up to float rounding); `check_batch` refuses
//! exactly what it says; the decision order is a permutation by `seq`; an accepted
//! batch gets one receipt per mutation, is stored consistently, and its replay answers
//! the same and changes nothing.
#![no_main]

use chrono::DateTime;
use domain::sync::rules::check_batch;
use domain::sync::{BatchError, Ledger, PushBatch, Sender, MAX_BATCH_MUTATIONS, PROTOCOL_VERSION};
use domain::{DeviceId, TeamId, UserId};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use uuid::Uuid;
use wijkpost_fuzz::json::same_json;
use wijkpost_fuzz::ledger_checks::{apply_checked, check_ledger};

fuzz_target!(|data: &[u8]| {
    // As `Body<PushBatch>` in server/src/api/error.rs: any JSON, then only an object.
    let Ok(value) = serde_json::from_slice::<Value>(data) else { return };
    if !value.is_object() {
        return;
    }
    let Ok(batch) = serde_json::from_value::<PushBatch>(value) else { return };

    let as_value = serde_json::to_value(&batch).expect("a decoded batch encodes");
    assert_eq!(serde_json::from_value::<PushBatch>(as_value.clone()).ok().as_ref(), Some(&batch), "Value round trip");
    let text = serde_json::to_vec(&batch).expect("a decoded batch encodes as text");
    let reread: Value = serde_json::from_slice(&text).expect("its own text is JSON");
    assert!(same_json(&as_value, &reread), "text round trip:\n{as_value}\n{reread}");
    serde_json::from_value::<PushBatch>(reread).expect("its own text decodes");

    let device = batch.device_id;
    let checked = check_batch(&batch, device);
    match &checked {
        Ok(()) => assert!(
            batch.protocol == PROTOCOL_VERSION
                && batch.mutations.len() <= MAX_BATCH_MUTATIONS
                && batch.mutations.iter().all(|m| m.device_id == device)
        ),
        Err(BatchError::UnsupportedProtocol { got }) => assert!(*got == batch.protocol && *got != PROTOCOL_VERSION),
        Err(BatchError::TooLarge { count }) => assert!(*count == batch.mutations.len() && *count > MAX_BATCH_MUTATIONS),
        Err(BatchError::ForeignMutation { mutation_id }) => {
            assert!(batch.mutations.iter().any(|m| m.id == *mutation_id && m.device_id != device))
        }
        Err(other) => panic!("check_batch cannot know {other:?}"),
    }
    // The credential's device, not the one the body claims, is what counts.
    let stranger = DeviceId::from_uuid(Uuid::from_u128(device.uuid().as_u128() ^ 1));
    if batch.protocol == PROTOCOL_VERSION {
        assert_eq!(check_batch(&batch, stranger), Err(BatchError::DeviceMismatch));
    }
    if checked.is_err() {
        return;
    }

    let sender = Sender {
        author_id: UserId::from_uuid(Uuid::from_u128(1)),
        team_id: TeamId::from_uuid(Uuid::from_u128(2)),
        org_id: None,
    };
    let now = DateTime::from_timestamp(1_780_000_000, 0).expect("a fixed moment");
    let mut ledger = Ledger::new();
    assert_eq!(apply_checked(&mut ledger, &batch, now), Err(BatchError::UnknownDevice), "unregistered");
    ledger.register_device(device, sender);
    let receipts = apply_checked(&mut ledger, &batch, now).expect("a checked batch of a registered device applies");
    check_ledger(&ledger, &[device]);
    // What the server answers must read back as what it meant.
    let answer = serde_json::to_string(&receipts).expect("receipts encode");
    let back: Vec<domain::sync::Receipt> = serde_json::from_str(&answer).expect("receipts decode");
    assert_eq!(back, receipts);
});
