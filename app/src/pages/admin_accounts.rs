//! Accounts on the admin page: the list, a new account, and per account a form to
//! change its role, team or organisation and a button for a new one-time link.
//!
//! One account is open at a time (`/admin?account=<id>`): a plain link opens it, so it
//! works without JavaScript, a form post comes back to it, and its errors cannot be
//! mistaken for another account's.

use domain::Role;
use domain::UserId;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{failure, field_error, form_error, AdminActions, Notice, TextInput};
use crate::components::{code_choices, SelectField};
use crate::i18n::{use_home_i18n, use_i18n, Label};
use crate::model::{AccountRow, AdminNotice};
use crate::server_fns::admin::CreateAccount;

/// What an account can belong to, as select options.
#[derive(Debug, Clone)]
pub(super) struct Links {
    pub teams: Vec<(String, String)>,
    pub orgs: Vec<(String, String)>,
}

fn role_choices() -> Vec<(String, String)> {
    code_choices(Role::all(), Role::code, Label::Role)
}

#[component]
pub(super) fn NewAccount(
    action: ServerAction<CreateAccount>,
    links: Links,
    notice: Option<AdminNotice>,
) -> impl IntoView {
    let m = use_i18n();
    let failure = failure(action);
    let notice = notice.filter(|n| matches!(n, AdminNotice::AccountCreated { .. }));
    // After a success the form starts empty again: the next account is another person.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    view! {
        <section class="card" id="new-user" aria-labelledby="new-user-title">
            <h2 id="new-user-title">{m.admin_new_user}</h2>
            {notice.map(|notice| view! { <Notice notice /> })}
            <p class="form-error" role="alert">{form_error(failure)}</p>
            <ActionForm action node_ref=form attr:novalidate=true>
                <TextInput id="field-username" name="username" label=m.field_username error=field_error(failure, "username") />
                <TextInput id="field-display_name" name="display_name" label=m.field_display_name error=field_error(failure, "display_name") />
                <SelectField required=true name="role" label=m.field_role choices=role_choices() error=field_error(failure, "role") />
                <SelectField id="field-team_id" name="team_id" label=m.field_team choices=links.teams empty=m.none_option
                    hint=m.admin_role_hint error=field_error(failure, "team_id") />
                <SelectField id="field-org_id" name="org_id" label=m.field_org choices=links.orgs empty=m.none_option
                    error=field_error(failure, "org_id") />
                <button type="submit" class="button primary">{m.admin_create}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn Accounts(
    accounts: Vec<AccountRow>,
    links: Links,
    actions: AdminActions,
    notice: Option<AdminNotice>,
) -> impl IntoView {
    let m = use_i18n();
    let query = use_query_map();
    let open = Memo::new(move |_| query.read().get("account").and_then(|id| id.parse::<UserId>().ok()));
    // Opening another account (a client-side navigation) drops the last one's results.
    Effect::watch(
        move || open.get(),
        move |_, _, _| {
            actions.update.value().set(None);
            actions.link.value().set(None);
        },
        false,
    );
    let h = use_home_i18n();
    let typed = query.with_untracked(|q| q.get("q")).unwrap_or_default();
    let total = accounts.len();
    let accounts: Vec<AccountRow> = accounts.into_iter().filter(|a| matches_search(a, &typed)).collect();
    let searched = !typed.trim().is_empty();
    let found = accounts.len();
    view! {
        <section class="card" id="users" aria-labelledby="users-title">
            <h2 id="users-title">{m.admin_users}</h2>
            // A GET form: the search is in the address, so it works without JavaScript
            // and survives a reload.
            <form method="get" action="/admin#users" data-testid="user-search">
                <div class="field">
                    <label for="user-search">{h.users_search_label}</label>
                    <input id="user-search" name="q" type="search" value=typed autocomplete="off" />
                </div>
                <p class="actions">
                    <button type="submit" class="button">{h.users_search}</button>
                    {searched.then(|| view! { <a class="button" href="/admin#users">{h.users_show_all}</a> })}
                </p>
            </form>
            {searched.then(|| view! { <p class="muted" role="status" data-testid="users-found">{(h.users_found)(found, total)}</p> })}
            <ul class="records" data-testid="accounts">
                {accounts
                    .into_iter()
                    .map(|account| {
                        let notice = notice.clone().filter(|n| match n {
                            AdminNotice::AccountSaved { user_id, .. } | AdminNotice::LinkIssued { user_id, .. } => *user_id == account.id,
                            _ => false,
                        });
                        view! { <AccountItem account open links=links.clone() actions notice /> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Whether an account matches what the admin typed: a part of the name, the
/// username, or what it belongs to, ignoring case.
fn matches_search(account: &AccountRow, typed: &str) -> bool {
    let typed = typed.trim().to_lowercase();
    typed.is_empty()
        || [Some(&account.display_name), Some(&account.username), account.belongs_to.as_ref()]
            .into_iter()
            .flatten()
            .any(|field| field.to_lowercase().contains(&typed))
}

#[component]
fn AccountItem(
    account: AccountRow,
    open: Memo<Option<UserId>>,
    links: Links,
    actions: AdminActions,
    notice: Option<AdminNotice>,
) -> impl IntoView {
    let m = use_i18n();
    let id = account.id;
    let summary = format!(
        "{} · {}{}",
        account.username,
        (m.label)(Label::Role(account.role)),
        account.belongs_to.as_deref().map(|b| format!(" · {b}")).unwrap_or_default()
    );
    let edit_label = format!("{} {}", m.admin_edit, account.display_name);
    let title = account.display_name.clone();
    let username = account.username.clone();
    let body = move || {
        if open.get() == Some(id) {
            view! { <AccountEditor account=account.clone() links=links.clone() actions /> }.into_any()
        } else {
            let href = format!("/admin?account={id}#account-{id}");
            view! { <p><a class="button" href=href aria-label=edit_label.clone()>{m.admin_edit}</a></p> }.into_any()
        }
    };
    view! {
        <li id=format!("account-{id}") data-account=username>
            <p class="record-title">{title}</p>
            <p class="muted" data-testid="account-summary">{summary}</p>
            {notice.map(|notice| view! { <Notice notice /> })}
            {body}
        </li>
    }
}

/// The open account: name, role and what it belongs to; a new one-time link.
#[component]
fn AccountEditor(account: AccountRow, links: Links, actions: AdminActions) -> impl IntoView {
    let m = use_i18n();
    let update = failure(actions.update);
    let link = failure(actions.link);
    let id = account.id.to_string();
    let link_id = id.clone();
    fn selected(id: Option<impl std::fmt::Display>) -> String {
        id.map(|id| id.to_string()).unwrap_or_default()
    }
    view! {
        <div data-testid="account-editor">
            <p class="form-error" role="alert">{form_error(update)}</p>
            <ActionForm action=actions.update attr:novalidate=true>
                <input type="hidden" name="user_id" value=id />
                <TextInput id="edit-display_name" name="display_name" label=m.field_display_name
                    value=account.display_name.clone() error=field_error(update, "display_name") />
                <SelectField id="edit-role" name="role" label=m.field_role choices=role_choices() empty=m.choose
                    selected=account.role.code() required=true error=field_error(update, "role") />
                <SelectField id="edit-team_id" name="team_id" label=m.field_team choices=links.teams empty=m.none_option
                    selected=selected(account.team_id) hint=m.admin_role_hint error=field_error(update, "team_id") />
                <SelectField id="edit-org_id" name="org_id" label=m.field_org choices=links.orgs empty=m.none_option
                    selected=selected(account.org_id) error=field_error(update, "org_id") />
                <p><button type="submit" class="button primary">{m.save}</button></p>
            </ActionForm>
            <ActionForm action=actions.link>
                <input type="hidden" name="user_id" value=link_id />
                <p class="hint">{m.admin_new_link_hint}</p>
                <p class="form-error" role="alert">{form_error(link)}</p>
                <p><button type="submit" class="button">{m.admin_new_link}</button></p>
            </ActionForm>
            <p><a class="button" href=format!("/admin#account-{}", account.id)>{m.admin_close}</a></p>
        </div>
    }
}
