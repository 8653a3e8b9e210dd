//! Entries saved on this phone, shown where a person looks for them: at the top of
//! the contact and signal lists ("not yet sent"), and whole on the outbox screen.

use domain::sync::MutationBody;
use domain::{ContactKind, ContactReason, SignalCategory, Urgency};
use leptos::prelude::*;

use crate::i18n::{use_i18n, use_phone_i18n, Label, Messages, PhoneMessages};
use crate::phone::{dismiss, short_local_time, use_phone, EntryState, QueuedEntry};

/// What the entry is, in a line: "Street contact · Conversation · Nuisance".
pub fn entry_summary(m: &Messages, t: &PhoneMessages, entry: &QueuedEntry) -> String {
    match &entry.body {
        MutationBody::CreateContact(c) => {
            let mut parts = vec![t.entry_contact.to_owned()];
            parts.extend(ContactKind::from_code(&c.kind).map(|k| (m.label)(Label::Kind(k)).to_owned()));
            parts.extend(ContactReason::from_code(&c.reason).map(|r| (m.label)(Label::Reason(r)).to_owned()));
            parts.join(" · ")
        }
        MutationBody::CreateSignal(s) => {
            let mut parts = vec![t.entry_signal.to_owned()];
            parts.extend(SignalCategory::from_code(&s.category).map(|c| (m.label)(Label::Category(c)).to_owned()));
            parts.extend(Urgency::from_code(&s.urgency).map(|u| (m.label)(Label::Urgency(u)).to_owned()));
            parts.join(" · ")
        }
        MutationBody::EditSignal { .. } => t.entry_edit.to_owned(),
    }
}

fn state_text(t: &PhoneMessages, state: &EntryState) -> &'static str {
    match state {
        EntryState::NotSent => t.state_not_sent,
        EntryState::Sending => t.state_sending,
        EntryState::Refused(_) => t.state_refused,
        EntryState::Conflict => t.state_conflict,
        EntryState::Sent => t.state_sent,
    }
}

/// One queued entry; with `full`, the server's reasons and the dismiss button.
#[component]
pub fn QueuedItem(entry: QueuedEntry, #[prop(optional)] full: bool) -> impl IntoView {
    let m = use_i18n();
    let t = use_phone_i18n();
    let reasons = match &entry.state {
        EntryState::Refused(errors) if full => {
            errors.iter().map(|e| format!("{}: {}", e.field, (m.problem)(&e.problem))).collect::<Vec<_>>()
        }
        _ => Vec::new(),
    };
    let id = entry.id;
    let can_dismiss = full && entry.needs_attention();
    let note = match &entry.body {
        MutationBody::CreateSignal(s) => Some(s.description.clone()),
        MutationBody::CreateContact(c) => c.note.clone(),
        MutationBody::EditSignal { .. } => None,
    };
    view! {
        <li class="queued" data-id=id.to_string() data-state=entry.state.code()>
            <p class="record-head">
                <time>{short_local_time(entry.saved_at)}</time> " · "
                <strong class="badge">{state_text(t, &entry.state)}</strong>
                {entry.photo_waiting.then(|| view! { " · " <span class="badge">{t.photo_waiting}</span> })}
            </p>
            <p class="record-title">{entry_summary(m, t, &entry)}</p>
            {note.filter(|n| !n.is_empty()).map(|n| view! { <p class="record-note">{n}</p> })}
            {(!reasons.is_empty()).then(|| view! {
                <ul class="reasons">{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            })}
            {can_dismiss.then(|| view! {
                <button type="button" class="button" on:click=move |_| {
                    if confirm(t.dismiss_confirm) { dismiss(id) }
                }>{t.dismiss}</button>
            })}
        </li>
    }
}

/// The browser's own yes/no question: accessible, and works on every phone.
pub fn confirm(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(true)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        true
    }
}

/// The newest few: the outbox screen has the rest.
const SHOWN_IN_LISTS: usize = 20;

/// This phone's entries of one kind (unsent, and sent since the page opened), above
/// the list of what the server had when the page was made.
#[component]
pub fn UnsentEntries(signals: bool) -> impl IntoView {
    let phone = use_phone();
    let entries = move || {
        phone
            .entries
            .get()
            .into_iter()
            .filter(|e| if signals { e.is_signal() } else { e.is_contact() })
            .rev()
            .take(SHOWN_IN_LISTS)
            .collect::<Vec<_>>()
    };
    view! {
        <ul class="records unsent" data-testid="unsent-list">
            <For each=entries key=QueuedEntry::list_key let:entry>
                <QueuedItem entry />
            </For>
        </ul>
    }
}
