use leptos::prelude::*;

use crate::api::team::{team_page, RevokeDevice};
use crate::components::{page_or_refusal, AccessLogTable};
use crate::i18n::{use_i18n, Label};
use crate::model::{DeviceRow, TeamScreen};

/// The team lead's page: members, phones (revocable), who read personal data.
#[component]
pub fn TeamPage() -> impl IntoView {
    let revoke = ServerAction::<RevokeDevice>::new();
    let page = Resource::new(move || revoke.version().get(), |_| team_page());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { page_or_refusal(page.await, move |screen| view! { <Team screen revoke /> }) })}
        </Suspense>
    }
}

#[component]
fn Team(screen: TeamScreen, revoke: ServerAction<RevokeDevice>) -> impl IntoView {
    let m = use_i18n();
    view! {
        <h1>{m.team_title} " · " {screen.team_name}</h1>
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
    let seen = device.last_seen_local.unwrap_or_else(|| m.device_never.to_owned());
    let label = device.label.clone();
    let state = match device.revoked_local {
        Some(at) => view! { <p class="form-error">{m.device_revoked_on} " " {at}</p> }.into_any(),
        None => view! {
            <ActionForm action=revoke attr:class="inline-form">
                <input type="hidden" name="device_id" value=device.id.to_string() />
                <button type="submit" class="button">{m.device_revoke} " · " {label}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <li data-device=device.id.to_string()>
            <p class="record-title">{device.label} " · " {device.owner}</p>
            <p class="muted">{m.device_last_seen} ": " {seen}</p>
            {state}
        </li>
    }
}
