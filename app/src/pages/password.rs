use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::FieldMessage;
use crate::i18n::{use_home_i18n, use_i18n};
use crate::server_fns::admin::SetPassword;

/// Where a one-time link leads: choose a password.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let m = use_i18n();
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let set = ServerAction::<SetPassword>::new();
    let error = move || set.value().get().and_then(Result::err);
    // Set: by this page's own call (JavaScript), or by a plain post sent back here.
    let set_before = use_query_map().with_untracked(|q| q.get("set").is_some());
    let is_set = move || set_before || matches!(set.value().get(), Some(Ok(())));
    let h = use_home_i18n();
    let done = move || {
        is_set().then(|| {
            view! {
                <p class="form-success" role="status" data-testid="password-set">{h.password_set}</p>
                <p><a class="button primary" href="/login" data-testid="password-login">{m.nav_login}</a></p>
            }
        })
    };
    let field_error = Signal::derive(move || error().and_then(|e| e.field_message(m, "password")));
    view! {
        <section class="card narrow">
            <h1>{m.password_title}</h1>
            <p class="form-error" role="alert">{move || error().filter(|e| !matches!(e, crate::error::AppError::Invalid(_))).map(|e| e.message(m))}</p>
            {done}
            <ActionForm action=set attr:hidden=is_set>
                <input type="hidden" name="token" value=token />
                <div class="field">
                    <label for="new-password">{m.password_new}</label>
                    <p class="hint" id="new-password-hint">{m.password_hint}</p>
                    <input id="new-password" name="password" type="password" autocomplete="new-password" minlength="10"
                        aria-describedby="new-password-hint new-password-error" />
                    <FieldMessage id="new-password-error".into() message=field_error />
                </div>
                <button type="submit" class="button primary">{m.password_save}</button>
            </ActionForm>
        </section>
    }
}
