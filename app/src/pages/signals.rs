use leptos::prelude::*;

use super::signal_form::SignalForm;
use crate::components::{page_or_refusal, StatusChange, UnsentEntries};
use domain::sync::MutationBody;

use crate::i18n::{use_i18n, use_phone_i18n, Label};
use crate::model::SignalRow;
use crate::phone::{use_phone, EntryState, Phone};
use crate::server_fns::signals::{signal_form, signals_page};

/// Signals the person may see, with status and feedback.
#[component]
pub fn SignalsPage() -> impl IntoView {
    let m = use_i18n();
    let page = Resource::new(|| (), |_| signals_page());
    let form = Resource::new(|| (), |_| signal_form());
    view! {
        <h1>{m.signals_title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                form.await.ok().flatten().map(|choices| view! { <SignalForm choices /> <UnsentEntries signals=true /> })
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { page_or_refusal(page.await, |rows| view! { <SignalList rows /> }) })}
        </Suspense>
    }
}

#[component]
fn SignalList(rows: Vec<SignalRow>) -> impl IntoView {
    let m = use_i18n();
    let t = use_phone_i18n();
    let phone = use_phone();
    view! {
        <section class="card" aria-labelledby="signal-list-title">
            <h2 id="signal-list-title">{t.signals_list_title}</h2>
            {rows.is_empty().then(|| view! { <p>{m.signals_empty}</p> })}
            <ul class="records" data-testid="signal-list">
                {rows.into_iter().map(|s| {
                    let id = s.id;
                    let place = match s.street {
                        Some(street) => format!("{} · {street}", s.neighbourhood),
                        None => s.neighbourhood,
                    };
                    // A status changed on this phone shows at once, from the outbox.
                    let changed = move || status_changed_here(phone, id);
                    let status = move || (m.label)(Label::Status(changed().map_or(s.status, |(status, _)| status)));
                    view! {
                    <li data-id=id.to_string()>
                        {s.photo_url.map(|src| {
                            // Offline (the photo is never kept on the phone) no broken image.
                            let unavailable = RwSignal::new(false);
                            view! {
                                <img class="signal-photo" src=src loading="lazy" width="96" height="72"
                                    alt=t.signal_photo_alt data-testid="signal-photo"
                                    class:unavailable=move || unavailable.get() on:error=move |_| unavailable.set(true) />
                            }
                        })}
                        <p class="record-head"><time>{s.occurred_local}</time> " · " <span data-testid="signal-place">{place}</span></p>
                        <p class="record-title">
                            {(m.label)(Label::Category(s.category))} " · "
                            <span data-testid="signal-status">{status}</span>
                            " · " {(m.label)(Label::Urgency(s.urgency))}
                        </p>
                        {move || changed().filter(|(_, sent)| !sent).map(|_| view! {
                            <p class="muted" data-testid="status-changed-here">{t.status_changed_here}</p>
                        })}
                        {(!s.description.is_empty()).then(|| view! { <p class="record-note">{s.description}</p> })}
                        {(s.linked_reports > 0).then(|| view! {
                            <p data-testid="signal-also-reported">
                                <strong>{(m.signal_also_reported)(s.linked_reports)}</strong>
                            </p>
                        })}
                        {s.is_linked.then(|| view! {
                            <p class="muted" data-testid="signal-same-as-earlier">{m.signal_same_as_earlier}</p>
                        })}
                        {s.referred_to.map(|to| view! { <p class="muted">"→ " {to}</p> })}
                        {s.feedback.map(|f| view! { <p><strong>{m.signal_feedback} {m.colon}</strong><span data-typed="">{f}</span></p> })}
                        {s.may_update.then(|| view! { <StatusChange signal_id=id current=s.status /> })}
                    </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The status this phone last set on the signal, and whether it has been sent; `None`
/// when no change of it is on the phone (or the one there was refused or kept as a
/// conflict: then the list shows the server's status, and the outbox says why).
fn status_changed_here(phone: Phone, signal: domain::RecordId) -> Option<(domain::SignalStatus, bool)> {
    phone.entries.with(|entries| {
        entries.iter().rev().find_map(|entry| match (&entry.body, &entry.state) {
            (MutationBody::EditSignal { signal_id, status: Some(status), .. }, state) if *signal_id == signal => {
                match state {
                    EntryState::NotSent | EntryState::Sending => Some((*status, false)),
                    EntryState::Sent => Some((*status, true)),
                    EntryState::Refused(_) | EntryState::Conflict => None,
                }
            }
            _ => None,
        })
    })
}
