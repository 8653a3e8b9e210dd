//! What the screens that list phones share: which one is "this phone", and the
//! question asked before one is revoked (a revoked phone must log in again with the
//! password before it can send what it holds).

use leptos::prelude::*;

use super::confirm;
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

/// A click handler that lets the form submit only when the person says yes.
pub fn ask_first(question: String) -> impl Fn(leptos::ev::MouseEvent) + 'static {
    move |ev| {
        if !confirm(&question) {
            ev.prevent_default();
        }
    }
}
