//! The admin page: accounts and their roles, one-time password links, teams, partner
//! organisations and every registered phone. Each form is a plain `ActionForm`, so the
//! page works without JavaScript; what a form did comes back as the screen's notice.

#[path = "admin_accounts.rs"]
mod accounts;
#[path = "admin_structure.rs"]
mod structure;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::{page_or_refusal, FieldMessage};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::model::{AdminNotice, AdminScreen, Choice};
use crate::server_fns::admin::{
    admin_page, AdminRevokeDevice, CreateAccount, CreateOrganisation, CreateTeam, NewPasswordLink, UpdateAccount,
};

/// The page's forms. Created once per page, so a refetch keeps their last results.
#[derive(Clone, Copy)]
struct AdminActions {
    create: ServerAction<CreateAccount>,
    update: ServerAction<UpdateAccount>,
    link: ServerAction<NewPasswordLink>,
    team: ServerAction<CreateTeam>,
    org: ServerAction<CreateOrganisation>,
    revoke: ServerAction<AdminRevokeDevice>,
}

impl AdminActions {
    fn new() -> Self {
        Self {
            create: ServerAction::new(),
            update: ServerAction::new(),
            link: ServerAction::new(),
            team: ServerAction::new(),
            org: ServerAction::new(),
            revoke: ServerAction::new(),
        }
    }

    /// Grows with every successful form post. A failed post does not reload the page,
    /// which would clear what the admin typed.
    fn changes(self) -> Signal<usize> {
        let counts = [
            successes(self.create),
            successes(self.update),
            successes(self.link),
            successes(self.team),
            successes(self.org),
            successes(self.revoke),
        ];
        Signal::derive(move || counts.iter().map(|c| c.get()).sum())
    }
}

/// The version of the action's last successful call.
fn successes<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Memo::new(move |previous: Option<&usize>| {
        let version = action.version().get();
        let succeeded = action.value().with(|value| matches!(value, Some(Ok(_))));
        if succeeded {
            version
        } else {
            previous.copied().unwrap_or(0)
        }
    })
}

/// The error of the action's last call, if it failed.
fn failure<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || action.value().with(|value| value.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The message for one field of a failed form.
fn field_error(failure: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    let m = use_i18n();
    Signal::derive(move || failure.with(|e| e.as_ref().and_then(|e| e.field_message(m, field))))
}

/// The sentence at the top of a failed form.
fn form_error(failure: Signal<Option<AppError>>) -> impl Fn() -> Option<String> + Copy {
    let m = use_i18n();
    move || failure.with(|e| e.as_ref().map(|e| e.message(m)))
}

fn options(choices: &[Choice]) -> Vec<(String, String)> {
    choices.iter().map(|c| (c.id.clone(), c.name.clone())).collect()
}

/// Accounts, teams, partner organisations and phones.
#[component]
pub fn AdminPage() -> impl IntoView {
    let actions = AdminActions::new();
    let changes = actions.changes();
    let page = Resource::new(move || changes.get(), |_| admin_page());
    // Transition, not Suspense: while the page refetches after a post, the old one stays.
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move { page_or_refusal(page.await, move |screen| view! { <Admin screen actions /> }) })}
        </Transition>
    }
}

#[component]
fn Admin(screen: AdminScreen, actions: AdminActions) -> impl IntoView {
    let m = use_i18n();
    let AdminScreen { accounts, teams, organisations, districts, device_groups, notice } = screen;
    let links = accounts::Links {
        teams: teams.iter().map(|t| (t.id.to_string(), t.name.clone())).collect(),
        orgs: organisations.iter().map(|o| (o.id.to_string(), o.name.clone())).collect(),
    };
    let districts = options(&districts);
    view! {
        <h1>{m.admin_title}</h1>
        <accounts::NewAccount action=actions.create links=links.clone() notice=notice.clone() />
        <accounts::Accounts accounts links actions notice=notice.clone() />
        <structure::Teams teams districts=districts.clone() action=actions.team notice=notice.clone() />
        <structure::Organisations organisations districts action=actions.org notice />
        <structure::Devices groups=device_groups action=actions.revoke />
    }
}

/// What the last form post did, with the one-time link when there is one.
#[component]
fn Notice(notice: AdminNotice) -> impl IntoView {
    let m = use_i18n();
    let (text, link) = match notice {
        AdminNotice::AccountCreated { display_name, link } => {
            (Some((m.admin_account_created)(&display_name)), Some(link))
        }
        AdminNotice::LinkIssued { link, .. } => (None, Some(link)),
        AdminNotice::AccountSaved { display_name, .. } => (Some((m.admin_account_saved)(&display_name)), None),
        AdminNotice::TeamCreated { name } => (Some((m.admin_team_created)(&name)), None),
        AdminNotice::OrganisationCreated { name } => (Some((m.admin_org_created)(&name)), None),
    };
    view! {
        <div class="form-success" role="status" data-testid="notice">
            {text.map(|text| view! { <p>{text}</p> })}
            {link.map(|url| view! { <OneTimeLink url /> })}
        </div>
    }
}

/// The one-time link as a whole address, to copy into a message or share from the
/// phone. The buttons need JavaScript, so they appear once the page runs; without it
/// the address can still be selected and copied.
#[component]
fn OneTimeLink(url: String) -> impl IntoView {
    let m = use_i18n();
    let a = crate::i18n::use_home_i18n();
    let running = RwSignal::new(false);
    let can_share = RwSignal::new(false);
    let copied = RwSignal::new(false);
    Effect::new(move |_| {
        running.set(true);
        can_share.set(clipboard::can_share());
    });
    let (copy_url, share_url) = (url.clone(), url.clone());
    view! {
        <p>{m.admin_link_intro}</p>
        <code class="copy-link" data-testid="password-link">{url}</code>
        <p class="actions">
            <button type="button" class="button" hidden=move || !running.get() data-testid="copy-link"
                on:click=move |_| { clipboard::copy(&copy_url); copied.set(true); }>{a.copy_link}</button>
            <button type="button" class="button" hidden=move || !can_share.get() data-testid="share-link"
                on:click=move |_| clipboard::share(&share_url)>{a.share_link}</button>
        </p>
        <p role="status" data-testid="copied">{move || copied.get().then_some(a.link_copied)}</p>
    }
}

/// The browser's clipboard and share sheet, reached through `js_sys::Reflect` rather
/// than web-sys's unstable `Clipboard` and `ShareData` bindings (which need
/// `--cfg=web_sys_unstable_apis` on every build).
mod clipboard {
    #[cfg(feature = "hydrate")]
    fn navigator_member(name: &str) -> Option<(wasm_bindgen::JsValue, wasm_bindgen::JsValue)> {
        let navigator: wasm_bindgen::JsValue = web_sys::window()?.navigator().into();
        let member = js_sys::Reflect::get(&navigator, &name.into()).ok().filter(|v| !v.is_undefined())?;
        Some((navigator, member))
    }

    /// Waits out the promise so a refusal (no permission, a closed share sheet) is
    /// not an uncaught error in the console.
    #[cfg(feature = "hydrate")]
    fn settle(called: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>) {
        use wasm_bindgen::JsCast;
        if let Some(promise) = called.ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }

    pub fn can_share() -> bool {
        #[cfg(feature = "hydrate")]
        {
            navigator_member("share").is_some()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            false
        }
    }

    pub fn copy(text: &str) {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some((_, clipboard)) = navigator_member("clipboard") else { return };
            let write = js_sys::Reflect::get(&clipboard, &"writeText".into()).ok();
            if let Some(write) = write.and_then(|w| w.dyn_into::<js_sys::Function>().ok()) {
                settle(write.call1(&clipboard, &text.into()));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = text;
    }

    pub fn share(url: &str) {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some((navigator, share)) = navigator_member("share") else { return };
            let data = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&data, &"url".into(), &url.into());
            if let Ok(share) = share.dyn_into::<js_sys::Function>() {
                settle(share.call1(&navigator, &data));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = url;
    }
}

/// A one-line text field with its label and its error.
#[component]
fn TextInput(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=name
                value=value
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=error_id.clone()
            />
            <FieldMessage id=error_id message=error />
        </div>
    }
}
