use leptos::prelude::*;

use crate::components::use_session;
use crate::error::AppError;
use crate::i18n::{use_i18n, Label};
use crate::model::{CurrentUser, HomeFigures};
use crate::server_fns::home::home_summary;

/// The public page for anyone, or the logged-in role's own home.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    // Created here, once, and never inside the `Suspend` below: the server runs that
    // closure a varying number of times (Suspense walks its children again while it
    // waits), and each run would create a resource with the next hydration id. The
    // browser runs it once, so its resource read another id's data, was not ready,
    // and hydration stopped: "Unrecoverable hydration error" in about one load of six.
    // A visitor's summary is a quick "not logged in" (no session cookie to look up).
    let summary = Resource::new(|| (), |_| home_summary());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.user.await.ok().flatten() {
                    Some(user) => view! { <RoleHome user summary /> }.into_any(),
                    None => view! { <PublicHome /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublicHome() -> impl IntoView {
    let m = use_i18n();
    view! {
        <section class="card">
            <h1>{m.public_title}</h1>
            <p>{m.public_intro}</p>
            <p class="notice" role="note"><strong>{m.public_emergency}</strong></p>
        </section>
        <section class="card">
            <p>{m.public_coming}</p>
            <p><a class="button" href="/login">{m.nav_login}</a></p>
        </section>
    }
}

#[component]
fn RoleHome(user: CurrentUser, summary: Resource<Result<HomeFigures, AppError>>) -> impl IntoView {
    let m = use_i18n();
    let team = user.team_name.clone();
    view! {
        <section class="card" data-role=user.role.code()>
            <h1>{(m.role_home_title)(user.role)}</h1>
            <p class="muted">{(m.label)(Label::Role(user.role))} {team.map(|t| format!(" · {t}"))}</p>
            <p>{(m.role_home_body)(user.role)}</p>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                summary.await.ok().filter(|s| s.contacts + s.signals > 0).map(|s| view! {
                    <section class="card">
                        <h2>{m.home_counts}</h2>
                        <dl class="figures">
                            <div><dt>{m.nav_contacts}</dt><dd>{s.contacts}</dd></div>
                            <div><dt>{m.nav_signals}</dt><dd>{s.signals}</dd></div>
                        </dl>
                    </section>
                })
            })}
        </Suspense>
    }
}
