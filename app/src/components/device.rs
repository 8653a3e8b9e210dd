//! This phone's device identity. After log-in the browser registers itself once per
//! person and keeps the credential in local storage, so it can sync later without a
//! fresh log-in while out of coverage (the outbox uses it). Log-out forgets it.
//!
//! Local storage is readable by the page's own scripts: the credential is only as
//! safe as the page is free of injected script, which is why the app renders no
//! untrusted HTML. It can be revoked by the person, their team lead or an admin.

use leptos::prelude::*;

use super::use_session;

pub const DEVICE_KEY: &str = "wijkpost.device";

/// Registers this browser as a device once its user is known; forgets it at log-out.
pub fn keep_device_identity() {
    let session = use_session();
    Effect::new(move |_| {
        let user = session.user.get().and_then(Result::ok).flatten();
        #[cfg(feature = "hydrate")]
        browser::follow(user.map(|u| u.id));
        #[cfg(not(feature = "hydrate"))]
        let _ = user;
    });
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::task::spawn_local;
    use uuid::Uuid;

    use super::DEVICE_KEY;
    use crate::api::auth::{register_device, DeviceGrant};

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    fn stored() -> Option<DeviceGrant> {
        let raw = storage()?.get_item(DEVICE_KEY).ok()??;
        serde_json::from_str(&raw).ok()
    }

    pub fn follow(user_id: Option<Uuid>) {
        let Some(storage) = storage() else { return };
        match (user_id, stored()) {
            (Some(user), Some(grant)) if grant.user_id == user => {}
            (Some(_), _) => spawn_local(async move {
                let label = web_sys::window()
                    .and_then(|w| w.navigator().user_agent().ok())
                    .map(|ua| describe(&ua))
                    .unwrap_or_else(|| "Browser".to_owned());
                if let Ok(grant) = register_device(label).await {
                    if let Ok(json) = serde_json::to_string(&grant) {
                        let _ = storage.set_item(DEVICE_KEY, &json);
                    }
                }
            }),
            (None, Some(_)) => {
                let _ = storage.remove_item(DEVICE_KEY);
            }
            (None, None) => {}
        }
    }

    /// "Android · Chrome" rather than the whole user-agent string.
    fn describe(user_agent: &str) -> String {
        let system = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"]
            .into_iter()
            .find(|s| user_agent.contains(s))
            .unwrap_or("Browser");
        let browser = ["Firefox", "Edg", "Chrome", "Safari"].into_iter().find(|b| user_agent.contains(b)).unwrap_or("");
        let browser = if browser == "Edg" { "Edge" } else { browser };
        if browser.is_empty() {
            system.to_owned()
        } else {
            format!("{system} · {browser}")
        }
    }
}
