#[path = "home_parts.rs"]
mod parts;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::{page_or_refusal, use_session, QueuedItem};
use crate::i18n::{use_home_i18n, use_i18n, use_phone_i18n, Label};
use crate::model::homes::{DayRows, HomeScreen};
use crate::model::{CurrentUser, SyncedWhat};
use crate::phone::use_phone;
use crate::server_fns::home::home_page;

/// The public page for anyone, or the logged-in role's own home.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.user.await.ok().flatten() {
                    Some(user) => view! { <RoleHome user /> }.into_any(),
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

/// What the person needs first. The query (`before`, `wijk`, `lat`, `lon`) pages the
/// day and drives the partner's finder: plain links and a GET form, so both work
/// without JavaScript.
#[component]
fn RoleHome(user: CurrentUser) -> impl IntoView {
    let m = use_i18n();
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        (q.get("before"), q.get("wijk"), q.get("lat"), q.get("lon"))
    };
    let screen = Resource::new(asked, |(before, wijk, lat, lon)| home_page(before, wijk, lat, lon));
    let team = user.team_name.clone();
    let role = user.role;
    // Outside the server's answer: what waits on the phone shows offline too.
    let captures = user.can.captures();
    view! {
        <div class="home-title" data-role=role.code()>
            <h1>{(m.role_home_title)(role)}</h1>
            <p class="muted">{(m.label)(Label::Role(role))} {team.map(|t| format!(" · {t}"))}</p>
        </div>
        {captures.then(|| view! { <Waiting /> }.into_any())}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                page_or_refusal(screen.await, move |screen| view! { <Parts screen role /> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn Parts(screen: HomeScreen, role: domain::Role) -> impl IntoView {
    let m = use_i18n();
    let HomeScreen { today, open_signals, decisions, briefing, referred, partner, overdue_days } = screen;
    let nothing = today.is_none() && briefing.is_none() && referred.is_none() && partner.is_none();
    // Each part is erased to `AnyView`: their types nested in one view are too deep
    // for the compiler's layout of the browser build.
    view! {
        {decisions.map(|decisions| view! { <parts::Decide decisions /> <parts::TeamPages /> }.into_any())}
        {today.map(|day| view! { <Today day /> }.into_any())}
        {open_signals.map(|rows| view! { <parts::OpenSignals rows /> }.into_any())}
        {briefing.map(|briefing| view! { <parts::Briefing briefing /> }.into_any())}
        {referred.map(|rows| view! { <parts::Referred rows overdue_days /> }.into_any())}
        {partner.map(|home| view! { <parts::PartnerHome home /> }.into_any())}
        {nothing.then(|| view! { <section class="card"><p>{(m.role_home_body)(role)}</p></section> }.into_any())}
    }
}

/// The team's entries of today: who, when, what; a page at a time.
#[component]
fn Today(day: DayRows) -> impl IntoView {
    let m = use_i18n();
    let h = use_home_i18n();
    let mine = day.rows.iter().filter(|r| r.mine).count();
    let team = day.rows.len();
    let more_pages = day.next.is_some();
    let more = day.next.map(|cursor| {
        view! { <a class="button" data-testid="today-more" href=format!("/?before={cursor}#today")>{h.today_more}</a> }
    });
    let back = day.paged.then(|| view! { <a class="button" href="/#today">{h.today_first_page}</a> });
    view! {
        <section class="card" id="today" aria-labelledby="today-title">
            <h2 id="today-title">{h.today_title}</h2>
            {if day.rows.is_empty() {
                view! { <p>{h.today_empty}</p> }.into_any()
            } else {
                view! { <p class="muted" data-testid="today-counts">{(h.today_counts)(team, more_pages, mine)}</p> }.into_any()
            }}
            <ul class="records compact" data-testid="today">
                {day.rows.into_iter().map(|r| {
                    let (kind, what) = match r.what {
                        SyncedWhat::Contact(k) => (h.entry_contact, (m.label)(Label::Kind(k))),
                        SyncedWhat::Signal(c) => (h.entry_signal, (m.label)(Label::Category(c))),
                    };
                    view! {
                        <li data-record=r.id.to_string() data-mine=r.mine.to_string()>
                            <p><time>{r.time_local}</time> " · " <strong>{kind}</strong> " · " {what}</p>
                            <p class="muted">{r.author} {r.mine.then(|| format!(" ({})", h.today_mine))}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="actions">{back} {more}</p>
        </section>
    }
    .into_any()
}

/// What this phone holds and has not sent: read from the phone's outbox, so it is
/// empty in the server's HTML and fills in once the page runs.
#[component]
fn Waiting() -> impl IntoView {
    let h = use_home_i18n();
    let t = use_phone_i18n();
    let phone = use_phone();
    let waiting =
        move || phone.entries.get().into_iter().filter(|e| e.state.code() != "sent").rev().take(5).collect::<Vec<_>>();
    let count = move || phone.pending.get() + phone.attention.get();
    // Nothing waiting is one line; the list and the way to the outbox come with entries.
    view! {
        <section class="card" aria-labelledby="waiting-title" data-testid="waiting">
            <div class="waiting">
                <h2 id="waiting-title">{h.waiting_title}</h2>
                <p data-testid="waiting-count">
                    {move || if count() == 0 { h.waiting_none.to_owned() } else { (t.not_sent)(count()) }}
                </p>
            </div>
            <ul class="records unsent">
                <For each=waiting key=|e| e.list_key() let:entry>
                    <QueuedItem entry />
                </For>
            </ul>
            <p hidden=move || count() == 0><a class="button" href="/outbox">{h.waiting_to_outbox}</a></p>
        </section>
    }
    .into_any()
}
