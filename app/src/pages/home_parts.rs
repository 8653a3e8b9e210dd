//! The parts of the role homes besides the day: signals urgent first, the team lead's
//! decisions, the intervention briefing, referrals, and the partner's home.

use leptos::prelude::*;

use crate::i18n::{use_home_i18n, use_i18n, Label};
use crate::model::homes::{Briefing as BriefingData, Decisions, Finder, PartnerHome as PartnerData, ReferralRow};
use crate::model::{ContactRow, SignalRow};

/// A signal in a home's short list: what, where, when, its text where the person may
/// read it (logged by the server), and a mark when it is overdue or changed.
#[component]
fn SignalItem(signal: SignalRow, #[prop(optional_no_strip)] mark: Option<String>) -> impl IntoView {
    let m = use_i18n();
    let s = signal;
    view! {
        <li data-id=s.id.to_string() data-urgency=s.urgency.code()>
            <p class="record-head">
                <time>{s.occurred_local}</time> " · " {s.neighbourhood}
                {mark.map(|mark| view! { " " <strong class="badge" data-testid="mark">{mark}</strong> })}
            </p>
            <p class="record-title">
                {(m.label)(Label::Category(s.category))} " · " {(m.label)(Label::Urgency(s.urgency))}
                " · " {(m.label)(Label::Status(s.status))}
            </p>
            {(!s.description.is_empty()).then(|| view! { <p class="record-note">{s.description}</p> })}
            {s.referred_to.map(|to| view! { <p class="muted">"→ " {to}</p> })}
            {s.feedback.map(|f| view! { <p><strong>{m.signal_feedback} {m.colon}</strong><span data-typed="">{f}</span></p> })}
        </li>
    }
    .into_any()
}

#[component]
fn SignalList(rows: Vec<SignalRow>, testid: &'static str) -> impl IntoView {
    view! {
        <ul class="records" data-testid=testid>
            {rows.into_iter().map(|signal| view! { <SignalItem signal /> }).collect_view()}
        </ul>
    }
}

#[component]
pub fn OpenSignals(rows: Vec<SignalRow>) -> impl IntoView {
    let h = use_home_i18n();
    view! {
        <section class="card" aria-labelledby="open-title">
            <h2 id="open-title">{h.open_signals_title}</h2>
            {rows.is_empty().then(|| view! { <p>{h.open_signals_empty}</p> })}
            <SignalList rows testid="open-signals" />
            <p><a class="button" href="/signals">{h.to_signals}</a></p>
        </section>
    }
}

#[component]
pub fn Decide(decisions: Decisions) -> impl IntoView {
    let h = use_home_i18n();
    let Decisions { conflicts, urgent, waiting_referrals } = decisions;
    let nothing = conflicts == 0 && urgent.is_empty() && waiting_referrals.is_empty();
    view! {
        <section class="card" aria-labelledby="decide-title" data-testid="decide">
            <h2 id="decide-title">{h.decide_title}</h2>
            {nothing.then(|| view! { <p>{h.decide_nothing}</p> })}
            {(conflicts > 0).then(|| view! {
                <p><a class="button" href="/team#conflicts-title" data-testid="decide-conflicts">{(h.decide_conflicts)(conflicts)}</a></p>
            })}
            {(!urgent.is_empty()).then(|| view! {
                <h3>{h.decide_urgent}</h3>
                <SignalList rows=urgent testid="decide-urgent" />
            })}
            {(!waiting_referrals.is_empty()).then(|| view! {
                <h3>{h.decide_referrals}</h3>
                <ReferralList rows=waiting_referrals testid="decide-referrals" />
            })}
        </section>
    }
}

/// The team lead's own pages, each short enough to find things on a phone.
#[component]
pub fn TeamPages() -> impl IntoView {
    let h = use_home_i18n();
    view! {
        <nav class="card" aria-labelledby="team-pages-title">
            <h2 id="team-pages-title">{h.team_pages_title}</h2>
            <ul class="link-list" data-testid="team-pages">
                <li><a class="button" href="/team">{h.team_review}</a></li>
                <li><a class="button" href="/team/members">{h.team_members}</a></li>
                <li><a class="button" href="/team/phones">{h.team_phones}</a></li>
                <li><a class="button" href="/access-log">{h.team_access_log}</a></li>
            </ul>
        </nav>
    }
}

#[component]
fn ReferralList(rows: Vec<ReferralRow>, testid: &'static str) -> impl IntoView {
    let h = use_home_i18n();
    view! {
        <ul class="records" data-testid=testid>
            {rows.into_iter().map(|r| {
                let mark = r.overdue.then(|| h.overdue.to_owned());
                view! { <SignalItem signal=r.signal mark /> }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn Briefing(briefing: BriefingData) -> impl IntoView {
    let m = use_i18n();
    let h = use_home_i18n();
    let BriefingData { urgent, contacts } = briefing;
    view! {
        <section class="card" aria-labelledby="urgent-title">
            <h2 id="urgent-title">{h.urgent_title}</h2>
            {urgent.is_empty().then(|| view! { <p>{h.urgent_empty}</p> })}
            <SignalList rows=urgent testid="urgent-signals" />
            <p><a class="button" href="/signals">{h.to_signals}</a></p>
        </section>
        <section class="card" aria-labelledby="briefing-contacts-title">
            <h2 id="briefing-contacts-title">{h.contacts_title}</h2>
            {contacts.is_empty().then(|| view! { <p>{h.contacts_empty}</p> })}
            <ul class="records" data-testid="briefing-contacts">
                {contacts.into_iter().map(|c: ContactRow| view! {
                    <li data-id=c.id.to_string()>
                        <p class="record-head"><time>{c.occurred_local}</time> " · " {c.neighbourhood}
                            {c.street.map(|s| format!(" · {s}"))}</p>
                        <p class="record-title">{(m.label)(Label::Kind(c.kind))} " · " {(m.label)(Label::Reason(c.reason))}</p>
                        <p class="muted">{(m.label)(Label::Outcome(c.outcome))}</p>
                        {c.note.map(|n| view! { <p class="record-note">{n}</p> })}
                    </li>
                }).collect_view()}
            </ul>
            <p><a class="button" href="/contacts">{h.to_contacts}</a></p>
        </section>
    }
}

#[component]
pub fn Referred(rows: Vec<ReferralRow>, overdue_days: i64) -> impl IntoView {
    let h = use_home_i18n();
    view! {
        <section class="card" aria-labelledby="referred-title">
            <h2 id="referred-title">{h.referred_title}</h2>
            <p class="muted">{(h.overdue_rule)(overdue_days)}</p>
            {rows.is_empty().then(|| view! { <p>{h.referred_empty}</p> })}
            <ReferralList rows testid="referred" />
            <p><a class="button" href="/signals">{h.to_signals}</a></p>
        </section>
    }
}

#[component]
pub fn PartnerHome(home: PartnerData) -> impl IntoView {
    let h = use_home_i18n();
    let PartnerData { since_local, changed, others, finder } = home;
    view! {
        {view! { <NeighbourhoodFinder finder /> }.into_any()}
        <section class="card" aria-labelledby="changed-title" data-testid="changed-section">
            <h2 id="changed-title">{h.changed_title}</h2>
            {since_local.map(|since| view! { <p class="muted">{(h.changed_since)(&since)}</p> })}
            {changed.is_empty().then(|| view! { <p>{h.changed_nothing}</p> })}
            <ul class="records" data-testid="changed">
                {changed.into_iter().map(|(signal, at)| {
                    let mark = Some(format!("{} {at}", h.changed_on));
                    view! { <SignalItem signal mark /> }
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="org-signals-title">
            <h2 id="org-signals-title">{h.org_signals_title}</h2>
            {others.is_empty().then(|| view! { <p>{h.org_signals_empty}</p> })}
            <SignalList rows=others testid="org-signals" />
            <p><a class="button" href="/signals">{h.to_signals}</a></p>
        </section>
    }
}

/// Finds the neighbourhood by a part of its name (a GET form, so it works without
/// JavaScript) or by where the person stands ("use my location" fills in the
/// coordinates and sends the same form; the server finds the boundary around them).
#[component]
fn NeighbourhoodFinder(finder: Finder) -> impl IntoView {
    let h = use_home_i18n();
    let status = RwSignal::new(None::<&'static str>);
    let form = NodeRef::<leptos::html::Form>::new();
    let (lat, lon) = (NodeRef::<leptos::html::Input>::new(), NodeRef::<leptos::html::Input>::new());
    let locate = move |_| {
        status.set(Some(h.finder_locating));
        locate_then(move |place| match place {
            Some((la, lo)) => {
                if let (Some(lat), Some(lon), Some(form)) = (lat.get(), lon.get(), form.get()) {
                    lat.set_value(&la.to_string());
                    lon.set_value(&lo.to_string());
                    let _ = form.request_submit();
                }
            }
            None => status.set(Some(h.finder_no_location)),
        });
    };
    let Finder { typed, asked, outside, found } = finder;
    let none = asked && !outside && found.is_empty();
    view! {
        <section class="card" aria-labelledby="finder-title">
            <h2 id="finder-title">{h.finder_title}</h2>
            <form method="get" action="/" node_ref=form data-testid="finder">
                <div class="field">
                    <label for="finder-wijk">{h.finder_label}</label>
                    <input id="finder-wijk" name="wijk" value=typed aria-describedby="finder-hint" autocomplete="off" />
                    <p class="hint" id="finder-hint">{h.finder_hint}</p>
                </div>
                <input type="hidden" name="lat" node_ref=lat />
                <input type="hidden" name="lon" node_ref=lon />
                <p class="actions">
                    <button type="submit" class="button primary">{h.finder_search}</button>
                    <button type="button" class="button" on:click=locate data-testid="finder-locate">{h.finder_locate}</button>
                </p>
                <p role="status">{move || status.get()}</p>
            </form>
            {none.then(|| view! { <p data-testid="finder-none">{h.finder_none}</p> })}
            {outside.then(|| view! { <p data-testid="finder-outside">{h.finder_outside}</p> })}
            <ul class="link-list" data-testid="finder-found">
                {found.into_iter().map(|n| view! {
                    <li><a class="button" href=format!("/signals?neighbourhood={}#new-signal-title", n.id)>{(h.finder_report_in)(&n.name)}</a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Asks the browser where the person is, once; `None` when it cannot or may not say.
fn locate_then(done: impl Fn(Option<(f64, f64)>) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let done = std::rc::Rc::new(done);
        let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            return done(None);
        };
        let found = done.clone();
        let success = Closure::once_into_js(move |position: web_sys::Position| {
            let c = position.coords();
            found(Some((c.latitude(), c.longitude())));
        });
        let failure = Closure::once_into_js(move |_: wasm_bindgen::JsValue| done(None));
        let _ = geolocation
            .get_current_position_with_error_callback(success.unchecked_ref(), Some(failure.unchecked_ref()));
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = done;
    }
}
