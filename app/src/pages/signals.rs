use leptos::prelude::*;

use super::signal_form::SignalForm;
use crate::components::{page_or_refusal, StatusChange, UnsentEntries};
use crate::i18n::{use_i18n, Label};
use crate::model::SignalRow;
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
    view! {
        <section class="card">
            {rows.is_empty().then(|| view! { <p>{m.signals_empty}</p> })}
            <ul class="records" data-testid="signal-list">
                {rows.into_iter().map(|s| view! {
                    <li data-id=s.id.to_string()>
                        <p class="record-head"><time>{s.occurred_local}</time> " · " {s.neighbourhood}</p>
                        <p class="record-title">
                            {(m.label)(Label::Category(s.category))} " · " {(m.label)(Label::Status(s.status))}
                            " · " {(m.label)(Label::Urgency(s.urgency))}
                        </p>
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
                        {s.may_update.then(|| view! { <StatusChange signal_id=s.id current=s.status /> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
