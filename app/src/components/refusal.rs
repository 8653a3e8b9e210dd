use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_i18n;

/// A page that could not be shown: why, in words, with the HTTP status to match
/// (401, 403, 404 …), so a partner typing a police URL gets a clear denial page.
#[component]
pub fn Refusal(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(error.status()))
    {
        response.set_status(status);
    }
    let m = use_i18n();
    let log_in = matches!(error, AppError::NotLoggedIn)
        .then(|| view! { <p><a class="button" href="/login">{m.nav_login}</a></p> });
    view! {
        <section class="card" data-testid="refusal" data-status=error.status()>
            <p class="form-error" role="alert">{error.message(m)}</p>
            {log_in}
            <p><a class="button" href="/">{m.nav_home}</a></p>
        </section>
    }
}

/// Renders `page` from a loaded result, or the refusal.
pub fn page_or_refusal<T, V: IntoView + 'static>(result: Result<T, AppError>, page: impl FnOnce(T) -> V) -> AnyView {
    match result {
        Ok(data) => page(data).into_any(),
        Err(error) => view! { <Refusal error /> }.into_any(),
    }
}
