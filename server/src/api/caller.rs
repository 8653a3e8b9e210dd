//! Who is calling the API: a person with a session cookie (the web app) or a phone with
//! its device credential (`Authorization: Device <device-id>.<secret>`), which works
//! without a fresh log-in while the phone was out of coverage.

use app::error::AppError;
use app::ssr::SESSION_COOKIE;
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use domain::{DeviceId, User};
use service::{actor_of, Actor};

use super::error::ApiError;
use crate::ServerState;

/// The authenticated caller. Extracting it is the check: a handler that takes a
/// `Caller` cannot run for someone who is not logged in.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// Who is asking and how: a device key's actor may only sync (see the policy).
    pub actor: Actor,
    /// The phone the request came from, when it authenticated with its device key.
    pub device_id: Option<DeviceId>,
    /// The session token, when it authenticated with a password session: what
    /// registering a phone needs (a device key never registers one).
    pub session_token: Option<String>,
}

impl FromRequestParts<ServerState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, Self::Rejection> {
        let services = &state.app.services;
        // An explicit credential wins over an ambient cookie; a wrong one is not
        // silently replaced by the cookie, so a phone learns its credential is bad.
        if let Some(header) = parts.headers.get(AUTHORIZATION) {
            let raw = header.to_str().ok().and_then(device_credential).ok_or(ApiError(AppError::NotLoggedIn))?;
            let device = services.device_caller(raw).await?;
            return Ok(Self {
                actor: device.actor,
                user: device.user,
                device_id: Some(device.device.id),
                session_token: None,
            });
        }
        let token = session_token(&parts.headers).ok_or(ApiError(AppError::NotLoggedIn))?;
        let user = services.session_user(&token).await?.ok_or(ApiError(AppError::NotLoggedIn))?;
        Ok(Self { actor: actor_of(&user), user, device_id: None, session_token: Some(token) })
    }
}

/// The credential of an `Authorization: Device …` header (the scheme is case-insensitive,
/// as for every HTTP authentication scheme).
fn device_credential(header: &str) -> Option<&str> {
    let (scheme, credential) = header.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("device").then(|| credential.trim())
}

/// The session cookie's token, if the request carries one.
fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| cookie::Cookie::split_parse(h.to_owned()))
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_the_device_scheme_is_a_device_credential() {
        assert_eq!(device_credential("Device abc.def"), Some("abc.def"));
        assert_eq!(device_credential("device  abc.def "), Some("abc.def"));
        assert_eq!(device_credential("Bearer abc.def"), None);
        assert_eq!(device_credential("Device"), None);
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("wijkpost_lang=fr; wijkpost_session=t0k3n"));
        assert_eq!(session_token(&headers).as_deref(), Some("t0k3n"));
        headers.insert(COOKIE, HeaderValue::from_static("wijkpost_session="));
        assert_eq!(session_token(&headers), None, "a cleared cookie is no session");
    }
}
