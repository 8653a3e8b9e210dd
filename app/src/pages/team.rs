use leptos::prelude::*;

use crate::components::{ask_first, page_or_refusal, revoke_question, AccessLogTable, ThisPhone};
use crate::i18n::{use_i18n, Label};
use crate::model::{ConflictRow, DeviceRow, SyncedRow, SyncedWhat, TeamScreen};
use crate::server_fns::team::{team_page, ResolveConflict, RevokeDevice};

/// The team lead's page: open sync conflicts, what was synced, members, phones
/// (revocable), who read personal data.
#[component]
pub fn TeamPage() -> impl IntoView {
    let revoke = ServerAction::<RevokeDevice>::new();
    let resolve = ServerAction::<ResolveConflict>::new();
    let page = Resource::new(move || (revoke.version().get(), resolve.version().get()), |_| team_page());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { page_or_refusal(page.await, move |screen| view! { <Team screen revoke resolve /> }) })}
        </Suspense>
    }
}

#[component]
fn Team(
    screen: TeamScreen,
    revoke: ServerAction<RevokeDevice>,
    resolve: ServerAction<ResolveConflict>,
) -> impl IntoView {
    let m = use_i18n();
    view! {
        <h1>{m.team_title} " · " {screen.team_name}</h1>
        <section class="card" aria-labelledby="conflicts-title">
            <h2 id="conflicts-title">{m.conflicts_title}</h2>
            <p class="muted">{m.conflicts_intro}</p>
            {screen.conflicts.is_empty().then(|| view! { <p>{m.conflicts_empty}</p> })}
            <ul class="records" data-testid="conflicts">
                {screen.conflicts.into_iter().map(|c| view! { <ConflictItem conflict=c resolve /> }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="synced-title">
            <h2 id="synced-title">{m.sync_review_title}</h2>
            <p class="muted">{m.sync_review_intro}</p>
            {screen.synced.is_empty().then(|| view! { <p>{m.sync_review_empty}</p> })}
            <ul class="records" data-testid="synced">
                {screen.synced.into_iter().map(|r| view! { <SyncedItem row=r /> }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="members-title">
            <h2 id="members-title">{m.team_members}</h2>
            <ul class="records">
                {screen.members.into_iter().map(|u| view! {
                    <li><p class="record-title">{u.display_name}</p><p class="muted">{(m.label)(Label::Role(u.role))} " · " {u.username}</p></li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="devices-title">
            <h2 id="devices-title">{m.team_devices}</h2>
            {screen.devices.is_empty().then(|| view! { <p>{m.devices_empty}</p> })}
            <ul class="records" data-testid="devices">
                {screen.devices.into_iter().map(|d| view! { <DeviceItem device=d revoke /> }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="log-title">
            <h2 id="log-title">{m.access_log_title}</h2>
            <p class="muted">{m.access_log_intro}</p>
            <AccessLogTable rows=screen.access_log />
        </section>
    }
}

#[component]
fn DeviceItem(device: DeviceRow, revoke: ServerAction<RevokeDevice>) -> impl IntoView {
    let m = use_i18n();
    let question = revoke_question(m, &device);
    let seen = device.last_seen_local.unwrap_or_else(|| m.device_never.to_owned());
    let label = device.label.clone();
    let state = match device.revoked_local {
        Some(at) => view! { <p class="form-error">{m.device_revoked_on} " " {at}</p> }.into_any(),
        None => view! {
            <ActionForm action=revoke attr:class="inline-form">
                <input type="hidden" name="device_id" value=device.id.to_string() />
                <button type="submit" class="button" on:click=ask_first(question)>
                    {m.device_revoke} " · " {label}
                </button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <li data-device=device.id.to_string() data-this-phone=device.is_this_phone.to_string()>
            <p class="record-title">{device.label} " · " {device.owner} <ThisPhone is=device.is_this_phone /></p>
            <p class="muted">{m.device_last_seen} ": " {seen}</p>
            {state}
        </li>
    }
}

#[component]
fn SyncedItem(row: SyncedRow) -> impl IntoView {
    let m = use_i18n();
    let what = match row.what {
        SyncedWhat::Contact(kind) => (m.label)(Label::Kind(kind)),
        SyncedWhat::Signal(category) => (m.label)(Label::Category(category)),
    };
    let device = row.device.unwrap_or_else(|| m.sync_via_web.to_owned());
    view! {
        <li data-record=row.id.to_string()>
            <p class="record-title">{what} " · " {row.author}</p>
            <p class="muted">{m.sync_device} ": " {device}</p>
            <p class="muted">{m.sync_logged_at} " " {row.logged_local} " · " {m.sync_received_at} " " {row.received_local}</p>
        </li>
    }
}

#[component]
fn ConflictItem(conflict: ConflictRow, resolve: ServerAction<ResolveConflict>) -> impl IntoView {
    let m = use_i18n();
    let id = conflict.mutation_id.to_string();
    let (keep_id, apply_id) = (id.clone(), id.clone());
    let now = format!(
        "{}{}",
        (m.label)(Label::Status(conflict.status_now)),
        conflict.feedback_now.map(|f| format!(" · {f}")).unwrap_or_default()
    );
    let status_edit = conflict.status_edit.map_or(m.conflict_unchanged, |s| (m.label)(Label::Status(s)));
    let feedback_edit = match conflict.feedback_edit {
        None => String::new(),
        Some(None) => format!(" · {}", m.conflict_feedback_withdrawn),
        Some(Some(text)) => format!(" · {text}"),
    };
    // One form per choice, so each button says exactly what it does.
    let choice = move |value: &'static str, label: &'static str, id: String| {
        view! {
            <ActionForm action=resolve attr:class="inline-form">
                <input type="hidden" name="mutation_id" value=id />
                <input type="hidden" name="choice" value=value />
                <button type="submit" class="button">{label}</button>
            </ActionForm>
        }
    };
    view! {
        <li data-conflict=id>
            <p class="record-title" data-testid="conflict-signal">
                {(m.label)(Label::Category(conflict.category))} " · " {conflict.neighbourhood}
                {conflict.street.map(|street| format!(" · {street}"))} " · " <time>{conflict.occurred_local}</time>
            </p>
            <p class="muted">{conflict.author} " · " {conflict.device}</p>
            <p>{m.conflict_now} ": " {now}</p>
            <p>{m.conflict_phone_edit} ": " {status_edit} {feedback_edit}</p>
            <p class="muted">{m.conflict_saved_on_phone} " " {conflict.saved_local} " · " {m.sync_received_at} " " {conflict.received_local}</p>
            {choice("keep_current", m.conflict_keep_current, keep_id)}
            {choice("apply_edit", m.conflict_apply_edit, apply_id)}
        </li>
    }
}
