//! Teams, partner organisations and phones on the admin page.

use domain::PartnerKind;
use leptos::prelude::*;

use super::{failure, field_error, form_error, Notice, TextInput};
use crate::components::{code_choices, DeviceItem, RevokeButton, SelectField};
use crate::i18n::{use_i18n, Label};
use crate::model::{AdminNotice, DeviceGroup, OrganisationRow, TeamRow};
use crate::server_fns::admin::{AdminRevokeDevice, CreateOrganisation, CreateTeam};

#[component]
pub(super) fn Teams(
    teams: Vec<TeamRow>,
    districts: Vec<(String, String)>,
    action: ServerAction<CreateTeam>,
    notice: Option<AdminNotice>,
) -> impl IntoView {
    let m = use_i18n();
    let failure = failure(action);
    let notice = notice.filter(|n| matches!(n, AdminNotice::TeamCreated { .. }));
    view! {
        <section class="card" id="teams" aria-labelledby="teams-title">
            <h2 id="teams-title">{m.admin_teams}</h2>
            {notice.map(|notice| view! { <Notice notice /> })}
            <ul class="records" data-testid="teams">
                {teams
                    .into_iter()
                    .map(|t| view! { <li><span class="record-title">{t.name}</span><span class="muted">" · " {t.district}</span></li> })
                    .collect_view()}
            </ul>
            <h3 id="new-team-title">{m.admin_new_team}</h3>
            <p class="form-error" role="alert">{form_error(failure)}</p>
            <ActionForm action attr:novalidate=true attr:aria-labelledby="new-team-title">
                <TextInput id="field-team_name" name="team_name" label=m.field_team_name error=field_error(failure, "name") />
                <SelectField id="field-team_district_id" name="team_district_id" label=m.field_district choices=districts
                    empty=m.choose required=true error=field_error(failure, "district_id") />
                <button type="submit" class="button primary">{m.admin_create}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn Organisations(
    organisations: Vec<OrganisationRow>,
    districts: Vec<(String, String)>,
    action: ServerAction<CreateOrganisation>,
    notice: Option<AdminNotice>,
) -> impl IntoView {
    let m = use_i18n();
    let failure = failure(action);
    let notice = notice.filter(|n| matches!(n, AdminNotice::OrganisationCreated { .. }));
    view! {
        <section class="card" id="organisations" aria-labelledby="organisations-title">
            <h2 id="organisations-title">{m.admin_orgs}</h2>
            {notice.map(|notice| view! { <Notice notice /> })}
            <ul class="records" data-testid="organisations">
                {organisations
                    .into_iter()
                    .map(|o| {
                        let about = format!(
                            "{}{}",
                            (m.label)(Label::Partner(o.kind)),
                            o.district.map(|d| format!(" · {d}")).unwrap_or_default()
                        );
                        view! { <li><p class="record-title">{o.name}</p><p class="muted">{about}</p></li> }
                    })
                    .collect_view()}
            </ul>
            <h3 id="new-org-title">{m.admin_new_org}</h3>
            <p class="form-error" role="alert">{form_error(failure)}</p>
            <ActionForm action attr:novalidate=true attr:aria-labelledby="new-org-title">
                <TextInput id="field-org_name" name="org_name" label=m.field_org_name error=field_error(failure, "name") />
                <SelectField id="field-org_kind" name="org_kind" label=m.field_org_kind
                    choices=code_choices(PartnerKind::all(), PartnerKind::code, Label::Partner)
                    empty=m.choose required=true error=field_error(failure, "kind") />
                <SelectField id="field-org_district_id" name="org_district_id" label=m.field_org_district choices=districts
                    empty=m.district_any error=field_error(failure, "district_id") />
                <button type="submit" class="button primary">{m.admin_create}</button>
            </ActionForm>
        </section>
    }
}

/// Every registered phone, per team; revoking one stops its next sync.
#[component]
pub(super) fn Devices(groups: Vec<DeviceGroup>, action: ServerAction<AdminRevokeDevice>) -> impl IntoView {
    let m = use_i18n();
    let failure = failure(action);
    let empty = groups.is_empty();
    view! {
        <section class="card" id="devices" aria-labelledby="devices-title">
            <h2 id="devices-title">{m.team_devices}</h2>
            <p class="muted">{m.admin_devices_intro}</p>
            <p class="form-error" role="alert">{form_error(failure)}</p>
            {empty.then(|| view! { <p>{m.devices_empty}</p> })}
            {groups
                .into_iter()
                .map(|group| {
                    view! {
                        <h3>{group.team.unwrap_or_else(|| m.admin_no_team.to_owned())}</h3>
                        <ul class="records" data-testid="device-group">
                            {group.devices.into_iter().map(|device| {
                                let id = device.id.to_string();
                                view! {
                                    <DeviceItem device=device.clone()>
                                        <ActionForm action>
                                            <input type="hidden" name="device_id" value=id />
                                            <RevokeButton device />
                                        </ActionForm>
                                    </DeviceItem>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })
                .collect_view()}
        </section>
    }
}
