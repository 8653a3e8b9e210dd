//! Server functions, one file per screen. Each asks the service layer, which checks
//! who is asking against the policy.

pub mod admin;
pub mod auth;
pub mod contacts;
pub mod home;
#[cfg(feature = "ssr")]
mod read_records;
pub mod signals;
pub mod team;

/// After a capture form's plain post (no JavaScript) saved: back to the form's page
/// with `?saved=<what>`, so the page can say what was saved. Leptos would send the
/// browser back to where it came from, without a word about the outcome. Calls from
/// a hydrated page (JSON, not HTML) get their answer as usual.
#[cfg(feature = "ssr")]
pub(crate) fn back_after_save(location: &str) {
    use leptos::prelude::use_context;

    let plain_post = use_context::<http::request::Parts>().is_some_and(|parts| {
        let accept = parts.headers.get(http::header::ACCEPT).and_then(|h| h.to_str().ok());
        accept.is_some_and(|accept| accept.contains("text/html"))
    });
    if plain_post {
        leptos_axum::redirect(location);
    }
}
