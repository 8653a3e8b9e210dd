use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Any path the app does not know: a 404 with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let m = use_i18n();
    view! {
        <section class="card">
            <h1>{m.not_found_title}</h1>
            <p>{m.not_found_body}</p>
            <p><a class="button" href="/">{m.nav_home}</a></p>
        </section>
    }
}
