use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::{confirm, use_session, SyncBar};
use crate::i18n::{use_i18n, use_phone_i18n, Label, Locale};
use crate::model::CurrentUser;
use crate::phone::use_phone;

/// The top bar: name, the emergency numbers, language choice, the person logged in
/// (with log-out) and the navigation for their role.
#[component]
pub fn Header() -> impl IntoView {
    let m = use_i18n();
    let session = use_session();
    view! {
        <header class="topbar">
            <div class="topbar-row">
                <a class="brand" href="/">{m.app_name}</a>
                <EmergencyCalls />
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

/// A navigation link. Full page loads (`rel="external"`), not client-side routing:
/// offline, the service worker answers a page load from its copy of the page, whereas
/// a client-side route would ask the server for its data and fail.
#[component]
fn NavLink(href: &'static str, label: &'static str) -> impl IntoView {
    let here = use_location().pathname;
    let current = move || (here.get() == href).then_some("page");
    view! { <a href=href rel="external" aria-current=current>{label}</a> }
}

#[component]
fn Nav(user: Option<CurrentUser>) -> impl IntoView {
    let m = use_i18n();
    let t = use_phone_i18n();
    let session = use_session();
    match user {
        None => view! {
            <nav class="nav" aria-label=m.nav_label>
                <NavLink href="/" label=m.nav_home />
                <NavLink href="/login" label=m.nav_login />
            </nav>
        }
        .into_any(),
        Some(user) => {
            let phone = use_phone();
            let can = user.can;
            let contacts = can.read_contacts.then(|| view! { <NavLink href="/contacts" label=m.nav_contacts /> });
            let signals = can.read_signals.then(|| view! { <NavLink href="/signals" label=m.nav_signals /> });
            let team = (can.manage_team || can.review_team_sync || can.read_team_access_log)
                .then(|| view! { <NavLink href="/team" label=m.nav_team /> });
            let access =
                can.read_org_access_log.then(|| view! { <NavLink href="/access-log" label=m.nav_access_log /> });
            let admin = can.administer.then(|| view! { <NavLink href="/admin" label=m.nav_admin /> });
            let sync_bar = can.captures().then(|| view! { <SyncBar /> });
            // The end-of-shift check: log-out with unsent entries asks first. They stay
            // on the phone either way, but are sent only after the next log-in.
            let check_unsent = move |ev: leptos::ev::MouseEvent| {
                // Entries not sent, refused ones waiting for a person, photos not uploaded:
                // all stay on the phone and need this person to log in again.
                let unsent = phone.pending.get_untracked()
                    + phone.attention.get_untracked()
                    + phone.photos_pending.get_untracked();
                if unsent > 0 && !confirm(&(t.unsent_before_logout)(unsent)) {
                    ev.prevent_default();
                }
            };
            // Log-out sits with the name, in the header's flow: it scrolls away with the
            // page instead of floating over fields, and stays far from the thumb's
            // navigation at the bottom, so no one ends a shift by accident.
            view! {
                <nav class="nav" aria-label=m.nav_label>
                    <NavLink href="/" label=m.nav_home />
                    {contacts}
                    {signals}
                    {team}
                    {access}
                    {admin}
                </nav>
                <div class="account" role="group" aria-label=m.account_label>
                    <p class="whoami" data-testid="whoami">
                        {m.logged_in_as} " " <strong>{user.display_name}</strong> " · "
                        {(m.label)(Label::Role(user.role))}
                    </p>
                    <ActionForm action=session.log_out attr:class="inline-form">
                        <button type="submit" class="link-button" data-testid="log-out" on:click=check_unsent>
                            {m.nav_logout}
                        </button>
                    </ActionForm>
                </div>
                {sync_bar}
            }
            .into_any()
        }
    }
}

/// 101 and 112 as tap-to-call links on every page, public or not: the number is what
/// a person in trouble looks for; the label says which is which.
#[component]
fn EmergencyCalls() -> impl IntoView {
    let m = use_i18n();
    view! {
        <nav class="calls" aria-label=m.emergency_label>
            <a href="tel:101" aria-label=m.call_police title=m.call_police data-testid="call-101">"101"</a>
            <a href="tel:112" aria-label=m.call_emergency title=m.call_emergency data-testid="call-112">"112"</a>
        </nav>
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
