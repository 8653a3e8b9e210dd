//! The session cookie: a random token, HTTP-only, SameSite=Lax, Secure behind TLS.
//! The service layer keeps only its hash, so sessions survive a restart and are shared
//! by every server instance.

use cookie::{Cookie, SameSite};
use domain::User;
use http::header::SET_COOKIE;
use http::HeaderValue;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use service::{actor_of, Actor};

use super::state;
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "wijkpost_session";

#[derive(Debug, Clone)]
pub struct CookieSettings {
    /// Mark cookies `Secure` (when the app is served over TLS).
    pub secure: bool,
}

fn append_cookie(cookie: Cookie<'_>) {
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie.to_string()))
    {
        response.append_header(SET_COOKIE, value);
    }
}

fn session_cookie(value: String, max_age_seconds: i64, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .build()
}

/// Sets the cookie of a new session on the response.
pub fn set_session_cookie(token: String, max_age_seconds: i64) -> Result<(), AppError> {
    let secure = state()?.cookies.secure;
    append_cookie(session_cookie(token, max_age_seconds, secure));
    Ok(())
}

/// The session token the request carries, if any.
fn request_token() -> Option<String> {
    super::request_cookie(SESSION_COOKIE)
}

/// The session token, for the use cases that need the session itself (registering
/// this phone, telling which listed phone is this one), or a 401 error.
pub fn require_session_token() -> Result<String, AppError> {
    request_token().ok_or(AppError::NotLoggedIn)
}

/// Deletes the request's session and clears its cookie.
pub async fn end_session() -> Result<(), AppError> {
    let app = state()?;
    if let Some(token) = request_token() {
        app.services.log_out(&token).await?;
    }
    append_cookie(session_cookie(String::new(), 0, app.cookies.secure));
    Ok(())
}

/// The logged-in user, or `None` without a live session.
pub async fn current_user() -> Result<Option<User>, AppError> {
    let Some(token) = request_token() else { return Ok(None) };
    Ok(state()?.services.session_user(&token).await?)
}

/// The logged-in user, or a 401 error.
pub async fn require_user() -> Result<User, AppError> {
    current_user().await?.ok_or(AppError::NotLoggedIn)
}

/// The logged-in user as the policy sees them, or a 401 error.
pub async fn require_actor() -> Result<Actor, AppError> {
    Ok(actor_of(&require_user().await?))
}
