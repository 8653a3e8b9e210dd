use leptos::prelude::*;

use crate::components::use_session;
use crate::i18n::use_i18n;

/// Log-in for police, city and partner staff.
#[component]
pub fn LoginPage() -> impl IntoView {
    let m = use_i18n();
    let log_in = use_session().log_in;
    let error = move || log_in.value().get().and_then(Result::err).map(|e| e.message(m));
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
                <button type="submit" class="button primary">{m.login_submit}</button>
            </ActionForm>
        </section>
    }
}
