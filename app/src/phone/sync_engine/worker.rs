//! The service worker (served by the server at `/sw.js`, see `server/src/pwa.rs`) seen
//! from the page: registering it, offering a newly installed version, telling it when
//! to keep or forget the pages it serves offline; and asking for persistent storage.
//!
//! Through `web-sys` directly: the worker itself is plain JavaScript (a WASM worker
//! would have to load the whole bundle before it could answer an offline reload), and
//! the page's side is four calls, which no crate makes shorter.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

use crate::phone::Phone;

thread_local! {
    /// Set when the person chose to reload into the new version; a worker taking over
    /// for any other reason (another tab) must not reload the page under their thumb.
    static RELOAD_ASKED: Cell<bool> = const { Cell::new(false) };
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Absent on plain http other than localhost, and in some private windows.
    js_sys::Reflect::has(&navigator, &"serviceWorker".into()).ok()?.then(|| navigator.service_worker())
}

/// What the worker is to do with the field pages it keeps for offline use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeptPages {
    /// This person is logged in: keep their pages (those not kept yet, or stale), and
    /// drop anyone else's.
    For(domain::UserId),
    /// Nobody is logged in (logged out, or the session ended): drop every kept page.
    Forget,
    /// Not known (the server could not say): leave them.
    Leave,
}

/// Registers the worker, watches for a new version, and tells it whose pages to keep.
pub fn register(phone: Phone, pages: KeptPages) {
    let Some(container) = container() else { return };
    let on_change = Closure::<dyn FnMut()>::new(|| {
        if RELOAD_ASKED.get() {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let promise = container.register("/sw.js");
    spawn_local(async move {
        let Ok(registration) = JsFuture::from(promise).await else { return };
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        let controlled = container.controller().is_some();
        if registration.waiting().is_some() && controlled {
            phone.update_ready.set(true);
        }
        watch_for_updates(&registration, phone, controlled);
        match pages {
            KeptPages::For(person) => tell_worker(&container, &format!("keep:{person}")).await,
            KeptPages::Forget => tell_worker(&container, "forget").await,
            KeptPages::Leave => {}
        }
    });
}

fn watch_for_updates(registration: &ServiceWorkerRegistration, phone: Phone, controlled: bool) {
    let watched = registration.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = watched.installing() else { return };
        let worker = installing.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            // The first worker of a page is no "update": nothing to offer.
            if worker.state() == ServiceWorkerState::Installed && controlled {
                phone.update_ready.set(true);
            }
        });
        installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
}

/// Sends a message to the active worker once it is ready.
async fn tell_worker(container: &ServiceWorkerContainer, message: &str) {
    let Ok(ready) = container.ready() else { return };
    let Ok(registration) = JsFuture::from(ready).await else { return };
    let registration: ServiceWorkerRegistration = registration.unchecked_into();
    if let Some(active) = registration.active() {
        let _ = active.post_message(&JsValue::from_str(message));
    }
}

/// The person accepted the new version: it takes over, then the page reloads.
pub fn apply_update() {
    let Some(container) = container() else { return };
    RELOAD_ASKED.set(true);
    spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.get_registration()).await else { return };
        let registration: Option<ServiceWorkerRegistration> = registration.dyn_into().ok();
        match registration.and_then(|r| r.waiting()) {
            Some(waiting) => skip_waiting(&waiting),
            None => {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            }
        }
    });
}

fn skip_waiting(worker: &ServiceWorker) {
    let _ = worker.post_message(&JsValue::from_str("skip-waiting"));
}

/// At log-out: the kept pages show this person's data.
pub fn forget_pages() {
    let Some(container) = container() else { return };
    if let Some(controller) = container.controller() {
        let _ = controller.post_message(&JsValue::from_str("forget"));
    }
}

/// Asks the browser not to evict the phone's data under storage pressure, and
/// records its answer so the outbox screen can say when it refused.
pub fn ask_persistent_storage(phone: Phone) {
    let Some(window) = web_sys::window() else { return };
    let storage = window.navigator().storage();
    let Ok(promise) = storage.persist() else {
        phone.persisted.set(Some(false));
        return;
    };
    spawn_local(async move {
        let granted = JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false);
        phone.persisted.set(Some(granted));
    });
}

/// Holds this person's outbox for as long as the page lives, through the Web Locks
/// API: two tabs (or the installed app and a tab) each keeping the queue in memory
/// would overwrite each other's entries. Returns once this page holds it: at once
/// normally, or when the other page closes. Browsers without the API (old ones) go
/// ahead: one page is the usual case there anyway.
pub async fn hold_outbox(user_id: domain::UserId) {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let Ok(locks) = js_sys::Reflect::get(&navigator, &"locks".into()) else { return };
    let Ok(request) = js_sys::Reflect::get(&locks, &"request".into()) else { return };
    let Ok(request) = request.dyn_into::<js_sys::Function>() else { return };
    let mut answer = None;
    let held = js_sys::Promise::new(&mut |resolve, _| answer = Some(resolve));
    let Some(answer) = answer else { return };
    let granted = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        let _ = answer.call0(&JsValue::NULL);
        // Never settles: the lock is held until the page goes away.
        js_sys::Promise::new(&mut |_, _| {}).into()
    });
    let name = JsValue::from_str(&format!("wijkpost-outbox-{user_id}"));
    if request.call2(&locks, &name, &granted).is_err() {
        return;
    }
    let _ = JsFuture::from(held).await;
}
