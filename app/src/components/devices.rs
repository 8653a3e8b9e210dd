//! What the screens that list phones share: which one is "this phone", and the
//! question asked before one is revoked (a revoked phone must log in again with the
//! password before it can send what it holds).

use leptos::prelude::*;

use crate::i18n::{use_i18n, Messages};
use crate::model::DeviceRow;

/// "Dit toestel" next to the phone this page is open on.
#[component]
pub fn ThisPhone(is: bool) -> impl IntoView {
    let m = use_i18n();
    is.then(|| view! { " " <strong class="badge" data-testid="this-phone">{m.device_this_phone}</strong> })
}

/// The question before revoking `device`, sharper for the phone in one's hand.
pub fn revoke_question(m: &'static Messages, device: &DeviceRow) -> String {
    if device.is_this_phone {
        m.device_revoke_this_confirm.to_owned()
    } else {
        (m.device_revoke_confirm)(&device.label, &device.owner)
    }
}

/// One phone in a list (the team's or the admin's): its name, owner, "this phone",
/// when it last synced, and, while it is not revoked, the revoke form the page
/// passes as children (each page posts to its own server function).
#[component]
pub fn DeviceItem(device: DeviceRow, children: Children) -> impl IntoView {
    let m = use_i18n();
    let h = crate::i18n::use_home_i18n();
    let seen = device.last_seen_local.clone().unwrap_or_else(|| m.device_never.to_owned());
    let state = match device.revoked_local.clone() {
        Some(at) => view! { <p class="form-error">{m.device_revoked_on} " " {at}</p> }.into_any(),
        None => children(),
    };
    view! {
        <li id=format!("device-{}", device.id) data-device=device.id.to_string() data-this-phone=device.is_this_phone.to_string()>
            <p class="record-title">{device.label} " · " {device.owner} <ThisPhone is=device.is_this_phone /></p>
            <p class="muted" data-testid="device-last-sync">{h.device_last_sync} {m.colon} {seen}</p>
            {state}
        </li>
    }
}

/// "Intrekken", which asks first, with and without JavaScript: the first tap opens
/// the question (whose phone, and what revoking does), the second says yes. Many
/// phones share a label ("Android · Chrome"), so the question and the button's
/// accessible name say whose phone it is.
#[component]
pub fn RevokeButton(device: DeviceRow) -> impl IntoView {
    let m = use_i18n();
    let h = crate::i18n::use_home_i18n();
    let question = revoke_question(m, &device);
    let revoke_label = format!("{} · {} · {}", h.revoke_yes, device.label, device.owner);
    view! {
        <details class="ask-first" data-testid="revoke">
            <summary class="button">{m.device_revoke}</summary>
            <p data-testid="revoke-question">{question}</p>
            <p>
                <button type="submit" class="button danger" aria-label=revoke_label>{h.revoke_yes}</button>
            </p>
        </details>
    }
}
