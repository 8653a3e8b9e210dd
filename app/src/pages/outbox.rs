//! The outbox screen: every entry on this phone the server has not yet taken, with
//! its state; the reasons for a refused one; and whether the browser keeps the data.

use leptos::prelude::*;

use crate::components::QueuedItem;
use crate::i18n::use_phone_i18n;
use crate::phone::{sync_now, use_phone, EntryState, QueuedEntry};

#[component]
pub fn OutboxPage() -> impl IntoView {
    let t = use_phone_i18n();
    let phone = use_phone();
    let entries = move || phone.entries.get().into_iter().filter(|e| e.state != EntryState::Sent).collect::<Vec<_>>();
    let storage = move || match phone.persisted.get() {
        Some(false) => Some(
            view! { <p class="warning" role="note" data-testid="storage-refused">{t.storage_refused}</p> }.into_any(),
        ),
        Some(true) => Some(view! { <p class="muted">{t.storage_granted}</p> }.into_any()),
        None => None,
    };
    view! {
        <h1>{t.outbox_title}</h1>
        <section class="card">
            <p>{t.outbox_intro}</p>
            {storage}
            <button type="button" class="button primary wide" on:click=move |_| sync_now()>{t.send_now}</button>
        </section>
        <section class="card" aria-labelledby="outbox-list-title">
            <h2 id="outbox-list-title" class="visually-hidden">{t.outbox_title}</h2>
            {move || entries().is_empty().then(|| view! { <p data-testid="outbox-empty">{t.outbox_empty}</p> })}
            <ul class="records" data-testid="outbox-list">
                <For each=entries key=QueuedEntry::list_key let:entry>
                    <QueuedItem entry full=true />
                </For>
            </ul>
            {move || (phone.not_shown.get() > 0).then(|| view! { <p class="muted">{(t.and_more)(phone.not_shown.get())}</p> })}
        </section>
    }
}
