use leptos::prelude::*;

use crate::components::{page_or_refusal, DeviceItem, RevokeButton};
use crate::i18n::{use_home_i18n, use_i18n, Label};
use crate::model::{ConflictRow, SyncedRow, SyncedWhat, TeamMembers, TeamPhones, TeamScreen};
use crate::server_fns::team::{team_member_list, team_page, team_phone_list, ResolveConflict, RevokeDevice};

/// The team lead's review: open sync conflicts and what was synced. Members, phones
/// and the access log are pages of their own, so each fits a phone's screen.
#[component]
pub fn TeamPage() -> impl IntoView {
    let resolve = ServerAction::<ResolveConflict>::new();
    let page = Resource::new(move || resolve.version().get(), |_| team_page());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { page_or_refusal(page.await, move |screen| view! { <Team screen resolve /> }) })}
        </Suspense>
    }
}

/// The other team pages, one tap away.
#[component]
fn TeamTabs(current: &'static str) -> impl IntoView {
    let h = use_home_i18n();
    let tab = move |href: &'static str, label: &'static str| {
        let here = (href == current).then_some("page");
        view! { <li><a class="button" href=href aria-current=here>{label}</a></li> }
    };
    view! {
        <nav aria-label=h.team_pages_title>
            <ul class="link-list" data-testid="team-tabs">
                {tab("/team", h.team_review)}
                {tab("/team/members", h.team_members)}
                {tab("/team/phones", h.team_phones)}
                {tab("/access-log", h.team_access_log)}
            </ul>
        </nav>
    }
}

#[component]
fn Team(screen: TeamScreen, resolve: ServerAction<ResolveConflict>) -> impl IntoView {
    let m = use_i18n();
    view! {
        <h1>{m.team_title} " · " {screen.team_name}</h1>
        <TeamTabs current="/team" />
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
    }
}

/// The team's members (`/team/members`).
#[component]
pub fn TeamMembersPage() -> impl IntoView {
    let m = use_i18n();
    let page = Resource::new(|| (), |_| team_member_list());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                page_or_refusal(page.await, move |TeamMembers { team_name, members }| view! {
                    <h1>{m.team_members} " · " {team_name}</h1>
                    <TeamTabs current="/team/members" />
                    <section class="card">
                        <ul class="records" data-testid="members">
                            {members.into_iter().map(|u| view! {
                                <li><p class="record-title">{u.display_name}</p><p class="muted">{(m.label)(Label::Role(u.role))} " · " {u.username}</p></li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The team's phones (`/team/phones`), each revocable after a question.
#[component]
pub fn TeamPhonesPage() -> impl IntoView {
    let m = use_i18n();
    let h = use_home_i18n();
    let revoke = ServerAction::<RevokeDevice>::new();
    let page = Resource::new(move || revoke.version().get(), |_| team_phone_list());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                page_or_refusal(page.await, move |TeamPhones { team_name, devices }| view! {
                    <h1>{h.team_phones} " · " {team_name}</h1>
                    <TeamTabs current="/team/phones" />
                    <section class="card">
                        {devices.is_empty().then(|| view! { <p>{m.devices_empty}</p> })}
                        <ul class="records" data-testid="devices">
                            {devices.into_iter().map(|device| {
                                let id = device.id.to_string();
                                view! {
                                    <DeviceItem device=device.clone()>
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="device_id" value=id />
                                            <RevokeButton device />
                                        </ActionForm>
                                    </DeviceItem>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
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
            <p class="muted">{m.sync_device} {m.colon} {device}</p>
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
            <p>{m.conflict_now} {m.colon} {now}</p>
            <p>{m.conflict_phone_edit} {m.colon} {status_edit} {feedback_edit}</p>
            <p class="muted">{m.conflict_saved_on_phone} " " {conflict.saved_local} " · " {m.sync_received_at} " " {conflict.received_local}</p>
            {choice("keep_current", m.conflict_keep_current, keep_id)}
            {choice("apply_edit", m.conflict_apply_edit, apply_id)}
        </li>
    }
}
