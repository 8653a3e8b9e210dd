//! Server-only plumbing for the server functions: the shared state, the session
//! cookie, the caller's address, local time, and the one conversion of the service
//! layer's errors into [`AppError`].

mod local_time;
mod session;

use std::net::IpAddr;
use std::sync::Arc;

use leptos::prelude::*;
use service::{Actor, ServiceError, Services};

pub use local_time::{format_clock, local_input, parse_local_input, start_of_day, NotADateTime};

/// A moment as a person reads it in the request's language, Brussels time:
/// "1 dec 2026, 07:50". Server functions format on the server and send the text, so
/// the browser shows the very same string after hydration.
pub fn format_local(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::i18n::when::date_time(crate::current_locale(), at)
}
pub use session::{
    current_user, end_session, require_actor, require_session_token, require_user, set_session_cookie, CookieSettings,
    SESSION_COOKIE,
};

use crate::error::AppError;
use crate::i18n::Locale;

/// What every server function may need; the server binary provides it as Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub cookies: CookieSettings,
    /// Content hash of the built browser bundle; appended to asset URLs so they can
    /// be cached for a year and still change with every release.
    pub asset_version: Arc<str>,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
}

/// The state provided by the server; its absence is a wiring bug, answered as 503.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Unavailable
    })
}

/// The value of the cookie `name` in these request headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| cookie::Cookie::split_parse(h.to_owned()))
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// The value of the cookie `name` in the current request (inside a server function).
pub fn request_cookie(name: &str) -> Option<String> {
    cookie_value(&use_context::<http::request::Parts>()?.headers, name)
}

/// The language a request asks for: its `wijkpost_lang` cookie, else Accept-Language.
pub fn locale_of(headers: &http::HeaderMap) -> Locale {
    let cookie = cookie_value(headers, crate::i18n::LANGUAGE_COOKIE);
    let accept = headers.get(http::header::ACCEPT_LANGUAGE).and_then(|h| h.to_str().ok());
    Locale::negotiate(cookie.as_deref(), accept)
}

/// The address the request came from (for log-in throttling). Behind a trusted proxy
/// (`trust_forwarded_for`) that is the last `X-Forwarded-For` entry: the one the proxy
/// itself appended for the peer it saw. Entries before it were written by the client
/// and can say anything, so taking the first would let anyone pick the address their
/// failures count against.
pub fn client_address(headers: &http::HeaderMap, peer: Option<IpAddr>, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|h| h.to_str().ok())
            .flat_map(|h| h.split(','))
            .last()
            .and_then(|last| last.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer
}

/// The calling actor's address, in a server function.
pub async fn request_address() -> Option<IpAddr> {
    use axum::extract::ConnectInfo;
    let app = use_context::<AppState>()?;
    let parts = use_context::<http::request::Parts>()?;
    let peer = parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    client_address(&parts.headers, peer, app.trust_forwarded_for)
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Invalid(errors) => AppError::Invalid(errors),
            ServiceError::NotLoggedIn => AppError::NotLoggedIn,
            ServiceError::BadCredentials => AppError::LoginFailed,
            ServiceError::LockedOut { until, wait } => {
                let seconds = wait.num_seconds().max(1);
                let minutes = (seconds + 59) / 60;
                AppError::LockedOut { until: local_time::format_clock(until), minutes }
            }
            ServiceError::DeviceRevoked => AppError::DeviceRevoked,
            ServiceError::DeviceKeyExpired => AppError::DeviceKeyExpired,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::LinkInvalid => AppError::LinkInvalid,
            ServiceError::Conflict(detail) => AppError::Conflict { detail },
            ServiceError::Store(err) => {
                tracing::error!(error = %err, "store failure");
                AppError::Unavailable
            }
            ServiceError::Internal(detail) => {
                tracing::error!(%detail, "internal failure");
                AppError::Unavailable
            }
        }
    }
}

/// The header the service worker sends when it fetches a page to keep it on the phone
/// for offline use (server/src/pwa/sw.js), with the value [`OFFLINE_COPY_REQUEST`].
pub const PURPOSE_HEADER: &str = "x-wijkpost-purpose";
pub const OFFLINE_COPY_REQUEST: &str = "offline-copy";
/// The access log's purpose for data copied onto the phone for offline use: nobody
/// was shown it then, and the log must not say they were.
pub const OFFLINE_COPY: &str = "offline_copy";

/// Why the current request reads personal data, for the access log: the `screen` a
/// person opened, or [`OFFLINE_COPY`] when the service worker fetches the page to keep.
/// The header is the browser's word, but either way the read is logged; it only
/// decides under which purpose.
pub fn read_purpose(screen: &'static str) -> &'static str {
    let parts = use_context::<http::request::Parts>();
    let asked = parts.as_ref().and_then(|p| p.headers.get(PURPOSE_HEADER)).and_then(|v| v.to_str().ok());
    if asked == Some(OFFLINE_COPY_REQUEST) {
        OFFLINE_COPY
    } else {
        screen
    }
}

/// `path` as a whole address, the way this request reached the server: a one-time
/// link is pasted into a message, where a bare path means nothing. The `Host` header
/// has been checked against the hosts this server answers to (`server::edge::host`);
/// the scheme is https exactly when cookies are marked Secure (served over TLS).
pub fn absolute_url(path: &str) -> String {
    let parts = use_context::<http::request::Parts>();
    let host = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::HOST))
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:3000")
        .to_owned();
    let secure = state().map(|s| s.cookies.secure).unwrap_or(false);
    format!("{}://{host}{path}", if secure { "https" } else { "http" })
}

/// The services and the logged-in actor, or 401.
pub async fn actor_and_services() -> Result<(Actor, Services), AppError> {
    let actor = require_actor().await?;
    Ok((actor, state()?.services))
}

#[cfg(test)]
mod tests {
    use super::client_address;

    #[test]
    fn the_proxys_own_entry_counts_not_what_the_client_wrote() {
        let peer = Some("10.0.0.1".parse().unwrap());
        let mut headers = http::HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7".parse().unwrap());
        assert_eq!(client_address(&headers, peer, true), Some("203.0.113.7".parse().unwrap()));
        headers.append("x-forwarded-for", "198.51.100.2".parse().unwrap());
        assert_eq!(client_address(&headers, peer, true), Some("198.51.100.2".parse().unwrap()), "the last header");
        assert_eq!(client_address(&headers, peer, false), peer, "not behind a proxy: the socket's address");
        headers.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(client_address(&headers, peer, true), peer);
    }
}
