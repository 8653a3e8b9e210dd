//! Sessions: a random token in an HTTP-only cookie; the store keeps only its SHA-256,
//! so sessions survive a restart and are shared by every server instance.

use chrono::{Duration, Utc};
use cookie::{Cookie, SameSite};
use domain::User;
use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::Session;
use uuid::Uuid;

use super::{state, unavailable, AppState};
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "wijkpost_session";

#[derive(Debug, Clone)]
pub struct SessionSettings {
    /// How long a session lives after log-in.
    pub ttl: Duration,
    /// Mark cookies `Secure` (when the app is served over TLS).
    pub secure_cookies: bool,
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn set_cookie(cookie: Cookie<'_>) {
    if let (Some(response), Ok(value)) =
        (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie.to_string()))
    {
        response.append_header(SET_COOKIE, value);
    }
}

fn session_cookie(value: String, max_age: Duration, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age.num_seconds()))
        .build()
}

/// The session token the request carries, if any.
fn request_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|header| header.to_str().ok())
        .flat_map(|header| Cookie::split_parse(header.to_owned()))
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_owned())
}

/// Creates a session for `user_id` and sets its cookie on the response.
pub async fn start_session(app: &AppState, user_id: Uuid) -> Result<(), AppError> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = Utc::now();
    let session = Session {
        token_hash: hash_token(&token),
        user_id,
        created_at: now,
        expires_at: now + app.sessions.ttl,
    };
    app.store.insert_session(&session).await.map_err(unavailable)?;
    set_cookie(session_cookie(token, app.sessions.ttl, app.sessions.secure_cookies));
    Ok(())
}

/// Deletes the request's session and clears its cookie.
pub async fn end_session() -> Result<(), AppError> {
    let app = state()?;
    if let Some(token) = request_token() {
        app.store.delete_session(&hash_token(&token)).await.map_err(unavailable)?;
    }
    set_cookie(session_cookie(String::new(), Duration::zero(), app.sessions.secure_cookies));
    Ok(())
}

/// The logged-in user, or `None` without a live session.
pub async fn current_user() -> Result<Option<User>, AppError> {
    let Some(token) = request_token() else { return Ok(None) };
    let app = state()?;
    let Some(session) = app
        .store
        .live_session(&hash_token(&token), Utc::now())
        .await
        .map_err(unavailable)?
    else {
        return Ok(None);
    };
    app.store.user(session.user_id).await.map_err(unavailable)
}

/// The logged-in user, or a 401 error.
pub async fn require_user() -> Result<User, AppError> {
    current_user().await?.ok_or(AppError::NotLoggedIn)
}
