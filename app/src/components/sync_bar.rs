//! The sync bar under the header: how many entries wait on this phone, when it last
//! sent, and what it is doing now, in one line a person can read in the rain.

use leptos::prelude::*;

use crate::i18n::{colon, use_locale, use_phone_i18n, PhoneMessages};
use crate::phone::{apply_update, short_local_time, sync_now, use_phone, SyncStatus};

fn status_text(t: &PhoneMessages, status: &SyncStatus) -> &'static str {
    match status {
        SyncStatus::Starting => t.status_starting,
        SyncStatus::Idle => t.status_idle,
        SyncStatus::Working => t.status_working,
        SyncStatus::Offline => t.status_offline,
        SyncStatus::Failing => t.status_failing,
        SyncStatus::NeedsLogin => t.status_needs_login,
        SyncStatus::Unavailable => t.status_unavailable,
        SyncStatus::OtherPage => t.status_other_page,
    }
}

#[component]
pub fn SyncBar() -> impl IntoView {
    let t = use_phone_i18n();
    let separator = colon(use_locale());
    let phone = use_phone();
    let counts = move || {
        // Until the queue is read from the phone nothing is known: never "all sent".
        if phone.status.get() == SyncStatus::Starting {
            return t.status_starting.to_owned();
        }
        let pending = phone.pending.get();
        let mut parts = vec![if pending == 0 { t.all_sent.to_owned() } else { (t.not_sent)(pending) }];
        let attention = phone.attention.get();
        if attention > 0 {
            parts.push((t.need_attention)(attention));
        }
        let photos = phone.photos_pending.get();
        if photos > 0 {
            parts.push((t.photos_waiting)(photos));
        }
        parts.join(" · ")
    };
    let last = move || {
        let when = phone.last_sync.get().map(short_local_time).unwrap_or_else(|| t.never_synced.to_owned());
        format!("{}{separator}{when}", t.last_sync)
    };
    let state = move || match phone.status.get() {
        SyncStatus::Offline => "offline",
        SyncStatus::Failing | SyncStatus::Unavailable | SyncStatus::OtherPage => "error",
        SyncStatus::NeedsLogin => "login",
        SyncStatus::Working => "working",
        _ => "ok",
    };
    view! {
        <section class="sync-bar" aria-label=t.sync_label data-state=state data-testid="sync-bar">
            <p class="sync-counts" role="status" aria-live="polite">
                <a href="/outbox" rel="external" data-testid="pending-count">{counts}</a>
            </p>
            <p class="sync-status" data-testid="sync-status">
                {move || status_text(t, &phone.status.get())} " · " <span class="muted">{last}</span>
            </p>
            <div class="sync-actions">
                {move || (phone.status.get() == SyncStatus::NeedsLogin).then(|| view! {
                    <a class="button" href="/login" rel="external">{t.log_in_again}</a>
                })}
                <button type="button" class="button" on:click=move |_| sync_now()
                    disabled=move || phone.status.get() == SyncStatus::Starting>
                    {t.send_now}
                </button>
            </div>
            {move || phone.update_ready.get().then(|| view! {
                <p class="update-offer" role="alert" data-testid="update-offer">
                    {t.update_ready} " "
                    <button type="button" class="button primary" on:click=move |_| apply_update()>{t.update_reload}</button>
                </p>
            })}
        </section>
    }
}
