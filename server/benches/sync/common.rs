//! What both halves of the sync bench share: phones registered through the API, the
//! batches they push, and the statistics printed (the last also the access-log bench's).

use domain::{DeviceId, NeighbourhoodId};
use std::time::Duration;

use domain::sync::{Mutation, MutationBody, PushBatch, PROTOCOL_VERSION};
use domain::{Clock, ContactDraft, SystemClock};
use serde_json::{json, Value};
use uuid::Uuid;

pub const USERNAME: &str = "agent.borgerhout";
pub const TEAM: &str = "Wijkteam Borgerhout";
const PASSWORD: &str = "wijkpost-demo";

/// A registered phone: its id and its `<id>.<secret>` credential.
#[derive(Clone)]
pub struct Device {
    pub id: DeviceId,
    pub credential: String,
    /// The seq its next mutation gets.
    pub next_seq: u64,
}

/// Logs in as the demo officer and registers `count` phones, as each phone's first
/// log-in would.
pub async fn register_devices(base: &str, count: usize) -> Vec<Device> {
    let http = reqwest::Client::builder().cookie_store(true).build().expect("an HTTP client");
    let login = http
        .post(format!("{base}/api/login"))
        .header("origin", base)
        .form(&[("username", USERNAME), ("password", PASSWORD)])
        .send()
        .await
        .expect("log-in");
    assert!(login.status().is_success(), "log-in: {}", login.status());
    let mut devices = Vec::with_capacity(count);
    for n in 0..count {
        let reply = http
            .post(format!("{base}/api/v1/devices"))
            .header("origin", base)
            .json(&json!({ "label": format!("Bench-gsm {n}") }))
            .send()
            .await
            .expect("device registration");
        assert_eq!(reply.status(), 201, "device registration");
        let body: Value = reply.json().await.expect("a JSON answer");
        let id = body["device_id"].as_str().and_then(|s| s.parse().ok()).expect("a device id");
        let credential = body["credential"].as_str().expect("a credential").to_owned();
        devices.push(Device { id, credential, next_seq: 1 });
    }
    devices
}

/// A routine street contact, as the capture form makes it.
pub fn contact_draft(hood: NeighbourhoodId, n: usize) -> ContactDraft {
    ContactDraft {
        neighbourhood_id: hood.to_string(),
        mobility: if n.is_multiple_of(2) { "on_foot" } else { "bike" }.into(),
        kind: "conversation".into(),
        reason: "youth".into(),
        outcome: "informed".into(),
        lat: Some(51.2113 + (n % 100) as f64 * 1e-5),
        lon: Some(4.4336),
        accuracy_m: Some(12.0),
        street: Some("Turnhoutsebaan".into()),
        note: Some("Jongeren vragen naar het nieuwe voetbalveld.".into()),
        ..ContactDraft::default()
    }
}

/// The device's next `size` contacts as one push.
pub fn contact_batch(device: &mut Device, hood: NeighbourhoodId, size: usize) -> PushBatch {
    let now = SystemClock.now();
    let mutations = (0..size)
        .map(|n| {
            let seq = device.next_seq;
            device.next_seq += 1;
            let body = MutationBody::CreateContact(contact_draft(hood, n));
            Mutation { id: Uuid::now_v7(), device_id: device.id, seq, created_at: now, body }
        })
        .collect();
    PushBatch { protocol: PROTOCOL_VERSION, device_id: device.id, mutations }
}

/// The `q`-quantile (0..=1) of `samples`, nearest rank.
pub fn quantile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    let rank = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len());
    samples[rank - 1]
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// A free port on loopback for a spawned server.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}
