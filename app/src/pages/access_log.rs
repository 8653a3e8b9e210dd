use leptos::prelude::*;

use crate::components::{page_or_refusal, AccessLogTable};
use crate::i18n::use_i18n;
use crate::server_fns::team::org_access_log;

/// For partners: who read their organisation's signals.
#[component]
pub fn AccessLogPage() -> impl IntoView {
    let m = use_i18n();
    let log = Resource::new(|| (), |_| org_access_log());
    view! {
        <h1>{m.access_log_title}</h1>
        <p class="muted">{m.access_log_intro}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                page_or_refusal(log.await, |rows| view! { <section class="card"><AccessLogTable rows /></section> })
            })}
        </Suspense>
    }
}
