//! This phone's device credential. The phone makes its device id itself, with its
//! outbox, before its first entry; the server registers that id for the logged-in
//! person and hands back a secret. Logging in again on the same phone (after a
//! log-out or a revocation) registers the same id again, so unsent entries keep their
//! numbers. Log-out forgets the secret.
//!
//! Kept in local storage, which the page's own scripts can read (the README says why a
//! bearer key and not a cookie or a WebCrypto key): it is only as safe as the page is
//! free of injected script, which is why the app renders no untrusted HTML and the CSP
//! allows no inline script but the boot script. It can only sync, it can be revoked by
//! its owner, their team lead or an admin, a new password revokes it, and it expires
//! (`device_key_expired`, answered like a revocation: forgotten, then registered again
//! in the live session, or after the next log-in).

use domain::sync::FailureKind;
use domain::{DeviceId, UserId};

use super::net::Failed;
use super::with_engine;
use crate::error::AppError;
use crate::server_fns::auth::{register_device, DeviceGrant};

pub const DEVICE_KEY: &str = "wijkpost.device";
/// What the person called this phone at log-in; kept across log-outs, like the
/// phone's id, so logging in again names the same device the same way.
const DEVICE_NAME_KEY: &str = "wijkpost.device_name";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn stored() -> Option<DeviceGrant> {
    let raw = storage()?.get_item(DEVICE_KEY).ok()??;
    serde_json::from_str(&raw).ok()
}

/// The stored credential, if it is this person's and this outbox's.
pub fn stored_credential(user_id: UserId, device_id: DeviceId) -> Option<String> {
    stored().filter(|g| g.user_id == user_id && g.device_id == device_id).map(|g| g.credential)
}

pub fn forget_credential() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(DEVICE_KEY);
    }
}

/// Registers the outbox's device id for the logged-in person (needs the network and
/// a session). Refused: the person must log in again.
pub async fn register() -> Result<String, FailureKind> {
    let (device_id, label) = with_engine(|e| (e.outbox.device_id(), device_name())).ok_or(FailureKind::Network)?;
    match register_device(label, Some(device_id)).await {
        Ok(grant) => {
            if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&grant)) {
                let _ = storage.set_item(DEVICE_KEY, &json);
            }
            with_engine(|e| {
                e.credential = Some(grant.credential.clone());
                e.outbox.logged_in_again();
            });
            Ok(grant.credential)
        }
        Err(AppError::NotLoggedIn | AppError::Forbidden | AppError::DeviceRevoked) => {
            with_engine(|e| e.outbox.on_failure(FailureKind::AuthRefused));
            Err(FailureKind::AuthRefused)
        }
        Err(_) => Err(FailureKind::Network),
    }
}

/// A refused credential is dropped: the next round registers the device again, which
/// works once the person has logged in again.
pub fn note_refusal(failed: &Failed) {
    if failed.kind == FailureKind::AuthRefused {
        forget_credential();
        with_engine(|e| e.credential = None);
    }
}

/// The name this phone goes by: what the person called it, else the browser's own
/// description.
pub fn device_name() -> String {
    storage()
        .and_then(|s| s.get_item(DEVICE_NAME_KEY).ok().flatten())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(label)
}

/// Remembers what the person called this phone (blank: the browser's description).
pub fn set_device_name(name: &str) {
    if let Some(storage) = storage() {
        let _ = match name.trim() {
            "" => storage.remove_item(DEVICE_NAME_KEY),
            name => storage.set_item(DEVICE_NAME_KEY, name),
        };
    }
}

/// "Android · Chrome" rather than the whole user-agent string.
fn label() -> String {
    let agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let system = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"]
        .into_iter()
        .find(|s| agent.contains(s))
        .unwrap_or("Browser");
    let browser = ["Firefox", "Edg", "Chrome", "Safari"].into_iter().find(|b| agent.contains(b)).unwrap_or("");
    match browser {
        "" => system.to_owned(),
        "Edg" => format!("{system} · Edge"),
        browser => format!("{system} · {browser}"),
    }
}
