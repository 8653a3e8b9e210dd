use leptos::prelude::*;

use crate::components::use_session;
use crate::i18n::{use_home_i18n, use_i18n};

/// Log-in for police, city and partner staff.
#[component]
pub fn LoginPage() -> impl IntoView {
    let m = use_i18n();
    let log_in = use_session().log_in;
    let error = move || log_in.value().get().and_then(Result::err).map(|e| e.message(m));
    let h = use_home_i18n();
    // The phone's name is not posted with the log-in: it stays on the phone, which
    // registers itself under it once logged in. Filled in once the page runs, with the
    // last name given or the browser and system ("Android · Chrome").
    let device_name = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(input) = device_name.get() {
            input.set_value(&crate::phone::device_name());
        }
    });
    let remember = move |_: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(input) = device_name.get() {
            crate::phone::set_device_name(&input.value());
        }
    };
    view! {
        <section class="card narrow">
            <h1>{m.login_title}</h1>
            <p class="form-error" role="alert" data-testid="login-error">{error}</p>
            <ActionForm action=log_in>
                <div class="field">
                    <label for="username">{m.login_username}</label>
                    <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required />
                </div>
                <div class="field">
                    <label for="password">{m.login_password}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                <div class="field">
                    <label for="device-name">{h.device_name_label}</label>
                    <p class="hint" id="device-name-hint">{h.device_name_hint}</p>
                    <input id="device-name" node_ref=device_name maxlength="60" autocomplete="off"
                        aria-describedby="device-name-hint" on:change=remember />
                </div>
                <button type="submit" class="button primary">{m.login_submit}</button>
            </ActionForm>
        </section>
    }
}
