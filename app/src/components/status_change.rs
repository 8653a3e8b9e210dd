//! Changing a signal's status from the phone, offline too: the change is an edit
//! mutation in the outbox, based on the version this phone last pulled, so a change
//! someone else made meanwhile is kept as a conflict for the team lead, never
//! overwritten. Needs JavaScript (the outbox lives in the browser): hidden without it.

use domain::{RecordId, SignalStatus};
use leptos::prelude::*;

use crate::i18n::{use_i18n, use_phone_i18n, Label};

#[component]
pub fn StatusChange(signal_id: RecordId, current: SignalStatus) -> impl IntoView {
    let m = use_i18n();
    let t = use_phone_i18n();
    let chosen = RwSignal::new(current);
    let outcome = RwSignal::new(None::<&'static str>);
    let field = format!("status-{signal_id}");
    let save = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use domain::sync::MutationBody;
            let message = match crate::phone::pulled_version(signal_id).await {
                None => t.edit_not_pulled,
                Some(base_version) => {
                    let body = MutationBody::EditSignal {
                        signal_id,
                        base_version,
                        status: Some(chosen.get_untracked()),
                        feedback: None,
                    };
                    match crate::phone::save_entry(body, None).await {
                        Ok(_) => t.saved_on_phone,
                        Err(_) => t.save_failed,
                    }
                }
            };
            outcome.set(Some(message));
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (signal_id, outcome);
    };
    view! {
        <details class="status-change needs-js" data-testid="status-change">
            <summary>{t.change_status}</summary>
            <label for=field.clone()>{t.new_status}</label>
            <select id=field on:change=move |ev| {
                if let Some(status) = SignalStatus::from_code(&event_target_value(&ev)) {
                    chosen.set(status);
                }
            }>
                {SignalStatus::all()
                    .map(|s| view! {
                        <option value=s.code() selected=s == current>{(m.label)(Label::Status(s))}</option>
                    })
                    .collect_view()}
            </select>
            <button type="button" class="button" on:click=save>{m.save}</button>
            <p class="form-success" role="status">{move || outcome.get()}</p>
        </details>
    }
}
