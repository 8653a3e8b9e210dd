use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::{page_or_refusal, AccessLogTable};
use crate::i18n::{use_home_i18n, use_i18n};
use crate::model::AccessPage;
use crate::server_fns::team::org_access_log;

/// Who read personal data: a team lead the team's records, a partner the
/// organisation's signals. Paged by plain links (`?before=`), so a long log stays a
/// short page and works without JavaScript.
#[component]
pub fn AccessLogPage() -> impl IntoView {
    let m = use_i18n();
    let h = use_home_i18n();
    let query = use_query_map();
    let before = move || query.read().get("before");
    let log = Resource::new(before, org_access_log);
    view! {
        <h1>{m.access_log_title}</h1>
        <p class="muted">{m.access_log_intro}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let paged = before().is_some();
                page_or_refusal(log.await, move |AccessPage { rows, older }| view! {
                    <section class="card"><AccessLogTable rows /></section>
                    <p class="actions">
                        {older.map(|cursor| view! {
                            <a class="button" data-testid="access-log-older" href=format!("/access-log?before={cursor}")>
                                {h.log_older}
                            </a>
                        })}
                        {paged.then(|| view! { <a class="button" href="/access-log">{h.today_first_page}</a> })}
                    </p>
                })
            })}
        </Suspense>
    }
}
