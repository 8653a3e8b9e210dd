use domain::Role;
use leptos::prelude::*;

use crate::api::admin::{admin_page, CreateAccount};
use crate::components::{code_choices, page_or_refusal, SelectField};
use crate::i18n::{use_i18n, Label};
use crate::model::{AdminScreen, Choice};

/// Accounts, teams and partner organisations.
#[component]
pub fn AdminPage() -> impl IntoView {
    let create = ServerAction::<CreateAccount>::new();
    let page = Resource::new(move || create.version().get(), |_| admin_page());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { page_or_refusal(page.await, move |screen| view! { <Admin screen create /> }) })}
        </Suspense>
    }
}

fn options(choices: Vec<Choice>) -> Vec<(String, String)> {
    choices.into_iter().map(|c| (c.id, c.name)).collect()
}

#[component]
fn Admin(screen: AdminScreen, create: ServerAction<CreateAccount>) -> impl IntoView {
    let m = use_i18n();
    let error_for = move |field: &'static str| {
        Signal::derive(move || create.value().get().and_then(Result::err).and_then(|e| e.field_message(m, field)))
    };
    let form_error = move || create.value().get().and_then(Result::err).map(|e| e.message(m));
    let link = move || {
        create.value().get().and_then(Result::ok).map(|path| view! {
            <p class="form-success" role="status">{m.admin_link_intro} " " <code data-testid="password-link">{path}</code></p>
        })
    };
    let teams = screen.teams.clone();
    let orgs = screen.organisations.clone();
    view! {
        <h1>{m.admin_title}</h1>
        <section class="card" aria-labelledby="new-user-title">
            <h2 id="new-user-title">{m.admin_new_user}</h2>
            <p class="form-error" role="alert">{form_error}</p>
            {link}
            <ActionForm action=create attr:novalidate=true>
                <div class="field">
                    <label for="field-username">{m.field_username}</label>
                    <input id="field-username" name="username" autocapitalize="none" spellcheck="false" aria-describedby="field-username-error" />
                    <crate::components::FieldMessage id="field-username-error".into() message=error_for("username") />
                </div>
                <div class="field">
                    <label for="field-display_name">{m.field_display_name}</label>
                    <input id="field-display_name" name="display_name" aria-describedby="field-display_name-error" />
                    <crate::components::FieldMessage id="field-display_name-error".into() message=error_for("display_name") />
                </div>
                <SelectField name="role" label=m.field_role choices=code_choices(Role::all(), Role::code, Label::Role) error=error_for("role") />
                <SelectField name="team_id" label=m.field_team choices=options(teams) error=error_for("team_id") />
                <SelectField name="org_id" label=m.field_org choices=options(orgs) error=error_for("org_id") />
                <button type="submit" class="button primary">{m.admin_create}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="users-title">
            <h2 id="users-title">{m.admin_users}</h2>
            <ul class="records" data-testid="accounts">
                {screen.accounts.into_iter().map(|a| view! {
                    <li>
                        <p class="record-title">{a.display_name}</p>
                        <p class="muted">{a.username} " · " {(m.label)(Label::Role(a.role))} {a.belongs_to.map(|b| format!(" · {b}"))}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card">
            <h2>{m.admin_teams}</h2>
            <ul>{screen.teams.into_iter().map(|t| view! { <li>{t.name}</li> }).collect_view()}</ul>
            <h2>{m.admin_orgs}</h2>
            <ul>{screen.organisations.into_iter().map(|o| view! { <li>{o.name}</li> }).collect_view()}</ul>
        </section>
    }
}
