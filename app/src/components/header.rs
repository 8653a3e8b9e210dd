use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::use_session;
use crate::i18n::{use_i18n, Label, Locale};
use crate::model::CurrentUser;

/// The top bar: name, navigation for the logged-in role, language choice.
#[component]
pub fn Header() -> impl IntoView {
    let m = use_i18n();
    let session = use_session();
    view! {
        <header class="topbar">
            <div class="topbar-row">
                <a class="brand" href="/">{m.app_name}</a>
                <LanguageSwitch />
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let user = session.user.await.ok().flatten();
                    view! { <Nav user /> }
                })}
            </Suspense>
        </header>
    }
}

#[component]
fn Nav(user: Option<CurrentUser>) -> impl IntoView {
    let m = use_i18n();
    let session = use_session();
    match user {
        None => view! {
            <nav class="nav" aria-label=m.nav_label>
                <A href="/">{m.nav_home}</A>
                <A href="/login">{m.nav_login}</A>
            </nav>
        }
        .into_any(),
        Some(user) => {
            let contacts = user.logs_contacts().then(|| view! { <A href="/contacts">{m.nav_contacts}</A> });
            let signals = user.sees_signals().then(|| view! { <A href="/signals">{m.nav_signals}</A> });
            let team = user.leads_team().then(|| view! { <A href="/team">{m.nav_team}</A> });
            let access = user.sees_org_access_log().then(|| view! { <A href="/access-log">{m.nav_access_log}</A> });
            let admin = user.administers().then(|| view! { <A href="/admin">{m.nav_admin}</A> });
            view! {
                <nav class="nav" aria-label=m.nav_label>
                    <A href="/">{m.nav_home}</A>
                    {contacts}
                    {signals}
                    {team}
                    {access}
                    {admin}
                    <ActionForm action=session.log_out attr:class="inline-form">
                        <button type="submit" class="link-button">{m.nav_logout}</button>
                    </ActionForm>
                </nav>
                <p class="whoami" data-testid="whoami">
                    {m.logged_in_as} " " <strong>{user.display_name}</strong> " · "
                    {(m.label)(Label::Role(user.role))}
                </p>
            }
            .into_any()
        }
    }
}

/// Plain links, so the choice works without JavaScript; the server sets a cookie and
/// sends the person back to the page they were on.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let m = use_i18n();
    let here = use_location().pathname;
    let current = crate::current_locale();
    view! {
        <nav class="languages" aria-label=m.language_label>
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    let href = move || format!("/lang/{}?back={}", locale.tag(), here.get());
                    let is_current = (locale == current).then_some("true");
                    view! {
                        <a
                            href=href
                            rel="external"
                            hreflang=locale.tag()
                            lang=locale.tag()
                            aria-current=is_current
                            title=locale.messages().language_name
                        >
                            {locale.tag().to_uppercase()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
