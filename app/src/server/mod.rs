//! Server-only plumbing for the server functions: the shared state, sessions,
//! passwords, local time and how errors set the HTTP status.

mod local_time;
mod password;
mod session;

use std::sync::Arc;

use leptos::prelude::*;
use store::Store;

pub use local_time::{format_local, now_local_input, parse_local_input};
pub use password::{hash_password, verify_password};
pub use session::{
    current_user, end_session, require_user, start_session, SessionSettings, SESSION_COOKIE,
};

use crate::error::AppError;

/// The language a request asks for: its `wijkpost_lang` cookie, else Accept-Language.
pub fn locale_of(headers: &http::HeaderMap) -> crate::i18n::Locale {
    use http::header::{ACCEPT_LANGUAGE, COOKIE};
    let cookie = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| cookie::Cookie::split_parse(h.to_owned()))
        .filter_map(Result::ok)
        .find(|c| c.name() == crate::i18n::LANGUAGE_COOKIE)
        .map(|c| c.value().to_owned());
    let accept = headers.get(ACCEPT_LANGUAGE).and_then(|h| h.to_str().ok());
    crate::i18n::Locale::negotiate(cookie.as_deref(), accept)
}

/// What every server function may need; the server binary provides it as Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub sessions: SessionSettings,
    /// Content hash of the built browser bundle; appended to asset URLs so they can
    /// be cached for a year and still change with every release.
    pub asset_version: Arc<str>,
}

/// The state provided by the server; its absence is a wiring bug, answered as 503.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Unavailable
    })
}

/// Logs a store failure and turns it into the error a person sees.
pub fn unavailable(err: store::StoreError) -> AppError {
    tracing::error!(error = %err, "store failure");
    AppError::Unavailable
}
